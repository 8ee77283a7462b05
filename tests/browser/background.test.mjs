// Marks sent in the background on a 360 × 740 phone (Chromium's Background Sync): a trainer opens a
// sheet online, loses the connection, marks two people, closes every page of the app; the
// connection returns and the service worker sends the marks with no page open. A page opened
// afterwards, even without a connection, takes what the worker sent and counts nothing waiting.
// Chromium holds a sync registered under playwright's offline emulation (DevTools' offline counts
// for the service worker too) and fires it by itself once the emulation ends: the browser's own
// `sync`, nothing dispatched by the test. Registrations go the same way: a new person is registered
// and enrolled with every page closed, and a likely duplicate waits for the trainer's answer on the
// next page, neither dropped nor confirmed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import trainerMessages from '../../plugin/web/src/pages/trainer/messages.js';
import { apiAs, launchBrowser, newPage, signIn, startService } from './harness.mjs';

let service;
let browser;

before(async () => {
  service = await startService({ prefix: 'background' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** The copies the page mirrored for the service worker (IndexedDB 'qatysu-background'), each as
 * {kind, session_id, pending, name}. */
function copies(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open('qatysu-background');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const database = opening.result;
          if (!database.objectStoreNames.contains('copies')) return resolve([]);
          const all = database.transaction('copies').objectStore('copies').getAll();
          all.onsuccess = () =>
            resolve(all.result.map((c) => ({ kind: c.kind ?? 'sheet', session_id: c.session_id, pending: c.record ? Object.keys(c.record.pending).length : 0, name: c.item?.name })));
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** The sheets mirrored: [{session_id, pending}]. */
const mirrored = async (page) => (await copies(page)).filter((c) => c.kind === 'sheet').map(({ session_id, pending }) => ({ session_id, pending }));

/** The registrations mirrored, by name. */
const mirroredRegistrations = async (page) => (await copies(page)).filter((c) => c.kind === 'registration').map((c) => c.name).sort();

/** A 360 px phone signed in as `login` in Russian, its service worker in control; the page's
 * errors are collected. */
async function phoneWithWorker(login) {
  const page = await newPage(browser, { locale: 'ru-RU' });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await signIn(page, service, login);
  await page.waitForURL(/\/app\/cohorts$/);
  await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller));
  return { page, context: page.context(), pageErrors };
}

test('marks made offline reach the server with every page closed; the next page counts nothing waiting', async () => {
  const login = 'trainer.glubokoe';
  const client = await apiAs(service, login);
  let cohort = null;
  for (const candidate of (await client.get('/cohorts')).json.items) {
    if ((await client.get(`/cohorts/${candidate.id}/enrolments`)).json.items.length >= 2) {
      cohort = candidate;
      break;
    }
  }
  assert.ok(cohort, 'a cohort with two people');
  const created = await client.post(`/cohorts/${cohort.id}/sessions`, { starts_at: '2019-09-10T04:00:00Z', duration_minutes: 90, topic: 'Фоновая отправка' });
  assert.equal(created.status, 201, created.text);
  const meeting = created.json;

  const { page, context, pageErrors } = await phoneWithWorker(login);
  await page.goto(`${service.url}/app/sessions/${meeting.id}`);
  const rows = page.locator('button.att-row');
  await rows.nth(1).waitFor();
  assert.equal(await page.evaluate(async () => 'sync' in (await navigator.serviceWorker.ready)), true, 'this Chromium has Background Sync');

  await context.setOffline(true);
  const first = await rows.nth(0).getAttribute('data-enrolment');
  const second = await rows.nth(1).getAttribute('data-enrolment');
  await rows.nth(0).click(); // present
  await rows.nth(1).click(); // present
  await rows.nth(1).click(); // absent
  await page.locator(`button.att-row[data-enrolment="${second}"][data-status="absent"]`).waitFor();
  await page.locator('.outbox[data-waiting="2"]').waitFor();
  // The page mirrors the sheet for the worker as it writes it (given a few seconds; the test goes
  // on either way, so an app that mirrors nothing fails on what reaches the server).
  const copy = [{ session_id: String(meeting.id), pending: 2 }];
  for (let i = 0; i < 20 && JSON.stringify(await mirrored(page)) !== JSON.stringify(copy); i += 1) await page.waitForTimeout(500);

  // Every page of the app closed (the browser and its service worker stay), then back online.
  await page.close();
  assert.equal(context.pages().length, 0);
  const marksOnServer = async () => Object.fromEntries((await client.get(`/sessions/${meeting.id}/attendance`)).json.rows.map((r) => [String(r.enrolment_id), r.status]));
  assert.equal((await marksOnServer())[first], null, 'nothing reached the server while offline');
  await context.setOffline(false);

  let marks = {};
  for (let i = 0; i < 60 && marks[second] !== 'absent'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    marks = await marksOnServer();
  }
  assert.equal(marks[first], 'present');
  assert.equal(marks[second], 'absent');

  // The next page opens without a connection: only what the worker noted can clear its count.
  await context.setOffline(true);
  const next = await context.newPage();
  next.on('pageerror', (error) => pageErrors.push(String(error)));
  await next.goto(`${service.url}/app/cohorts`);
  await next.locator('.outbox[data-waiting="0"]').waitFor({ state: 'attached' });
  await next.goto(`${service.url}/app/sessions/${meeting.id}`);
  await next.locator(`button.att-row[data-enrolment="${second}"][data-status="absent"]`).waitFor();
  await next.locator('.outbox[data-waiting="0"]').waitFor({ state: 'attached' });
  assert.deepEqual(await mirrored(next), [], 'nothing left for the worker to send');
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('registrations queued offline go with every page closed: a new person is enrolled, a likely duplicate waits for the trainer', async () => {
  const login = 'trainer.glubokoe';
  const client = await apiAs(service, login);
  const cohort = (await client.get('/cohorts')).json.items[0];
  const someone = (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items[0];
  const known = (await client.get(`/participants/${someone.participant_id}`)).json;
  const sameName = async () => (await client.get(`/participants?q=${encodeURIComponent(known.full_name)}&limit=200`)).json.items.filter((p) => p.birth_year === known.birth_year).length;
  const namesakes = await sameName();
  const newcomer = { full_name: 'Ақбота Түнгібаева', gender: 'female', birth_year: 1993, locality_id: known.locality_id, affiliation: 'community_member' };
  const texts = trainerMessages.ru;

  const { page, context, pageErrors } = await phoneWithWorker(login);
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  await page.locator(`select[name="locality_id"] option[value="${known.locality_id}"]`).waitFor({ state: 'attached' });

  await context.setOffline(true);
  for (const person of [newcomer, known]) {
    await page.locator('input[name="full_name"]').fill(person.full_name);
    await page.locator('select[name="gender"]').selectOption(person.gender);
    await page.locator('input[name="birth_year"]').fill(String(person.birth_year));
    await page.locator('select[name="locality_id"]').selectOption(String(person.locality_id));
    await page.locator('select[name="affiliation"]').selectOption(person.affiliation);
    await page.locator('input[name="consent"]').check();
    await page.locator('form button[type="submit"]').click();
    await page.locator('.register-done', { hasText: texts['trainer.register.queued'].replace('{name}', person.full_name) }).waitFor();
    await page.locator('button', { hasText: texts['trainer.register.another'] }).click();
  }
  await page.locator('.outbox[data-waiting="2"]').waitFor();
  // Mirrored for the worker as they are queued (given a few seconds; the test goes on either way,
  // so an app that mirrors nothing fails on what reaches the server).
  const both = [newcomer.full_name, known.full_name].sort();
  for (let i = 0; i < 20 && JSON.stringify(await mirroredRegistrations(page)) !== JSON.stringify(both); i += 1) await page.waitForTimeout(500);

  await page.close();
  assert.equal(context.pages().length, 0);
  const enrolledNewcomer = async () => (await client.get(`/cohorts/${cohort.id}/enrolments`)).json.items.filter((e) => e.participant_name === newcomer.full_name);
  assert.deepEqual(await enrolledNewcomer(), [], 'nothing reached the server while offline');
  await context.setOffline(false);

  let enrolled = [];
  for (let i = 0; i < 60 && enrolled.length === 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    enrolled = await enrolledNewcomer();
  }
  assert.equal(enrolled.length, 1, 'the new person registered and enrolled once, with no page open');
  assert.equal(await sameName(), namesakes, 'the likely duplicate registered nobody');

  // The next page, without a connection: the new person is no longer waiting; the question is.
  await context.setOffline(true);
  const next = await context.newPage();
  next.on('pageerror', (error) => pageErrors.push(String(error)));
  await next.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  const question = next.locator('.queued-registrations li[data-state="duplicate"]');
  await question.waitFor();
  assert.match(await question.innerText(), new RegExp(known.full_name));
  await next.locator('.outbox[data-waiting="1"]').waitFor();
  assert.equal(await next.locator('.queued-registrations li').count(), 1);
  assert.deepEqual(await mirroredRegistrations(next), [], 'nothing left for the worker to send');
  assert.equal(await sameName(), namesakes);
  assert.deepEqual(pageErrors, []);
  await context.close();
});
