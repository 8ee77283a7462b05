// Marks sent in the background on a 360 × 740 phone (Chromium's Background Sync): a trainer opens a
// sheet online, loses the connection, marks two people, closes every page of the app; the
// connection returns and the service worker sends the marks with no page open. A page opened
// afterwards, even without a connection, takes what the worker sent and counts nothing waiting.
//
// Chromium decides when to fire `sync` from the machine's own connection, which playwright's
// offline emulation does not change: the sync registered while "offline" fires at once, finds
// the page open, the page's send fails, and the browser's retry comes minutes later. So once the
// pages are closed and the connection is back, the test fires the retry itself through DevTools'
// ServiceWorker.dispatchSyncEvent (as Chromium's own tests do): the same `sync` event of the same
// registration's tag, handled by the same code as the browser's own retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

/** The copies the page mirrored for the service worker (IndexedDB 'qatysu-background'). */
function mirrored(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open('qatysu-background');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const database = opening.result;
          if (!database.objectStoreNames.contains('copies')) return resolve([]);
          const all = database.transaction('copies').objectStore('copies').getAll();
          all.onsuccess = () => resolve(all.result.map((c) => ({ session_id: c.session_id, pending: Object.keys(c.record.pending).length })));
          all.onerror = () => reject(all.error);
        };
      }),
  );
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

  const page = await newPage(browser, { locale: 'ru-RU' });
  const context = page.context();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await signIn(page, service, login);
  await page.waitForURL(/\/app\/cohorts$/);
  await page.waitForFunction(() => Boolean(navigator.serviceWorker?.controller));
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
  // The page mirrors the sheet for the worker as it writes it.
  await page.waitForFunction(async (id) => {
    const copies = await new Promise((resolve) => {
      const opening = indexedDB.open('qatysu-background');
      opening.onsuccess = () => {
        const database = opening.result;
        if (!database.objectStoreNames.contains('copies')) return resolve([]);
        const all = database.transaction('copies').objectStore('copies').getAll();
        all.onsuccess = () => resolve(all.result);
      };
    });
    return copies.some((c) => c.session_id === id && Object.keys(c.record.pending).length === 2);
  }, String(meeting.id));
  assert.deepEqual(await mirrored(page), [{ session_id: String(meeting.id), pending: 2 }]);

  // Every page of the app closed; a blank tab (no page of the app) carries the DevTools session.
  const blank = await context.newPage();
  await page.close();
  assert.equal(context.pages().length, 1);
  await context.setOffline(false);
  const marksOnServer = async () => Object.fromEntries((await client.get(`/sessions/${meeting.id}/attendance`)).json.rows.map((r) => [String(r.enrolment_id), r.status]));
  assert.equal((await marksOnServer())[first], null, 'nothing reached the server while offline');

  const devtools = await context.newCDPSession(blank);
  const registrations = new Promise((resolve) => devtools.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: all }) => resolve(all)));
  await devtools.send('ServiceWorker.enable');
  const registration = (await registrations).find((r) => r.scopeURL.startsWith(service.url) && !r.isDeleted);
  assert.ok(registration, 'the app’s service worker is registered');
  await devtools.send('ServiceWorker.dispatchSyncEvent', { origin: service.url, registrationId: registration.registrationId, tag: 'qatysu-marks', lastChance: false });

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
