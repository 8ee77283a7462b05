// What the API allows, found where its users look for it, on a 360×740 phone and the demo data:
// a learner who signs in with a code sets a login and password, signs out and comes back with
// them (kk and ru); an administrator revokes a certificate with a reason and issues one with a
// waiver from the cohort's certificate list; a trainer downloads the cohort's ZIP, reads their own
// totals, prints an access code slip in the learner's language and opens a cohort of a course; a staff member's display name
// set on the Accounts page prints on a new certificate (pdftotext), with the check code printed in
// every language; someone holding that paper checks it on the public check page, and a wrong code
// is refused. A screenshot of the learner's set-password screen in Kazakh.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import commonMessages from '../../plugin/web/src/i18n/common.js';
import learnerMessages from '../../plugin/web/src/pages/learner/messages.js';
import trainerMessages from '../../plugin/web/src/pages/trainer/messages.js';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const run = promisify(execFile);
const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const desktop = { width: 1280, height: 900 };

let service;
let browser;
let admin;
let trainer;
let downloads;
const pageErrors = [];

before(async () => {
  service = await startService({ prefix: 'actions' });
  browser = await launchBrowser();
  admin = await apiAs(service, 'admin');
  trainer = await apiAs(service, 'trainer.nura');
  downloads = mkdtempSync(join(tmpdir(), 'qatysu-actions-downloads-'));
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function phone(locale = 'kk-KZ') {
  const page = await newPage(browser, { locale });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  return page;
}

/** Enrolments of trainer.nura's cohorts whose person had no learner account when the suite
 *  began, one per person, in a fixed order: each test takes its own. */
let nuraCache = null;
async function nuraPeople() {
  if (nuraCache) return nuraCache;
  const learners = new Set();
  let after = 0;
  do {
    const page = await admin.get(`/accounts?role=learner&limit=100&after=${after}`);
    assert.equal(page.status, 200, page.text);
    for (const account of page.json.items) learners.add(account.participant_id);
    after = page.json.next_after ?? null;
  } while (after !== null);
  const seen = new Set();
  const people = [];
  for (const cohort of (await trainer.get('/cohorts')).json.items) {
    for (const enrolment of (await trainer.get(`/cohorts/${cohort.id}/enrolments`)).json.items) {
      if (learners.has(enrolment.participant_id) || seen.has(enrolment.participant_id)) continue;
      seen.add(enrolment.participant_id);
      people.push({ ...enrolment, cohort });
    }
  }
  assert.ok(people.length >= 5, 'trainer.nura has people enough');
  nuraCache = people;
  return people;
}

async function pdfText(file) {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}

// ---------------------------------------------------------------------------------------------
// The learner owns their account

for (const lang of ['kk', 'ru']) {
  test(`a learner who signs in with a code, sets a password, signs out and back in (${lang})`, async () => {
    const texts = learnerMessages[lang];
    const people = await nuraPeople();
    const person = people[lang === 'kk' ? 0 : 1];
    const issued = await trainer.post(`/participants/${person.participant_id}/access-code`);
    assert.equal(issued.status, 201, issued.text);

    const page = await phone(lang === 'kk' ? 'kk-KZ' : 'ru-RU');
    await page.goto(`${service.url}/app/login`);
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await chooseLanguage(page, lang);
    await page.locator('input[name="code"]').fill(issued.json.code.toLowerCase());
    await page.locator('input[name="code"]').press('Enter');

    // Straight to the set-password screen: the code will not open the account again.
    await page.waitForURL(`${service.url}/app/my/account`);
    await page.locator('.learner-password').waitFor();
    assert.equal((await page.locator('h1').textContent()).trim(), texts['learner.account.title']);
    assert.equal((await page.locator('#learner-password-title').textContent()).trim(), texts['learner.account.setTitle']);
    const login = page.locator('.learner-password input[name="login"]');
    // The login suggested from the name, not "learner-<id>".
    await page.waitForFunction(() => !/^learner-/.test(document.querySelector('.learner-password input[name="login"]').value));
    const suggested = await login.inputValue();
    assert.match(suggested, /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\d*$/, suggested);
    assert.equal(await page.locator('.learner-password input[name="current_password"]').count(), 0);
    if (lang === 'kk') {
      const shot = await screenshot(page, 'learner-password.kk');
      const target = join(repository, 'docs', 'screenshots', 'learner-password.kk.png');
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(shot, target);
    }

    // Two passwords that differ are caught before anything is sent.
    const password = `${lang}-менің-құпиясөзім-2026`;
    await page.locator('.learner-password input[name="password"]').fill(password);
    await page.locator('.learner-password input[name="repeat"]').fill(`${password}x`);
    await page.locator('.learner-password button[type="submit"]').click();
    await page.getByText(texts['learner.account.mismatch']).waitFor();
    await page.locator('.learner-password input[name="repeat"]').fill(password);
    await page.locator('.learner-password button[type="submit"]').click();
    const saved = page.locator('.learner-saved');
    await saved.waitFor();
    assert.equal((await saved.textContent()).trim(), texts['learner.account.saved'].replace('{login}', suggested));
    // Now the form changes the password and asks for the current one.
    await page.locator('.learner-password input[name="current_password"]').waitFor();

    // Signed out, the code no longer works; the login and password do.
    await page.getByRole('button', { name: commonMessages[lang]['nav.signOut'] }).click();
    await page.waitForURL(`${service.url}/app/login`);
    await page.locator('input[name="code"]').fill(issued.json.code);
    await page.locator('input[name="code"]').press('Enter');
    await page.locator('.notice-error').waitFor();
    await signIn(page, service, suggested, password);
    await page.waitForURL(`${service.url}/app/my`);
    await page.locator('.learner-account-link').waitFor();
    assert.equal(await page.locator('.notice-warning').count(), 0, 'no "set a password" warning once one is set');
    assert.deepEqual(page.outsideRequests, []);
    await page.context().close();
  });
}

test('a learner changes their password later with the current one', async () => {
  const people = await nuraPeople();
  const person = people[2];
  const issued = await trainer.post(`/participants/${person.participant_id}/access-code`);
  const page = await phone('en-GB');
  await page.goto(`${service.url}/app/login`);
  await chooseLanguage(page, 'en');
  await page.locator('input[name="code"]').fill(issued.json.code);
  await page.locator('input[name="code"]').press('Enter');
  await page.waitForURL(`${service.url}/app/my/account`);
  // The URL changes before the sign-in page's own login field is gone: wait for the account's form.
  await page.locator('.learner-password').waitFor();
  await page.waitForFunction(() => /^[a-z]/.test(document.querySelector('.learner-password input[name="login"]').value) && !/^learner-/.test(document.querySelector('.learner-password input[name="login"]').value));
  const login = await page.locator('.learner-password input[name="login"]').inputValue();
  await page.locator('.learner-password input[name="password"]').fill('the first password');
  await page.locator('.learner-password input[name="repeat"]').fill('the first password');
  await page.locator('.learner-password button[type="submit"]').click();
  await page.locator('.learner-password input[name="current_password"]').waitFor();
  // A wrong current password is named at its field.
  await page.locator('.learner-password input[name="current_password"]').fill('not my password');
  await page.locator('.learner-password input[name="password"]').fill('the second password');
  await page.locator('.learner-password input[name="repeat"]').fill('the second password');
  await page.locator('.learner-password button[type="submit"]').click();
  await page.getByText(learnerMessages.en['learner.account.err.current_password.bad']).waitFor();
  await page.locator('.learner-password input[name="current_password"]').fill('the first password');
  await page.locator('.learner-password button[type="submit"]').click();
  // Saved: the form empties itself (the notice of the first save is already there).
  await page.waitForFunction(() => document.querySelector('input[name="current_password"]').value === '');
  await page.locator('.learner-saved').waitFor();
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
  assert.equal(me.account.login, login);
  const learner = await apiAs(service, login, 'the second password');
  assert.equal(learner.account.role, 'learner');
  assert.equal(learner.account.has_password, true);
  // A trainer may no longer give this person a code; the page says who can.
  const trainerPage = await phone('en-GB');
  await signIn(trainerPage, service, 'trainer.nura');
  await trainerPage.goto(`${service.url}/app/cohorts/${person.cohort.id}`);
  await chooseLanguage(trainerPage, 'en');
  await trainerPage.locator(`#access-code-${person.id}`).click();
  await trainerPage.getByText(trainerMessages.en['trainer.code.hasPassword']).waitFor();
  await page.context().close();
  await trainerPage.context().close();
});

// ---------------------------------------------------------------------------------------------
// Certificates: revoke, waiver, ZIP

/** A cohort with a valid certificate and someone who did not qualify and holds none. */
async function cohortForActions() {
  for (const cohort of (await admin.get('/cohorts')).json.items) {
    const rows = (await admin.get(`/cohorts/${cohort.id}/eligibility`)).json.items;
    const certificates = (await admin.get(`/cohorts/${cohort.id}/certificates`)).json.items;
    const unqualified = rows.find((row) => !row.completed && !row.certificate_id);
    const valid = certificates.find((c) => c.status === 'valid');
    if (unqualified && valid) return { cohort, unqualified, valid };
  }
  throw new Error('the demo data has no cohort with a certificate and someone who did not qualify');
}

test('an administrator revokes a certificate with a reason and issues one with a waiver', async () => {
  const { cohort, unqualified, valid } = await cohortForActions();
  const texts = trainerMessages.kk;
  const page = await phone();
  await signIn(page, service, 'admin');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  if ((await page.evaluate(() => document.documentElement.lang)) !== 'kk') await chooseLanguage(page, 'kk');

  await page.getByRole('button', { name: `${texts['trainer.cert.revoke']}: ${valid.full_name}, ${valid.serial}` }).click();
  const revokeForm = page.locator('.certificate-list .reason-form');
  // Too short a reason is named at the field and changes nothing.
  await revokeForm.locator('textarea').fill('x');
  await revokeForm.locator('button[type="submit"]').click();
  await revokeForm.getByText(texts['trainer.reason.invalid']).waitFor();
  assert.equal((await admin.get(`/certificates/${valid.id}`)).json.status, 'valid');
  const reason = 'Қате адамға берілген: аты-жөні шатастырылған';
  await revokeForm.locator('textarea').fill(reason);
  await revokeForm.locator('button[type="submit"]').click();
  await page.getByText(texts['trainer.cert.revokedDone'].replace('{name}', valid.full_name).replace('{serial}', valid.serial)).waitFor();
  const revoked = (await admin.get(`/certificates/${valid.id}`)).json;
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.revoked_reason, reason);
  await page.getByText(texts['trainer.cert.revokedReason'].replace('{reason}', reason)).waitFor();

  await page.getByRole('button', { name: `${texts['trainer.cert.waive']}: ${unqualified.participant_name}` }).click();
  const waiverForm = page.locator('.eligibility .reason-form');
  const waiver = 'Ауырып қалды, сабақтарды кейін тренермен жеке өтті';
  await waiverForm.locator('textarea').fill(waiver);
  await waiverForm.locator('button[type="submit"]').click();
  await page.locator('.notice-success', { hasText: unqualified.participant_name }).waitFor();
  const issued = (await admin.get(`/cohorts/${cohort.id}/certificates`)).json.items.find(
    (c) => c.enrolment_id === unqualified.enrolment_id && c.status === 'valid',
  );
  assert.ok(issued, 'the waiver issued a certificate');
  assert.equal(issued.waiver_reason ?? waiver, waiver);
  // A trainer sees no waiver button.
  const trainerPage = await phone();
  await signIn(trainerPage, service, 'trainer.nura');
  await trainerPage.goto(`${service.url}/app/cohorts/${(await trainer.get('/cohorts')).json.items[0].id}`);
  await trainerPage.locator('.eligibility').waitFor();
  assert.equal(await trainerPage.locator('.waive-button').count(), 0);
  await page.context().close();
  await trainerPage.context().close();
});

test("a trainer downloads the cohort's certificates as one ZIP", async () => {
  let cohort = null;
  for (const candidate of (await trainer.get('/cohorts')).json.items) {
    const certificates = (await trainer.get(`/cohorts/${candidate.id}/certificates`)).json.items;
    if (certificates.some((c) => c.status === 'valid')) {
      cohort = { ...candidate, certificates: certificates.filter((c) => c.status === 'valid') };
      break;
    }
  }
  assert.ok(cohort, 'trainer.nura has a cohort with certificates');
  const page = await phone();
  await signIn(page, service, 'trainer.nura');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  const link = page.locator('a.zip-link');
  assert.equal(await link.getAttribute('href'), `/api/v1/cohorts/${cohort.id}/certificates.zip`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /\.zip$/);
  const file = join(downloads, 'cohort.zip');
  await download.saveAs(file);
  const zip = readFileSync(file);
  assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
  const { stdout } = await run('unzip', ['-Z1', file]);
  assert.equal(stdout.trim().split('\n').length, cohort.certificates.length, stdout);
  await page.context().close();
});

// ---------------------------------------------------------------------------------------------
// A trainer's totals and access code slip

test("a trainer's totals page counts their own cohorts as the API does", async () => {
  const page = await phone();
  await signIn(page, service, 'trainer.nura');
  await page.goto(`${service.url}/app/cohorts`);
  await page.locator('a.totals-link').click();
  await page.waitForURL(`${service.url}/app/totals`);
  await page.locator('.totals-table').waitFor();
  const expected = (await trainer.get('/totals?by=cohort')).json;
  for (const measure of ['enrolled', 'trained', 'certified']) {
    const shown = await page.locator(`.totals-summary [data-measure="${measure}"] dd`).textContent();
    assert.equal(shown.replace(/\s/g, ''), String(expected.total[measure]), measure);
  }
  assert.equal(await page.locator('.totals-table tbody tr').count(), expected.margins[0].length);
  assert.equal(await page.locator('.totals-table tbody tr').count(), (await trainer.get('/cohorts')).json.items.length);
  // An administrator's link is the dashboard: the trainer's page is not theirs.
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 360, `the page fits a 360 px phone (${scroll} px)`);
  await page.context().close();
});

/** The fixed parts of a text, between its {parameters}. */
const fixedParts = (text) => text.split(/\{\w+\}/).map((part) => part.trim()).filter((part) => part.length > 2);

test("an access code comes with a slip in the learner's language that prints alone", async () => {
  const people = await nuraPeople();
  const person = people[people.length - 1];
  // The slip speaks the cohort's language however the trainer's screen speaks.
  const learnerLanguage = person.cohort.language;
  const trainerLanguage = learnerLanguage === 'kk' ? 'ru' : 'kk';
  const page = await phone();
  await signIn(page, service, 'trainer.nura');
  await page.goto(`${service.url}/app/cohorts/${person.cohort.id}`);
  // An earlier test chose English for this account, which keeps its language.
  await page.locator('h1').waitFor();
  if ((await page.evaluate(() => document.documentElement.lang)) !== trainerLanguage) await chooseLanguage(page, trainerLanguage);
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => {
      window.printed += 1;
    };
  });
  await page.locator(`#access-code-${person.id}`).click();
  const slip = page.locator('.print-slip');
  await slip.waitFor();
  const slipKeys = ['trainer.code.for', 'trainer.code.login', 'trainer.slip.validUntil', 'trainer.slip.open', 'trainer.slip.enter', 'trainer.slip.password'];
  const expectSlipIn = async (language) => {
    const printed = slip.locator(`.access-code-slip[lang="${language}"]`);
    await printed.waitFor();
    const texts = trainerMessages[language];
    await printed.getByText(texts['trainer.code.for'].replace('{name}', person.participant_name), { exact: true }).waitFor();
    await printed.getByText(texts['trainer.slip.enter'], { exact: true }).waitFor();
    await printed.getByText(texts['trainer.slip.password'], { exact: true }).waitFor();
    await printed.getByText(texts['trainer.slip.open'].replace('{address}', `${service.url}/app/login`), { exact: true }).waitFor();
    const whole = await printed.textContent();
    for (const key of slipKeys) {
      for (const part of fixedParts(texts[key])) assert.ok(whole.includes(part), `${language} ${key}: "${part}" on the slip`);
      for (const other of ['kk', 'ru', 'en'].filter((code) => code !== language)) {
        for (const part of fixedParts(trainerMessages[other][key])) {
          if (!texts[key].includes(part)) assert.ok(!whole.includes(part), `no ${other} "${part}" on a ${language} slip`);
        }
      }
    }
  };
  await expectSlipIn(learnerLanguage);
  // What the trainer reads and presses stays in the trainer's language, and is not printed.
  const trainerTexts = trainerMessages[trainerLanguage];
  await slip.getByRole('combobox', { name: trainerTexts['trainer.slip.language'] }).waitFor();
  assert.equal(await slip.locator('select').inputValue(), learnerLanguage);

  // Another learner's language chosen on the slip: every text of it follows.
  const chosen = learnerLanguage === 'en' ? 'ru' : 'en';
  await slip.locator('select').selectOption(chosen);
  await expectSlipIn(chosen);

  await slip.getByRole('button', { name: trainerTexts['trainer.slip.print'] }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: 'print' });
  const seen = await page.evaluate(() => ({
    heading: getComputedStyle(document.querySelector('h1')).visibility,
    code: getComputedStyle(document.querySelector('.print-slip .access-code')).visibility,
    steps: getComputedStyle(document.querySelector('.print-slip .access-code-steps')).visibility,
    trainer: getComputedStyle(document.querySelector('.print-slip .no-print')).display,
  }));
  assert.deepEqual(seen, { heading: 'hidden', code: 'visible', steps: 'visible', trainer: 'none' });
  assert.match(await slip.locator('.access-code').textContent(), /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  await page.context().close();
});

// ---------------------------------------------------------------------------------------------
// A new cohort, a display name on its certificate, and the public check page

test('a display name set on the Accounts page prints on a certificate of a cohort the trainer opened, and the paper checks', async () => {
  const displayName = 'Сәуле Жақыпқызы Әбілова';
  // The administrator names the trainer.
  const adminPage = await newPage(browser, { viewport: desktop, locale: 'kk-KZ' });
  await signIn(adminPage, service, 'admin');
  await adminPage.goto(`${service.url}/app/manage/accounts`);
  const row = adminPage.locator('li[data-login="trainer.nura"]');
  await row.locator('.rename-button').click();
  await row.locator('.name-edit input[name="display_name"]').fill(displayName);
  await row.locator('.name-edit button[type="submit"]').click();
  await row.locator('.manage-item-title', { hasText: displayName }).waitFor();
  const accounts = (await admin.get('/accounts?role=trainer')).json.items;
  assert.equal(accounts.find((a) => a.login === 'trainer.nura').display_name, displayName);

  // The trainer opens a cohort of a course in the web app.
  const course = (await trainer.get('/courses')).json.items.find((c) => c.gives_certificate);
  const existing = (await trainer.get('/cohorts')).json.items[0];
  const page = await phone();
  await signIn(page, service, 'trainer.nura');
  await page.goto(`${service.url}/app/cohorts`);
  await page.locator('.new-cohort summary').click();
  await page.locator('select[name="course_id"]').selectOption(String(course.id));
  await page.locator('select[name="locality_id"]').selectOption(String(existing.locality_id));
  await page.locator('input[name="place"]').fill('Нұра кенті, кітапхана');
  await page.locator('input[name="starts_on"]').fill('2026-04-06');
  await page.locator('input[name="ends_on"]').fill('2026-04-07');
  await page.locator('select[name="language"]').selectOption('kk');
  await page.locator('.new-cohort button[type="submit"]').click();
  await page.waitForURL(/\/app\/cohorts\/\d+$/);
  const cohortId = Number(new URL(page.url()).pathname.split('/').pop());
  const cohort = (await trainer.get(`/cohorts/${cohortId}`)).json;
  assert.equal(cohort.course_id, course.id);
  assert.equal(cohort.place, 'Нұра кенті, кітапхана');

  // One session, one person who came: the trainer issues their certificate.
  const session = await trainer.post(`/cohorts/${cohortId}/sessions`, { starts_at: '2026-04-06T04:00:00Z', duration_minutes: 240, topic: 'Кіріспе' });
  assert.equal(session.status, 201, session.text);
  const person = (await nuraPeople())[3];
  const enrolment = await trainer.post(`/cohorts/${cohortId}/enrolments`, { participant_id: person.participant_id });
  assert.equal(enrolment.status, 201, enrolment.text);
  const sheet = await trainer.put(`/sessions/${session.json.id}/attendance`, { marks: [{ enrolment_id: enrolment.json.id, status: 'present' }] });
  assert.equal(sheet.status, 200, sheet.text);
  await page.reload();
  await page.locator('.cert-section button.button-primary').click();
  const item = page.locator('.certificate-list li').first();
  await item.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), item.locator('a[download]').click()]);
  const file = join(downloads, 'new.pdf');
  await download.saveAs(file);
  const pdf = await pdfText(file);
  assert.ok(pdf.includes(displayName), `the PDF names the trainer "${displayName}":\n${pdf.slice(0, 800)}`);
  assert.ok(!pdf.includes('trainer.nura'), 'the login is not printed');
  // The check code, labelled in every language of the page.
  const certificate = (await trainer.get(`/cohorts/${cohortId}/certificates`)).json.items[0];
  for (const label of ['Тексеру коды', 'Код проверки', 'Check code']) assert.ok(pdf.includes(label), `"${label}" on the PDF`);
  const code = pdf.match(/\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/)?.[1];
  assert.ok(code, `a check code on the PDF:\n${pdf}`);

  // Someone holding the paper types its serial and code on the public page, without an account.
  const visitor = await phone('ru-RU');
  await visitor.goto(`${service.url}/check`);
  assert.equal(await visitor.evaluate(() => document.documentElement.lang), 'ru');
  await visitor.locator('input[name="serial"]').fill(certificate.serial.toLowerCase());
  await visitor.locator('input[name="code"]').fill(code.replace('-', ''));
  await visitor.locator('button[type="submit"]').click();
  await visitor.locator('.status.valid').waitFor();
  assert.ok((await visitor.locator('dl').textContent()).includes(person.participant_name));
  // A wrong code is refused and shows nobody's name.
  const wrong = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
  await visitor.locator('input[name="code"]').fill(wrong);
  await visitor.locator('button[type="submit"]').click();
  await visitor.locator('.status.unknown').waitFor();
  assert.ok(!(await visitor.content()).includes(person.participant_name));
  const answer = await fetch(`${service.url}/api/v1/check/${certificate.serial}?code=${wrong}`);
  assert.equal(answer.status, 404);
  assert.match(answer.headers.get('content-type'), /^application\/problem\+json/);
  assert.deepEqual(pageErrors, []);
  await adminPage.context().close();
  await page.context().close();
  await visitor.context().close();
});
