// Marks sent by the service worker with no page open (src/offline/background.js) against a fake
// server, then taken back by the page (SheetStore.absorb): marks the server confirmed are dropped,
// a mark tapped again meanwhile keeps waiting, a PUT whose answer was lost leaves every mark in
// the page (and what it sent is no conflict later), an outcome older than the page's own reading
// drops nothing.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forgetSavedSheets, memoryStorage, openSheet } from '../src/pages/attendance/store.js';
import { request, sendQueue, waiting } from '../src/offline/queue.js';
import { marksToSend, sendCopy } from '../src/offline/background.js';

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const row = (enrolment_id, status = null, marked_at = status ? 't1' : null) => ({ enrolment_id, participant_id: enrolment_id + 100, participant_name: `P${enrolment_id}`, status, marked_at, marked_by: null });

/** A fake server holding one sheet (session 5) that applies PUTs; `lose` drops PUT answers. */
function server(rows, { lose = false } = {}) {
  const sheet = new Map(rows.map((r) => [r.enrolment_id, r]));
  const calls = [];
  globalThis.fetch = async (url, init) => {
    const path = String(url).replace(/^\/api\/v1/, '');
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method: init.method, path, body });
    if (path !== '/sessions/5/attendance') throw new TypeError('Failed to fetch');
    if (init.method === 'PUT') {
      for (const mark of body.marks) sheet.set(mark.enrolment_id, row(mark.enrolment_id, mark.status, 't2'));
      if (lose) throw new TypeError('Failed to fetch');
    }
    return json(200, { rows: [...sheet.values()] });
  };
  return calls;
}

/** The copy the page mirrors into IndexedDB (background.js copyOf), cloned as IndexedDB does. */
const copyOf = (store) => structuredClone({ key: store.key, account_id: 1, session_id: store.sessionId, stamp: store.record.seq, record: store.record });

let storage;
beforeEach(() => {
  storage = memoryStorage();
  forgetSavedSheets(storage);
});

function markedSheet() {
  const sheet = openSheet(5, storage, 1);
  sheet.setServerRows([row(1), row(2), row(3)], '2026-12-07T10:00:00.000Z');
  sheet.setHeading({ cohort_id: 3 });
  sheet.tap(1);
  sheet.tap(2);
  sheet.tap(2);
  return sheet;
}

test('marks the worker sent are dropped by the page that opens next; nothing waits', async () => {
  const sheet = markedSheet();
  const calls = server([row(1), row(2), row(3)]);
  const noted = [];
  const outcome = await sendCopy(copyOf(sheet), request, async (sending) => noted.push(sending));
  assert.deepEqual(calls.find((c) => c.method === 'PUT').body.marks, [{ enrolment_id: 1, status: 'present' }, { enrolment_id: 2, status: 'absent' }]);
  assert.deepEqual(noted, [{ sent: { 1: ['present'], 2: ['absent'] } }], 'what goes is noted before the PUT');
  assert.equal(waiting(storage, 1).marks, 2, 'the worker never writes the page’s storage');

  sheet.absorb(outcome);
  assert.equal(waiting(storage, 1).total, 0);
  assert.equal(sheet.statusOf(2), 'absent');
  assert.equal(sheet.serverRow(2).marked_at, 't2');
  // The page's own send then has nothing to do.
  const after = server([row(1, 'present', 't2'), row(2, 'absent', 't2'), row(3)]);
  await sendQueue({ storage, accountId: 1 });
  assert.equal(after.filter((c) => c.method === 'PUT').length, 0);
});

test('a mark tapped again after the copy was made keeps waiting, based on the worker’s write', async () => {
  const sheet = markedSheet();
  const copy = copyOf(sheet);
  sheet.tap(2); // absent → late, on the page, while the worker sends the copy
  server([row(1), row(2), row(3)]);
  const outcome = await sendCopy(copy, request);
  sheet.absorb(outcome);
  assert.equal(sheet.pendingCount, 1);
  assert.equal(sheet.statusOf(2), 'late');
  assert.equal(marksToSend(storage, 1), 1);
  // Sent next, with no conflict: the server's row changed by our own write.
  const calls = server([row(1, 'present', 't2'), row(2, 'absent', 't2'), row(3)]);
  await sendQueue({ storage, accountId: 1 });
  assert.deepEqual(calls.find((c) => c.method === 'PUT').body.marks, [{ enrolment_id: 2, status: 'late' }]);
  assert.equal(waiting(storage, 1).total, 0);
});

test('a PUT whose answer was lost leaves every mark in the page, and is no conflict later', async () => {
  const sheet = markedSheet();
  server([row(1), row(2), row(3)], { lose: true });
  const noted = [];
  await assert.rejects(sendCopy(copyOf(sheet), request, async (sending) => noted.push(sending)));
  sheet.absorb({ ...noted[0], confirmed: null });
  assert.equal(sheet.pendingCount, 2);
  sheet.tap(2); // absent → late
  const calls = server([row(1, 'present', 't2'), row(2, 'absent', 't2'), row(3)]);
  await sendQueue({ storage, accountId: 1 });
  assert.equal(sheet.conflicts.length, 0, 'the server holds what the worker sent, not someone else’s mark');
  assert.deepEqual(calls.find((c) => c.method === 'PUT').body.marks, [{ enrolment_id: 2, status: 'late' }]);
  assert.equal(waiting(storage, 1).total, 0);
});

test('an outcome older than the page’s own reading of the sheet drops nothing', async () => {
  const sheet = markedSheet();
  server([row(1), row(2), row(3)]);
  const outcome = await sendCopy(copyOf(sheet), request);
  sheet.setServerRows([row(1), row(2, 'excused', 't3'), row(3)], '2999-01-01T00:00:00.000Z');
  sheet.absorb(outcome);
  assert.equal(sheet.pendingCount, 2);
  assert.equal(sheet.serverRow(2).status, 'excused');
});
