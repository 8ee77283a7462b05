// Offline-first on a 360 × 740 phone, as in a village hall with a weak connection. A trainer opens
// the app once online, loses the connection, opens a cohort and a sheet never opened before,
// marks it, registers a person; the header says how many changes wait, and the cohort's
// certificates are held while marks wait; the changes survive a reload; back online on the
// cohorts list, everything is sent without opening the sheet again (kk and ru). A queued
// registration the server answers with a duplicate question is shown to the trainer, never
// dropped. A learner's certificates and QR code open offline after one visit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import common from '../../plugin/web/src/i18n/common.js';
import trainerMessages from '../../plugin/web/src/pages/trainer/messages.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiAs, chooseLanguage, launchBrowser, newPage, signIn, startService } from './harness.mjs';

let service;
let browser;

const locales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** A text in `lang`, filled like the app fills it (plural forms by Intl.PluralRules). */
function text(lang, key, params = {}, count = null) {
  const table = { ...common[lang], ...trainerMessages[lang] };
  const form = count === null ? key : `${key}.${new Intl.PluralRules(locales[lang]).select(count)}`;
  const template = table[form] ?? table[`${key}.other`];
  assert.ok(template, `no text ${form}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => String(name === 'count' ? count : (params[name] ?? whole)));
}

before(async () => {
  service = await startService({ prefix: 'offline' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** The phone's screen as the trainer sees it (360 × 740, not the whole page), saved as
 * <QATYSU_SCREENSHOT_DIR>/<name>.png. */
async function phoneScreenshot(page, name) {
  const dir = process.env.QATYSU_SCREENSHOT_DIR;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** Gives the app up to a minute to read what it keeps for offline use (it notes when it has);
 * the test goes on either way, so an app that keeps nothing fails on what the trainer sees. */
async function keptOnDevice(page, accountId) {
  await page.waitForFunction((id) => localStorage.getItem(`qatysu.kept.${id}`) !== null, accountId, { timeout: 60000 }).catch(() => {});
}

/** A trainer's page, signed in once with a connection, after the app kept what it needs. */
async function openOnline(login, lang) {
  const page = await newPage(browser, { locale: locales[lang] });
  await signIn(page, service, login);
  await page.waitForURL(/\/app\/cohorts$/);
  await chooseLanguage(page, lang);
  await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller));
  const client = await apiAs(service, login);
  await keptOnDevice(page, client.account.id);
  return { page, client };
}

/** A cohort of the trainer with at least two people, and a new session of it (its sheet never
 * opened on the phone, every mark on it this test's). */
async function cohortWithNewSession(client, topic) {
  const cohorts = (await client.get('/cohorts')).json.items;
  for (const cohort of cohorts.reverse()) {
    const people = (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
    if (people.length < 2) continue;
    const created = await client.post(`/cohorts/${cohort.id}/sessions`, { starts_at: '2019-09-03T04:00:00Z', duration_minutes: 120, topic });
    assert.equal(created.status, 201, created.text);
    return { cohort, people, session: created.json };
  }
  throw new Error('no cohort with two people');
}

/** Waits until the header counts `count` changes waiting (an empty live region at 0). */
async function waiting(page, count) {
  await page.locator(`.outbox[data-waiting="${count}"]`).waitFor({ state: count === 0 ? 'attached' : 'visible', timeout: 60000 });
}

for (const [lang, login, person] of [
  ['kk', 'trainer.glubokoe', 'Гүлназ Серікболқызы'],
  ['ru', 'trainer.nura', 'Ольга Кравченко-Ким'],
]) {
  test(`${lang}: offline, a cohort and a sheet never opened are marked and a person registered; back online all is sent from the cohorts list`, async () => {
    const session = await (async () => {
      const client = await apiAs(service, login);
      return cohortWithNewSession(client, lang === 'kk' ? 'Жергілікті бюджет: қатысу' : 'Местный бюджет: участие');
    })();
    const { cohort, session: meeting } = session;
    const { page, client } = await openOnline(login, lang);
    const context = page.context();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));

    await context.setOffline(true);
    // The app opened anew without a connection, straight on the cohort's page.
    await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
    await page.locator('#enrolments-heading').waitFor().catch(async (error) => {
      const shown = await page.evaluate(() => ({ text: document.body.innerText.slice(0, 400), online: navigator.onLine }));
      throw new Error(`the cohort page did not open offline: it shows ${JSON.stringify(shown)}`, { cause: error });
    });
    await page.locator('.enrolment-list .person-name').first().waitFor();
    await page.locator('.eligibility li').first().waitFor();
    assert.equal(await page.getByText(common[lang]['error.page']).count(), 0, 'no "the page did not load"');

    // The sheet of the new session, never opened on this phone.
    await page.locator(`a[href^="/app/sessions/${meeting.id}"]`).click();
    const rows = page.locator('button.att-row');
    await rows.first().waitFor();
    const first = await rows.nth(0).getAttribute('data-enrolment');
    const second = await rows.nth(1).getAttribute('data-enrolment');
    await rows.nth(0).click(); // present
    await rows.nth(1).click(); // present
    await rows.nth(1).click(); // absent
    await page.locator(`button.att-row[data-enrolment="${second}"][data-status="absent"]`).waitFor();
    await waiting(page, 2);
    assert.equal((await page.locator('.outbox').innerText()).trim().replace(/^⇅\s*/, ''), text(lang, 'outbox.waiting', {}, 2));

    // Certificates wait while the marks do, and the issue button says why.
    await page.locator(`.att-heading a[href="/app/cohorts/${cohort.id}"]`).click();
    const issue = page.locator('button.cert-issue');
    await issue.waitFor();
    await page.locator('.session-list li').first().waitFor();
    await page.locator('.enrolment-list .person-name').first().waitFor();
    if (lang === 'kk') await phoneScreenshot(page, 'offline-cohort.kk');
    assert.equal(await issue.isDisabled(), true, 'no certificates while marks wait');
    const reason = await issue.getAttribute('aria-describedby');
    assert.equal((await page.locator(`#${reason}`).innerText()).trim(), text(lang, 'trainer.cert.held', {}, 2));

    // A person registered without a connection waits in the same queue.
    await page.locator(`a[href="/app/cohorts/${cohort.id}/register"]`).click();
    await page.locator('input[name="full_name"]').fill(person);
    await page.locator('select[name="gender"]').selectOption('female');
    await page.locator('input[name="birth_year"]').fill('1987');
    const locality = await page.locator('select[name="locality_id"] option').nth(1).getAttribute('value');
    await page.locator('select[name="locality_id"]').selectOption(locality);
    await page.locator('select[name="affiliation"]').selectOption('community_member');
    await page.locator('input[name="consent"]').check();
    await page.locator('form button[type="submit"]').click();
    await page.locator('.register-done', { hasText: text(lang, 'trainer.register.queued', { name: person }) }).waitFor();
    await waiting(page, 3);

    // Closing and opening the app keeps all three.
    await page.reload();
    await page.locator('input[name="full_name"]').waitFor();
    await waiting(page, 3);
    const sheet = (await client.get(`/sessions/${meeting.id}/attendance`)).json.rows;
    assert.ok(sheet.every((r) => r.status === null), 'nothing reached the server offline');

    // Back online on the cohorts list: sent without opening the sheet.
    await page.locator('nav a[href="/app/cohorts"]').click();
    await page.locator(`a[href="/app/cohorts/${cohort.id}"]`).first().waitFor();
    await context.setOffline(false);
    await waiting(page, 0);
    assert.equal(new URL(page.url()).pathname, '/app/cohorts');
    const marks = Object.fromEntries((await client.get(`/sessions/${meeting.id}/attendance`)).json.rows.map((r) => [String(r.enrolment_id), r.status]));
    assert.equal(marks[first], 'present');
    assert.equal(marks[second], 'absent');
    const enrolled = (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items.filter((e) => e.participant_name === person);
    assert.equal(enrolled.length, 1, 'registered and enrolled once');

    // Nothing waits: the cohort's certificates may be issued again.
    await page.locator(`a[href="/app/cohorts/${cohort.id}"]`).first().click();
    await issue.waitFor();
    assert.equal(await issue.isDisabled(), false);
    assert.equal(await page.locator('#cert-held').count(), 0);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
}

test('a registration queued offline that the server takes for a likely duplicate waits for the trainer, never dropped', async () => {
  const login = 'trainer.glubokoe';
  const client = await apiAs(service, login);
  const cohort = (await client.get('/cohorts')).json.items[0];
  const someone = (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items[0];
  const known = (await client.get(`/participants/${someone.participant_id}`)).json;
  const { page } = await openOnline(login, 'en');
  const context = page.context();
  await context.setOffline(true);
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  await page.locator('input[name="full_name"]').waitFor().catch(async (error) => {
    const shown = await page.evaluate(() => ({ text: document.body.innerText.slice(0, 400), online: navigator.onLine }));
    throw new Error(`the registration form did not open offline: it shows ${JSON.stringify(shown)}`, { cause: error });
  });
  await page.locator('input[name="full_name"]').fill(known.full_name);
  await page.locator('select[name="gender"]').selectOption(known.gender);
  await page.locator('input[name="birth_year"]').fill(String(known.birth_year));
  await page.locator('select[name="locality_id"]').selectOption(String(known.locality_id));
  await page.locator('select[name="affiliation"]').selectOption(known.affiliation);
  await page.locator('input[name="consent"]').check();
  await page.locator('form button[type="submit"]').click();
  await page.locator('.register-done', { hasText: text('en', 'trainer.register.queued', { name: known.full_name }) }).waitFor();
  await waiting(page, 1);

  await context.setOffline(false);
  // Sent, answered with the question: it stays, and the header leads to where it is answered.
  const ask = page.locator('.outbox a', { hasText: text('en', 'outbox.answers', {}, 1) });
  await ask.waitFor({ timeout: 60000 });
  await waiting(page, 1);
  await ask.click();
  const question = page.locator('.queued-registrations li[data-state="duplicate"]');
  await question.waitFor();
  assert.match(await question.innerText(), new RegExp(`${known.full_name}, ${known.birth_year}`));
  await question.locator('button', { hasText: trainerMessages.en['trainer.dup.yes'] }).first().click();
  await waiting(page, 0);
  const enrolled = (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items.filter((e) => e.participant_id === known.id);
  assert.equal(enrolled.length, 1, 'the same person, enrolled once');
  await context.close();
});

test("the learner's certificates and QR code open offline after one visit", async () => {
  const learner = await apiAs(service, 'learner.demo');
  const certificate = (await learner.get('/me/certificates')).json.items.find((c) => c.status === 'valid');
  assert.ok(certificate, 'the demo learner holds a valid certificate');
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await signIn(page, service, 'learner.demo');
  await page.waitForURL(`${service.url}/app/my`);
  await page.locator('.learner-certificate').first().waitFor();
  await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller));
  await keptOnDevice(page, learner.account.id);
  const count = await page.locator('.learner-certificate').count();
  await page.locator(`a[href="/app/my/certificates/${certificate.id}"]`).click();
  await page.waitForFunction(() => document.querySelector('.qr-screen img')?.naturalWidth > 0);

  await page.context().setOffline(true);
  await page.goto(`${service.url}/app/my`);
  await page.locator('.learner-certificate').first().waitFor();
  assert.equal(await page.locator('.learner-certificate').count(), count);
  assert.equal((await page.locator(`.learner-certificate[data-certificate-id="${certificate.id}"] .learner-serial`).textContent()).trim(), certificate.serial);
  await page.locator(`a[href="/app/my/certificates/${certificate.id}"]`).click();
  await page.waitForFunction(() => document.querySelector('.qr-screen img')?.naturalWidth > 0);
  assert.equal((await page.locator('.qr-serial').textContent()).includes(certificate.serial), true);
  await page.context().close();
});
