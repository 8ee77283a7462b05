// Signing in and the app's frame: the login page with the demo note, cookie sessions (HttpOnly,
// SameSite=Strict, CSRF on every change), the language remembered per account, nothing fetched
// from outside, and the trainer's first load within 200 KB compressed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

let service;
let browser;

before(async () => {
  service = await startService({ prefix: 'login', settings: { 'web.login_note': 'demo' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

test('the start page is the login page and says where the demo accounts are, in each language', async () => {
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await page.goto(`${service.url}/`);
  await page.locator('input[name="login"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'kk');
  assert.match(await page.locator('main').innerText(), /var\/demo-accounts\.txt/);
  assert.match(await page.locator('h1').innerText(), /Кіру/);
  await screenshot(page, 'login-kk');
  for (const [lang, heading] of [['ru', /Вход/], ['en', /Sign in/]]) {
    await chooseLanguage(page, lang);
    assert.match(await page.locator('h1').innerText(), heading);
    assert.match(await page.locator('main').innerText(), /var\/demo-accounts\.txt/);
    await screenshot(page, `login-${lang}`);
  }
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('a wrong password is refused with a message and no session', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await page.goto(`${service.url}/app/login`);
  await page.locator('input[name="login"]').fill('trainer.nura');
  await page.locator('input[name="password"]').fill('not-the-password');
  await page.locator('form').first().locator('button[type="submit"]').click();
  await page.getByRole('alert').filter({ hasText: 'Wrong login or password' }).waitFor();
  const cookies = await page.context().cookies();
  assert.equal(cookies.filter((c) => c.name === 'qatysu_session').length, 0);
  await page.context().close();
});

test('signing in sets an HttpOnly SameSite=Strict cookie and changes need the CSRF token', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'qatysu_session');
  assert.ok(cookie, 'no session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('qatysu_session')), false);

  // The same change with and without the token, from the page itself.
  const status = (withToken) =>
    page.evaluate(async (withToken) => {
      const me = await (await fetch('/api/v1/me')).json();
      const headers = { 'Content-Type': 'application/json' };
      if (withToken) headers['X-CSRF-Token'] = me.csrf_token;
      const answer = await fetch('/api/v1/me/language', { method: 'PUT', headers, body: '{"language":"ru"}' });
      return answer.status;
    }, withToken);
  assert.equal(await status(false), 403);
  assert.equal(await status(true), 204);
  await page.context().close();
});

test('the language chosen is remembered for the account, on another device too', async () => {
  const first = await newPage(browser, { locale: 'en-GB' });
  await signIn(first, service, 'trainer.glubokoe');
  await chooseLanguage(first, 'ru');
  // Wait until the account holds it, then sign in from a fresh browser that prefers English.
  const api = await apiAs(service, 'trainer.glubokoe');
  for (let i = 0; i < 50; i += 1) {
    const me = await api.get('/me');
    if ((me.json.language ?? me.json.account?.language) === 'ru') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await first.context().close();

  const second = await newPage(browser, { locale: 'en-GB' });
  await signIn(second, service, 'trainer.glubokoe');
  await second.waitForFunction(() => document.documentElement.lang === 'ru');
  assert.match(await second.locator('header').innerText(), /Мои группы/);
  await second.context().close();
});

test("the trainer's first load is at most 200 KB compressed and stays on this server", async () => {
  // No service worker: every byte then crosses the network, as on a phone's first visit.
  const page = await newPage(browser, { locale: 'kk-KZ', serviceWorkers: 'block' });
  await signIn(page, service, 'trainer.nura');
  // A fresh context: measure the load of the cohorts page with a cold cache.
  const context = page.context();
  const cold = await context.newPage();
  const session = await context.newCDPSession(cold);
  await session.send('Network.enable');
  await session.send('Network.setCacheDisabled', { cacheDisabled: true });
  let transferred = 0;
  session.on('Network.loadingFinished', (event) => {
    transferred += event.encodedDataLength;
  });
  await cold.goto(`${service.url}/app/cohorts`, { waitUntil: 'networkidle' });
  assert.ok(transferred > 0);
  assert.ok(transferred <= 200 * 1024, `first load transferred ${transferred} bytes`);
  console.log(`trainer's first load: ${transferred} bytes transferred`);
  assert.deepEqual(page.outsideRequests, []);
  await context.close();
});

test('once visited, the app opens with no connection at all (service worker)', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.shemonaikha');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // The worker controls pages loaded after it took over.
  await page.reload();
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
  await page.context().setOffline(true);
  await page.goto(`${service.url}/app/cohorts`);
  // The app itself starts (its frame and menu, from the cache) and says the connection is down.
  await page.locator('.offline-banner').waitFor();
  assert.match(await page.locator('header').innerText(), /My cohorts/);
  await screenshot(page, 'offline-start-en');
  await page.context().setOffline(false);
  await page.context().close();
});
