// The device's one queue of changes the server has not confirmed: the marks of every kept sheet
// (pages/attendance/store.js) and the people registered without a connection. Both live in
// localStorage, written before the tap or the press is answered, so closing the tab, a reload or a
// flat battery loses nothing; sendQueue() sends them from whatever page is open (marks also from
// the service worker where the browser allows: background.js). Plain JS with no DOM beyond what is
// passed in, so it runs under node too.
//
// A queued registration is {id, cohort_id, name, body, enrol_key, participant, uncertain, state,
// candidates, problem, queued_at}:
// - `body` is POST /participants' body (with same_person or not_duplicate once the trainer
//   answered a duplicate question); `participant` ({id, full_name}) is set once the server
//   registered the person, so a resend only enrols them;
// - the enrolment carries `enrol_key` as its Idempotency-Key: sent twice, it enrols once;
// - `uncertain`: a registration request went out and its answer never came. The server may hold
//   the person already, so the resend leaves out not_duplicate: a person it registered then comes
//   back as a duplicate candidate for the trainer to confirm, and is never registered twice;
// - `state`: 'waiting' (to send), 'duplicate' (the server asks whether one of `candidates` is
//   this person) or 'rejected' (the server refused it: `problem`). The last two wait for the
//   trainer; nothing is ever dropped but by the trainer's own press.
import {api, ApiError} from '../api.js';
import {keptSessions, onSheetWrite, openSheet, sendSheet} from '../pages/attendance/store.js';

/** How long one request may take before it counts as lost: a weak connection can hang for minutes. */
const kRequestSeconds = 20;
const kVersion = 1;

/** api() with a time limit; a request that runs out of time fails like one without a connection. */
export async function request(path, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), kRequestSeconds * 1000);
  try {
    return await api(path, { ...options, signal: controller.signal });
  } catch (error) {
    if (error?.name === 'AbortError') throw new ApiError(0, null, true);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A failure worth retrying by itself: no connection, a timeout, an overloaded or broken server. */
export function isTransient(error) {
  if (!error) return false;
  return error.offline || error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

const listeners = new Set();

function notify() {
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever the queue changes (a mark, a registration, an answer); answers the
 * function that stops it. */
export function onQueueChange(listener) {
  listeners.add(listener);
  const stop = onSheetWrite(listener);
  return () => {
    listeners.delete(listener);
    stop();
  };
}

const openSheets = new Set();

/** A sheet shown on screen sends its own marks (with its own retries); the queue leaves it alone
 * meanwhile. Answers the function that ends it. */
export function sheetOpen(store) {
  openSheets.add(store);
  return () => {
    openSheets.delete(store);
    notify();
  };
}

/** Whether a sheet is on screen now. */
export function isSheetOpen(store) {
  return openSheets.has(store);
}

function queueKey(accountId) {
  return `qatysu.queue.${accountId ?? 'anonymous'}`;
}

/** The queued registrations of this account on `storage`, oldest first. */
export function queuedRegistrations(storage, accountId) {
  try {
    const record = JSON.parse(storage?.getItem(queueKey(accountId)) || 'null');
    if (record && record.version === kVersion && Array.isArray(record.items)) return record.items;
  } catch {
    // Unreadable: nothing queued.
  }
  return [];
}

/** Writes the queue; answers false when the device refused (the caller must then say so). */
function writeRegistrations(storage, accountId, items) {
  let written = true;
  try {
    if (items.length === 0) storage.removeItem(queueKey(accountId));
    else storage.setItem(queueKey(accountId), JSON.stringify({ version: kVersion, items }));
  } catch {
    written = false;
  }
  notify();
  return written;
}

function update(storage, accountId, id, change) {
  const items = queuedRegistrations(storage, accountId).map((item) => (item.id === id ? { ...item, ...change } : item));
  return writeRegistrations(storage, accountId, items);
}

/**
 * Queues a registration into `cohort_id`: `body` as POST /participants takes it, `enrol_key` the
 * enrolment's Idempotency-Key, `participant` when the person is registered already, `uncertain`
 * when a request for it went out unanswered. Answers the item, or null when the device refused.
 */
export function queueRegistration(storage, accountId, { cohort_id, body, enrol_key, participant = null, uncertain = false }, now = new Date()) {
  const item = {
    id: `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    cohort_id: Number(cohort_id),
    name: participant?.full_name ?? body.full_name,
    body,
    enrol_key,
    participant,
    uncertain,
    state: 'waiting',
    candidates: [],
    problem: null,
    queued_at: now.toISOString(),
  };
  return writeRegistrations(storage, accountId, [...queuedRegistrations(storage, accountId), item]) ? item : null;
}

/** The trainer's answer to a queued duplicate question: `{same_person}` or `{not_duplicate: true}`. */
export function answerRegistration(storage, accountId, id, answer) {
  const item = queuedRegistrations(storage, accountId).find((i) => i.id === id);
  if (!item) return false;
  const body = { ...item.body, same_person: undefined, not_duplicate: undefined, ...answer };
  return update(storage, accountId, id, { body, state: 'waiting', candidates: [], problem: null, uncertain: false });
}

/** Takes a registration out of the queue: only ever at the trainer's press. */
export function dropRegistration(storage, accountId, id) {
  return writeRegistrations(storage, accountId, queuedRegistrations(storage, accountId).filter((i) => i.id !== id));
}

/**
 * What waits on this device: {marks, registrations, answers, total, byCohort, unknownCohort, ask}.
 * `marks` counts unsent marks, `registrations` queued people, `answers` what needs the trainer
 * (conflicts, duplicate questions, refusals) and `ask` the page where the first of them is
 * answered. `byCohort` maps a cohort id to its unsent marks; `unknownCohort` counts marks of
 * sheets whose cohort this device does not know (they hold every cohort's certificates).
 */
export function waiting(storage, accountId) {
  const summary = { marks: 0, registrations: 0, answers: 0, total: 0, byCohort: new Map(), unknownCohort: 0, ask: null };
  if (!storage || accountId === undefined || accountId === null) return summary;
  for (const sessionId of keptSessions(storage, accountId)) {
    const store = openSheet(sessionId, storage, accountId);
    const count = store.pendingCount;
    if (count === 0) continue;
    summary.marks += count;
    const cohortId = store.heading?.cohort_id;
    if (cohortId) summary.byCohort.set(Number(cohortId), (summary.byCohort.get(Number(cohortId)) || 0) + count);
    else summary.unknownCohort += count;
    if (store.conflicts.length > 0) {
      summary.answers += 1;
      summary.ask ||= `/app/sessions/${sessionId}`;
    }
  }
  for (const item of queuedRegistrations(storage, accountId)) {
    summary.registrations += 1;
    if (item.state !== 'waiting') {
      summary.answers += 1;
      summary.ask ||= `/app/cohorts/${item.cohort_id}/register`;
    }
  }
  summary.total = summary.marks + summary.registrations;
  return summary;
}

/** Unsent marks that may change who qualifies in `cohortId`. */
export function marksWaitingFor(summary, cohortId) {
  return (summary.byCohort.get(Number(cohortId)) || 0) + summary.unknownCohort;
}

/** Sends one queued registration: registers (unless done already), then enrols. */
async function sendRegistration(storage, accountId, item) {
  let participant = item.participant;
  if (!participant) {
    const body = { ...item.body };
    if (item.uncertain) delete body.not_duplicate;
    // Kept before the request goes: if its answer is lost, the resend knows.
    update(storage, accountId, item.id, {uncertain: true});
    let person;
    try {
      person = await request('/participants', { method: 'POST', body });
    } catch (error) {
      if (error.status === 409 && error.type === 'duplicate-participant') {
        update(storage, accountId, item.id, { state: 'duplicate', candidates: error.problem?.candidates || [] });
        return;
      }
      if (isTransient(error) || error.type === 'csrf') throw error;
      update(storage, accountId, item.id, { state: 'rejected', problem: error.problem ?? { status: error.status } });
      return;
    }
    participant = { id: person.id, full_name: person.full_name };
    update(storage, accountId, item.id, {participant, name: person.full_name, uncertain: false});
  }
  try {
    await request(`/cohorts/${item.cohort_id}/enrolments`, {
      method: 'POST',
      body: { participant_id: participant.id },
      headers: { 'Idempotency-Key': item.enrol_key },
    });
  } catch (error) {
    if (isTransient(error) || error.type === 'csrf') throw error;
    update(storage, accountId, item.id, { state: 'rejected', problem: error.problem ?? { status: error.status } });
    return;
  }
  dropRegistration(storage, accountId, item.id);
}

let sending = null;

/**
 * Sends everything that waits for this account, but the sheets open on screen and what waits
 * for the trainer's answer. `ensureCsrf(force)` makes sure the session's CSRF token is known
 * (after a reload without a connection it never was). Answers {sent, failed}: how many items
 * went, and the transient failure that stopped it (null when none): the caller retries later.
 * Only one send runs at a time; a second call waits for the first.
 */
export function sendQueue({storage, accountId, ensureCsrf = async () => {}}) {
  if (sending) return sending;
  sending = (async () => {
    let sent = 0;
    let failed = null;
    const withCsrf = async (send) => {
      await ensureCsrf(false);
      try {
        await send();
      } catch (error) {
        if (error?.status !== 403 || error.type !== 'csrf') throw error;
        await ensureCsrf(true);
        await send();
      }
    };
    try {
      for (const sessionId of keptSessions(storage, accountId)) {
        const store = openSheet(sessionId, storage, accountId);
        if (openSheets.has(store) || store.pendingCount - store.conflicts.length === 0) continue;
        try {
          await withCsrf(() => sendSheet(store, request));
          sent += 1;
        } catch (error) {
          // Refused (the session is gone, the sheet no longer ours): its page says why when
          // opened; the rest of the queue goes on.
          if (isTransient(error)) throw error;
        }
      }
      for (const item of queuedRegistrations(storage, accountId)) {
        if (item.state !== 'waiting') continue;
        await withCsrf(() => sendRegistration(storage, accountId, item));
        sent += 1;
      }
    } catch (error) {
      failed = error;
    }
    return { sent, failed };
  })().finally(() => {
    sending = null;
    notify();
  });
  return sending;
}
