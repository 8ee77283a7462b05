// Attendance marks sent with no page open, where the browser allows it (Background Sync: Chromium).
// The queue itself stays in localStorage (queue.js), which the service worker cannot read, so after
// every change the page mirrors each kept sheet with marks to send into IndexedDB (a copy: the page
// keeps everything) and registers a sync. On `sync` the service worker (src/offline/worker.js) asks
// an open page of the app to send as it always does; with none open it sends the copies itself,
// under the browser's cookie session and a CSRF token read live from GET /me, and notes in
// IndexedDB what it sent and what the server answered. The next page to open takes those outcomes
// into its sheets (SheetStore.absorb: a mark the trainer tapped again meanwhile keeps waiting) and
// its header counts what still waits. A failed send throws, so the browser retries the sync; the
// page still holds every mark. Registrations are never sent here: they may need the trainer's
// answer. Plain IndexedDB (four calls, in two bundles) rather than a wrapper library.
import {setCsrfToken} from '../api.js';
import {keptSessions, memoryStorage, openSheet, sendSheet, SheetStore, storageKey} from '../pages/attendance/store.js';

import {isTransient, request} from './queue.js';

export const kSyncTag = 'qatysu-marks';
/** The message the service worker sends an open page: send what waits, answer what still does. */
export const kSendMessage = 'qatysu-send-marks';
const kDatabase = 'qatysu-background';
const kCopies = 'copies';
const kOutcomes = 'outcomes';

function openDatabase() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(kDatabase, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore(kCopies, { keyPath: 'key' });
      opening.result.createObjectStore(kOutcomes, { keyPath: 'key' });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

/** Runs `work(store)` in one transaction on `name`; answers the result of the request it returns
 * once the transaction is committed. */
async function transact(name, mode, work) {
  const database = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(name, mode);
      const asked = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(asked?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

/** The service worker's registration when it can sync in the background, else null. */
async function syncRegistration() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    return registration && 'sync' in registration && typeof indexedDB !== 'undefined' ? registration : null;
  } catch {
    return null;
  }
}

/** A copy of the sheet's record, as the service worker needs it to send the sheet's marks. */
function copyOf(store, accountId) {
  return { key: store.key, account_id: accountId, session_id: store.sessionId, stamp: store.record.seq, record: store.record };
}

/** How many marks of this account wait to be sent (not those waiting for the trainer's answer). */
export function marksToSend(storage, accountId) {
  let count = 0;
  for (const sessionId of keptSessions(storage, accountId)) {
    const store = openSheet(sessionId, storage, accountId);
    count += store.pendingCount - store.conflicts.length;
  }
  return count;
}

let mirroring = null;
let again = false;

/**
 * Mirrors this account's sheets with marks to send into IndexedDB (replacing the copies before)
 * and registers a sync when there are any. Does nothing where the browser has no Background Sync.
 * Calls made while one runs are folded into one more run.
 */
export function mirrorMarks(storage, accountId) {
  if (mirroring) {
    again = true;
    return mirroring;
  }
  mirroring = (async () => {
    const registration = await syncRegistration();
    if (!registration) return;
    do {
      again = false;
      const copies = [];
      for (const sessionId of keptSessions(storage, accountId)) {
        const store = openSheet(sessionId, storage, accountId);
        if (store.pendingCount - store.conflicts.length > 0) copies.push(copyOf(store, accountId));
      }
      const keys = new Set(copies.map((c) => c.key));
      await transact(kCopies, 'readwrite', (objects) => {
        const all = objects.getAll();
        all.onsuccess = () => {
          for (const old of all.result)
            if (old.account_id === accountId && !keys.has(old.key)) objects.delete(old.key);
          for (const copy of copies) objects.put(copy);
        };
      });
      if (copies.length > 0) await registration.sync.register(kSyncTag);
    } while (again);
  })()
    .catch(() => {
      // No IndexedDB or no sync: the page sends as before.
    })
    .finally(() => {
      mirroring = null;
    });
  return mirroring;
}

/**
 * Takes what the service worker sent for this account into the sheets on `storage` and forgets
 * it. Answers how many outcomes were taken.
 */
export async function absorbOutcomes(storage, accountId) {
  if (!(await syncRegistration())) return 0;
  try {
    const outcomes = (await transact(kOutcomes, 'readonly', (objects) => objects.getAll()))
                         .filter((o) => o.account_id === accountId);
    const kept = new Set(keptSessions(storage, accountId));
    // A sheet no longer kept here (the device's storage cleared) has nothing left to take it.
    for (const outcome of outcomes) if (kept.has(outcome.session_id)) openSheet(outcome.session_id, storage, accountId).absorb(outcome);
    if (outcomes.length > 0) await transact(kOutcomes, 'readwrite', (objects) => outcomes.forEach((o) => objects.delete(o.key)));
    return outcomes.length;
  } catch {
    return 0;
  }
}

/**
 * Sends the marks of one sheet's copy as the page sends them (sendSheet: the server's sheet
 * first, then one PUT), calling `onSending({sent})` before the PUT goes. Answers the outcome for
 * SheetStore.absorb(): {sent: {enrolment: [status]}, confirmed: {enrolment: seq}, rows, at}.
 * Throws what the request threw.
 */
export async function sendCopy(copy, send, onSending = async () => {}) {
  const key = storageKey(copy.session_id, copy.account_id);
  const store = new SheetStore(copy.session_id, memoryStorage([[key, JSON.stringify(copy.record)]]), copy.account_id);
  const seqs = Object.fromEntries(Object.entries(store.record.pending).map(([id, mine]) => [id, mine.seq]));
  const sent = {};
  await sendSheet(store, send, async () => {
    for (const [id, mine] of Object.entries(store.record.pending)) if (!mine.conflict) sent[id] = [mine.status];
    if (Object.keys(sent).length > 0) await onSending({ sent });
  });
  const confirmed = {};
  for (const [id, seq] of Object.entries(seqs)) if (!store.record.pending[id]) confirmed[id] = seq;
  return { sent, confirmed, rows: store.rows, at: store.fetchedAt };
}

/** Two outcomes of one sheet as one: every status sent, the later answer. */
function merged(old, outcome) {
  const sent = { ...(old?.sent || {}) };
  for (const [id, statuses] of Object.entries(outcome.sent)) sent[id] = [...new Set([...(sent[id] || []), ...statuses])];
  const confirmed = outcome.confirmed ? { ...(old?.confirmed || {}), ...outcome.confirmed } : (old?.confirmed ?? null);
  return { ...old, ...outcome, sent, confirmed, rows: outcome.rows ?? old?.rows ?? null, at: outcome.at ?? old?.at ?? null };
}

async function record(copy, outcome, done) {
  await transact(kOutcomes, 'readwrite', (objects) => {
    const old = objects.get(copy.key);
    old.onsuccess = () => objects.put(merged(old.result, { key: copy.key, account_id: copy.account_id, session_id: copy.session_id, stamp: copy.stamp, ...outcome }));
  });
  if (!done) return;
  // Sent: the copy goes, unless the page mirrored a newer one meanwhile.
  await transact(kCopies, 'readwrite', (objects) => {
    const now = objects.get(copy.key);
    now.onsuccess = () => {
      if (now.result?.stamp === copy.stamp) objects.delete(copy.key);
    };
  });
}

/**
 * In the service worker with no page open: sends the copies of the account signed in on this
 * browser (a copy of another account waits for its trainer's page). Throws when a send failed for
 * want of a connection, so the browser retries the sync.
 */
export async function sendCopies() {
  const response = await fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
  if (response.status === 401) return; // Signed out: the marks wait for the page.
  if (!response.ok) throw new Error(`GET /me: HTTP ${response.status}`);
  const me = await response.json();
  setCsrfToken(me.csrf_token);
  const copies = (await transact(kCopies, 'readonly', (objects) => objects.getAll()))
                     .filter((c) => c.account_id === me.account?.id);
  let failed = null;
  for (const copy of copies) {
    try {
      const outcome = await sendCopy(copy, request, (sending) => record(copy, { ...sending, confirmed: null }, false));
      await record(copy, outcome, true);
    } catch (error) {
      // Refused (the session gone, the sheet no longer ours): the page says why when opened.
      if (isTransient(error) || error?.type === 'csrf') failed = error;
    }
  }
  if (failed) throw failed;
}
