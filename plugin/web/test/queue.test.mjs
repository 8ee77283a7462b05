// The device's queue (src/offline/queue.js) against a fake server: marks of a sheet not on screen
// and queued registrations go in one send; a registration whose answer was lost is resent without
// not_duplicate, so it can never register a person twice; a duplicate question or a refusal stays
// for the trainer; what waits is counted per cohort; what the service worker sent of a
// registration is taken back by the page (a duplicate question still waits for the trainer).
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { openSheet, forgetSavedSheets, memoryStorage } from '../src/pages/attendance/store.js';
import { absorbRegistration, answerRegistration, marksWaitingFor, queueRegistration, queuedRegistrations, sendQueue, sendRegistration, sheetOpen, storageHolding, waiting } from '../src/offline/queue.js';

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

// What the service worker does with a copy of a queued registration (background.js sends it from
// a storage of its own and notes each step), taken back into the page's queue.
const workerSends = async (item, persisted = []) => {
  const copy = structuredClone(item);
  const own = storageHolding(1, [copy]);
  const persist = async () => persisted.push(structuredClone(queuedRegistrations(own, 1)[0] ?? null));
  let failed = null;
  try {
    await sendRegistration(own, 1, copy, persist);
  } catch (error) {
    failed = error;
  }
  return { sent: queuedRegistrations(own, 1)[0] ?? null, persisted, failed };
};

test('a registration the worker sent and enrolled leaves the queue of the next page; the worker never wrote it', async () => {
  const item = queueRegistration(storage, 1, { cohort_id: 3, body: { ...person, not_duplicate: true }, enrol_key: 'k1' });
  serve({
    'POST /participants': () => json(201, { id: 41, ...person }),
    'POST /cohorts/3/enrolments': () => json(201, { id: 88 }),
  });
  const { sent, persisted, failed } = await workerSends(item);
  assert.equal(failed, null);
  assert.equal(sent, null, 'registered and enrolled');
  // Noted before the registration went, and once it was answered.
  assert.deepEqual(persisted.map((p) => [p.uncertain, p.participant?.id ?? null]), [[true, null], [false, 41]]);
  assert.equal(waiting(storage, 1).registrations, 1, 'the page still holds it until it takes the outcome');
  assert.equal(absorbRegistration(storage, 1, item.id, sent), true);
  assert.equal(waiting(storage, 1).total, 0);
  assert.equal(absorbRegistration(storage, 1, item.id, sent), false, 'taken once');
});

test('a likely duplicate the worker was told of waits for the trainer in the page, never dropped, never confirmed', async () => {
  const item = queueRegistration(storage, 1, { cohort_id: 3, body: person, enrol_key: 'k1' });
  const candidates = [{ id: 9, full_name: 'Гүлназ Серікболқызы', birth_year: 1987, locality_id: 7 }];
  const calls = serve({
    'POST /participants': () => json(409, { type: 'https://qatysu.kz/problems/duplicate-participant', title: 'x', status: 409, candidates }, 'application/problem+json'),
  });
  const { sent, failed } = await workerSends(item);
  assert.equal(failed, null);
  assert.equal(sent.state, 'duplicate');
  assert.equal(calls.filter((c) => c.path.includes('/enrolments')).length, 0, 'nobody enrolled');
  absorbRegistration(storage, 1, item.id, sent);
  const [kept] = queuedRegistrations(storage, 1);
  assert.deepEqual([kept.state, kept.candidates.map((c) => c.id)], ['duplicate', [9]]);
  const summary = waiting(storage, 1);
  assert.deepEqual([summary.registrations, summary.answers, summary.ask], [1, 1, '/app/cohorts/3/register']);
  // The page sends nothing for it until the trainer answers.
  const again = serve({});
  await sendQueue({ storage, accountId: 1 });
  assert.deepEqual(again, []);
});

test('a registration whose answer the worker lost is resent by the page without not_duplicate', async () => {
  const item = queueRegistration(storage, 1, { cohort_id: 3, body: { ...person, not_duplicate: true }, enrol_key: 'k1' });
  serve({}); // the request goes and no answer comes
  const { sent, failed } = await workerSends(item);
  assert.ok(failed, 'a failure the browser retries the sync for');
  assert.equal(sent.uncertain, true);
  absorbRegistration(storage, 1, item.id, sent);
  const calls = serve({
    'POST /participants': () => json(409, { type: 'https://qatysu.kz/problems/duplicate-participant', title: 'x', status: 409, candidates: [{ id: 41 }] }, 'application/problem+json'),
  });
  await sendQueue({ storage, accountId: 1 });
  assert.equal(calls[0].body.not_duplicate, undefined, 'the person the lost request may have registered comes back as a question');
  assert.equal(queuedRegistrations(storage, 1)[0].state, 'duplicate');
});
