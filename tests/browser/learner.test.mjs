// The learner on a phone: signs in, sees their certificates, downloads one (the PDF holds their
// name exactly as the API gives it), shows its QR code full screen, and cannot reach another
// person's certificate, neither the page nor the PDF. Screenshots of both pages in kk, ru and en.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import messages from '../../plugin/web/src/pages/learner/messages.js';
import { apiAs, chooseLanguage, languages, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const run = promisify(execFile);

let service;
let browser;
let learner;
let admin;
let me;
let own;
let page;
let downloads;
const pageErrors = [];

before(async () => {
  service = await startService({ prefix: 'learner' });
  browser = await launchBrowser();
  learner = await apiAs(service, 'learner.demo');
  admin = await apiAs(service, 'admin');
  me = (await learner.get('/me')).json;
  own = (await learner.get('/me/certificates')).json.items;
  assert.ok(me.participant?.full_name, 'the demo learner is a person');
  assert.ok(own.some((c) => c.status === 'valid'), 'the demo learner holds a valid certificate');
  downloads = mkdtempSync(join(tmpdir(), 'qatysu-learner-downloads-'));
  page = await newPage(browser);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await signIn(page, service, 'learner.demo');
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const text = (lang, key, params = {}) =>
  messages[lang][key].replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));

async function openMine() {
  if (new URL(page.url()).pathname !== '/app/my') await page.goto(`${service.url}/app/my`);
  await page.locator('.learner-certificate').first().waitFor();
}

test('the learner lands on their certificates and downloads the PDF, which holds their name', async () => {
  // /app sends each account to the first page of its role: a learner's is /app/my.
  await page.waitForURL(`${service.url}/app/my`);
  await openMine();
  const certificate = own.find((c) => c.status === 'valid');
  const item = page.locator(`.learner-certificate[data-certificate-id="${certificate.id}"]`);
  await item.waitFor();
  assert.equal((await item.locator('.learner-serial').textContent()).trim(), certificate.serial);
  // The name exactly as stored: no upper-casing, no transliteration.
  assert.equal(await item.locator('.learner-name').textContent(), me.participant.full_name);
  assert.equal(await page.locator('.learner-certificate').count(), own.length);

  const link = item.locator(`a[href="/api/v1/certificates/${certificate.id}/pdf"]`);
  assert.equal(await link.getAttribute('download'), '');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /\.pdf$/);
  const file = join(downloads, 'certificate.pdf');
  await download.saveAs(file);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  assert.ok(
    stdout.includes(me.participant.full_name),
    `the PDF's text holds "${me.participant.full_name}":\n${stdout.slice(0, 600)}`,
  );
  assert.deepEqual(page.outsideRequests, []);
});

test('the QR code page shows the code from qr.svg, large on white, with the serial', async () => {
  await openMine();
  const certificate = own.find((c) => c.status === 'valid');
  await page.locator(`a[href="/app/my/certificates/${certificate.id}"]`).click();
  await page.waitForURL(`${service.url}/app/my/certificates/${certificate.id}`);
  const image = page.locator('.qr-screen img');
  await image.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('.qr-screen img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const src = await image.getAttribute('src');
  assert.equal(src, `/api/v1/certificates/${certificate.id}/qr.svg`);
  const answer = await page.request.get(new URL(src, service.url).href);
  assert.equal(answer.status(), 200);
  assert.match(answer.headers()['content-type'], /^image\/svg\+xml/);
  assert.match(await answer.text(), /<svg[^>]*viewBox/);

  const serial = page.locator('.qr-serial');
  assert.equal((await serial.textContent()).trim(), certificate.serial);
  const lines = await serial.evaluate((p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
  assert.ok(lines < 1.5, `the serial stays on one line (${lines} lines)`);
  // As large as a 360 px wide phone allows, on plain white with nothing dimmed over it.
  const box = await image.boundingBox();
  assert.ok(box.width >= 320 && box.height >= 320, `the code is ${box.width}×${box.height} px`);
  const look = await page.evaluate(() => {
    const screen = document.querySelector('.qr-screen');
    const style = getComputedStyle(screen);
    const rect = screen.getBoundingClientRect();
    return { background: style.backgroundColor, opacity: style.opacity, width: rect.width, height: rect.height };
  });
  assert.deepEqual(look, { background: 'rgb(255, 255, 255)', opacity: '1', width: 360, height: 740 });

  // Full screen on a press, or nothing where the browser refuses; the wake lock likewise.
  const fullscreen = page.locator('.qr-bar button:not(.qr-close)');
  if ((await fullscreen.count()) > 0) {
    await fullscreen.click();
    await page.waitForTimeout(300);
  }
  await page.locator('.qr-close').click();
  await page.waitForURL(`${service.url}/app/my`);
  assert.equal(await page.evaluate(() => document.fullscreenElement), null);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(page.outsideRequests, []);
});

test("the learner cannot reach another person's certificate", async () => {
  // Someone else's certificate, found by the administrator.
  let other = null;
  for (const cohort of (await admin.get('/cohorts')).json.items) {
    const list = await admin.get(`/cohorts/${cohort.id}/certificates`);
    assert.equal(list.status, 200, list.text);
    other = list.json.items.find((c) => c.participant_id !== me.participant.id);
    if (other) break;
  }
  assert.ok(other, 'the demo data holds certificates of other people');

  await page.goto(`${service.url}/app/my/certificates/${other.id}`);
  await page.locator('.learner-not-found').waitFor();
  const lang = await page.evaluate(() => document.documentElement.lang);
  assert.equal((await page.locator('h1').textContent()).trim(), text(lang, 'learner.qr.notFound.title'));
  assert.equal(await page.locator('.qr-screen').count(), 0);
  assert.ok(!(await page.locator('body').textContent()).includes(other.full_name), 'nothing of the other person shows');

  // The learner's own cookie session, straight at the API.
  for (const path of [`/certificates/${other.id}/pdf`, `/certificates/${other.id}/qr.svg`, `/certificates/${other.id}`]) {
    const answer = await page.request.get(`${service.url}/api/v1${path}`);
    assert.equal(answer.status(), 404, `GET ${path} by the learner's cookie`);
  }
  // A control: the same cookie reaches the learner's own PDF.
  const mine = await page.request.get(`${service.url}/api/v1/certificates/${own[0].id}/pdf`);
  assert.equal(mine.status(), 200);
  assert.equal(mine.headers()['content-type'], 'application/pdf');

  await page.goto(`${service.url}/app/my/certificates/not-a-number`);
  await page.locator('.learner-not-found').waitFor();
});

test('the learner pages read in kk, ru and en (screenshots)', async () => {
  const certificate = own.find((c) => c.status === 'valid');
  const dateProblems = [];
  for (const lang of languages) {
    await openMine();
    await chooseLanguage(page, lang);
    assert.equal((await page.locator('h1').textContent()).trim(), text(lang, 'learner.my.title'));
    const item = page.locator(`.learner-certificate[data-certificate-id="${certificate.id}"]`);
    assert.equal((await item.locator('h3').textContent()).trim(), certificate.course_title[lang]);
    assert.equal((await item.locator('.badge').textContent()).trim(), text(lang, 'learner.certificate.valid'));
    assert.equal((await item.locator(`a[download]`).textContent()).trim(), text(lang, 'learner.certificate.download'));
    // The issue date as that language writes it: in kk with a Kazakh month, never ICU's root
    // pattern ("2026 M11 28") that browsers without Kazakh data fall back to.
    const shown = await item.textContent();
    if (lang === 'kk') {
      const month = new Intl.DateTimeFormat('kk-KZ', { month: 'short', timeZone: 'UTC' }).format(new Date(certificate.issued_at));
      assert.match(month, /^[а-яәғқңөұүһі]+\.?$/u, 'node has the Kazakh month names');
      // Checked after every language's screenshots are taken.
      if (!shown.includes(month) || /\bM\d{1,2}\b/.test(shown)) {
        dateProblems.push(`the kk issue date should have the month "${month}", not a root-locale date: ${shown}`);
      }
    } else {
      const issued = await page.evaluate(
        ([locale, at]) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(at)),
        [{ ru: 'ru-RU', en: 'en-GB' }[lang], certificate.issued_at],
      );
      assert.ok(shown.includes(issued), `the issue date reads "${issued}" in ${lang}`);
    }
    await screenshot(page, `learner-my-${lang}`);

    await page.locator(`a[href="/app/my/certificates/${certificate.id}"]`).click();
    await page.locator('.qr-screen img').waitFor();
    await page.waitForFunction(() => document.querySelector('.qr-screen img')?.naturalWidth > 0);
    assert.equal((await page.locator('.qr-close').textContent()).trim(), `✕ ${text(lang, 'learner.qr.close')}`);
    await screenshot(page, `learner-qr-${lang}`);
    // Closed by its button, or from the keyboard with Escape.
    if (lang === 'ru') await page.keyboard.press('Escape');
    else await page.locator('.qr-close').click();
    await page.waitForURL(`${service.url}/app/my`);
  }
  assert.deepEqual(dateProblems, []);
});

test('a revoked certificate shows as revoked, with its reason, and offers no download', async () => {
  const certificate = own.find((c) => c.status === 'valid');
  const reason = 'Тегі қате жазылған';
  const revoked = await admin.post(`/certificates/${certificate.id}/revoke`, { reason });
  assert.equal(revoked.status, 200, revoked.text);
  await page.goto(`${service.url}/app/my`);
  await page.locator('.learner-certificate').first().waitFor();
  const lang = await page.evaluate(() => document.documentElement.lang);
  const item = page.locator(`.learner-certificate[data-certificate-id="${certificate.id}"]`);
  assert.equal((await item.locator('.badge').textContent()).trim(), text(lang, 'learner.certificate.revoked'));
  assert.ok((await item.textContent()).includes(text(lang, 'learner.certificate.revokedReason', { reason })));
  assert.equal(await item.locator('a[download]').count(), 0);
  await screenshot(page, `learner-my-revoked-${lang}`);
});
