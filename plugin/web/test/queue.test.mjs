// The device's queue (src/offline/queue.js) against a fake server: marks of a sheet not on screen
// and queued registrations go in one send; a registration whose answer was lost is resent without
// not_duplicate, so it can never register a person twice; a duplicate question or a refusal stays
// for the trainer; what waits is counted per cohort.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { openSheet, forgetSavedSheets, memoryStorage } from '../src/pages/attendance/store.js';
import { answerRegistration, marksWaitingFor, queueRegistration, queuedRegistrations, sendQueue, sheetOpen, waiting } from '../src/offline/queue.js';

const json = (status, body, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

/** A fake server: `routes` maps "METHOD /path" to (body) → Response; every call is recorded. */
function serve(routes) {
  const calls = [];
  globalThis.fetch = async (url, init) => {
    const path = String(url).replace(/^\/api\/v1/, '');
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method: init.method, path, body, headers: init.headers });
    const handler = routes[`${init.method} ${path}`];
    if (!handler) throw new TypeError('Failed to fetch');
    return handler(body);
  };
  return calls;
}

const row = (enrolment_id, status = null) => ({ enrolment_id, participant_id: enrolment_id + 100, participant_name: `P${enrolment_id}`, status, marked_at: status ? 't1' : null, marked_by: null });
const person = { full_name: 'Гүлназ Серікболқызы', gender: 'female', birth_year: 1987, locality_id: 7, affiliation: 'community_member', consent: true };

let storage;
beforeEach(() => {
  storage = memoryStorage();
  forgetSavedSheets(storage);
});

test('marks of a sheet not on screen and a queued registration go in one send', async () => {
  const sheet = openSheet(5, storage, 1);
  sheet.setServerRows([row(1), row(2)]);
  sheet.setHeading({ cohort_id: 3 });
  sheet.tap(1);
  queueRegistration(storage, 1, { cohort_id: 3, body: person, enrol_key: 'k1' });
  const summary = waiting(storage, 1);
  assert.deepEqual([summary.marks, summary.registrations, summary.total], [1, 1, 2]);
  assert.equal(marksWaitingFor(summary, 3), 1);
  assert.equal(marksWaitingFor(summary, 4), 0);

  const calls = serve({
    'GET /sessions/5/attendance': () => json(200, { rows: [row(1), row(2)] }),
    'PUT /sessions/5/attendance': () => json(200, { rows: [row(1, 'present'), row(2)] }),
    'POST /participants': () => json(201, { id: 41, ...person }),
    'POST /cohorts/3/enrolments': () => json(201, { id: 88 }),
  });
  const { sent, failed } = await sendQueue({ storage, accountId: 1 });
  assert.equal(failed, null);
  assert.equal(sent, 2);
  assert.equal(waiting(storage, 1).total, 0);
  assert.deepEqual(calls.find((c) => c.method === 'PUT').body, { marks: [{ enrolment_id: 1, status: 'present' }] });
  const enrol = calls.find((c) => c.path === '/cohorts/3/enrolments');
  assert.equal(enrol.headers['Idempotency-Key'], 'k1');
  assert.deepEqual(enrol.body, { participant_id: 41 });
});

test('a sheet on screen sends its own marks: the queue leaves it alone', async () => {
  const sheet = openSheet(6, storage, 1);
  sheet.setServerRows([row(1)]);
  sheet.tap(1);
  const close = sheetOpen(sheet);
  const calls = serve({});
  await sendQueue({ storage, accountId: 1 });
  assert.equal(calls.length, 0);
  close();
});

test('a registration whose answer was lost is resent without not_duplicate, and its question waits for the trainer', async () => {
  queueRegistration(storage, 1, { cohort_id: 3, body: { ...person, not_duplicate: true }, enrol_key: 'k2' });
  // The first try: the request goes, its answer never comes.
  serve({});
  const first = await sendQueue({ storage, accountId: 1 });
  assert.ok(first.failed?.offline);
  assert.equal(queuedRegistrations(storage, 1)[0].uncertain, true);

  const calls = serve({
    'POST /participants': () =>
      json(409, { type: 'https://qatysu.kz/problems/duplicate-participant', candidates: [{ id: 41, full_name: person.full_name, birth_year: 1987, locality_id: 7 }] }, 'application/problem+json'),
  });
  await sendQueue({ storage, accountId: 1 });
  assert.equal(calls[0].body.not_duplicate, undefined, 'the person the lost request may have registered is asked about');
  const [item] = queuedRegistrations(storage, 1);
  assert.equal(item.state, 'duplicate');
  assert.equal(item.candidates[0].id, 41);
  const summary = waiting(storage, 1);
  assert.equal(summary.answers, 1);
  assert.equal(summary.ask, '/app/cohorts/3/register');

  // Not sent again until answered; the answer sends it as the same person.
  assert.equal((await sendQueue({ storage, accountId: 1 })).sent, 0);
  answerRegistration(storage, 1, item.id, { same_person: 41 });
  const again = serve({
    'POST /participants': () => json(200, { id: 41, ...person }),
    'POST /cohorts/3/enrolments': () => json(201, { id: 89 }),
  });
  await sendQueue({ storage, accountId: 1 });
  assert.equal(again[0].body.same_person, 41);
  assert.deepEqual(queuedRegistrations(storage, 1), []);
});

test('a registration the server refuses stays, with its reason, until the trainer removes it', async () => {
  queueRegistration(storage, 1, { cohort_id: 3, body: { ...person, birth_year: 1700 }, enrol_key: 'k3' });
  serve({ 'POST /participants': () => json(422, { type: 'x/invalid-field', detail: 'birth_year: must be between 1900 and 2026' }, 'application/problem+json') });
  await sendQueue({ storage, accountId: 1 });
  const [item] = queuedRegistrations(storage, 1);
  assert.equal(item.state, 'rejected');
  assert.match(item.problem.detail, /birth_year/);
  assert.equal(waiting(storage, 1).answers, 1);
});

test("another account's queue is never sent or counted", async () => {
  queueRegistration(storage, 2, { cohort_id: 3, body: person, enrol_key: 'k4' });
  assert.equal(waiting(storage, 1).total, 0);
  const calls = serve({});
  await sendQueue({ storage, accountId: 1 });
  assert.equal(calls.length, 0);
});
