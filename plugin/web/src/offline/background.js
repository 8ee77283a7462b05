// Attendance marks and registrations sent with no page open, where the browser allows it
// (Background Sync: Chromium). The queue itself stays in localStorage (queue.js), which the
// service worker cannot read, so after every change the page mirrors each kept sheet with marks
// to send, and each registration waiting to be sent, into IndexedDB (a copy: the page keeps
// everything) and registers a sync. On `sync` the service worker (src/offline/worker.js) asks an
// open page of the app to send as it always does; with none open it sends the copies itself,
// under the browser's cookie session and a CSRF token read live from GET /me, and notes in
// IndexedDB what it sent and what the server answered. The next page to open takes those outcomes
// into its sheets (SheetStore.absorb: a mark the trainer tapped again meanwhile keeps waiting) and
// its queue (queue.js absorbRegistration: a person registered and enrolled leaves it, a duplicate
// question or a refusal waits for the trainer there), and its header counts what still waits. A
// failed send throws, so the browser retries the sync; the page still holds every change.
// A mark sent twice lands once (a PUT); a registration sent twice could register a person twice,
// so registrations are sent by one sender at a time, page or worker, under one Web Lock, and the
// page takes in the worker's outcomes and mirrors its copies under that lock too: whoever sends
// next knows what the other sent, and a request whose answer was lost is noted (`uncertain`)
// before it goes. Without Web Locks registrations are left to the page.
// Plain IndexedDB (four calls, in two bundles) rather than a wrapper library.
import { absorbRegistration, isTransient, queuedRegistrations, request, sendRegistration, storageHolding } from './queue.js';
import { SheetStore, keptSessions, memoryStorage, openSheet, sendSheet, storageKey } from '../pages/attendance/store.js';
import { setCsrfToken } from '../api.js';

export const kSyncTag = 'qatysu-marks';
/** The message the service worker sends an open page: send what waits, answer what still does. */
export const kSendMessage = 'qatysu-send-marks';
const kDatabase = 'qatysu-background';
const kCopies = 'copies';
const kOutcomes = 'outcomes';
/** The Web Lock whoever sends registrations holds: a page of the app or the service worker. */
const kRegistrationLock = 'qatysu-registrations';

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
          for (const old of all.result) if (!old.kind && old.account_id === accountId && !keys.has(old.key)) objects.delete(old.key);
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
    // A registration's outcome is taken in under the registrations' lock (withRegistrations).
    const outcomes = (await transact(kOutcomes, 'readonly', (objects) => objects.getAll())).filter((o) => !o.kind && o.account_id === accountId);
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
  const copies = (await transact(kCopies, 'readonly', (objects) => objects.getAll())).filter((c) => !c.kind && c.account_id === me.account?.id);
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
  try {
    await sendRegistrationCopies(me.account?.id);
  } catch (error) {
    failed ||= error;
  }
  if (failed) throw failed;
}

/** How many registrations of this account wait to be sent (not those waiting for the trainer). */
export function registrationsToSend(storage, accountId) {
  return queuedRegistrations(storage, accountId).filter((item) => item.state === 'waiting').length;
}

function registrationKey(accountId, id) {
  return `registration:${accountId}:${id}`;
}

/** The Web Locks of this page or worker, or null where the browser has none. */
function webLocks() {
  return globalThis.navigator?.locks ?? null;
}

/** Takes what the service worker did with this account's registrations into the queue. */
async function absorbRegistrationOutcomes(storage, accountId) {
  const outcomes = (await transact(kOutcomes, 'readonly', (objects) => objects.getAll())).filter((o) => o.kind === 'registration' && o.account_id === accountId);
  for (const outcome of outcomes) absorbRegistration(storage, accountId, outcome.id, outcome.item);
  if (outcomes.length > 0) await transact(kOutcomes, 'readwrite', (objects) => outcomes.forEach((o) => objects.delete(o.key)));
}

/** Copies of this account's registrations waiting to be sent, the copies before replaced. */
async function mirrorRegistrationCopies(storage, accountId, registration) {
  const copies = queuedRegistrations(storage, accountId)
    .filter((item) => item.state === 'waiting')
    .map((item) => ({ key: registrationKey(accountId, item.id), kind: 'registration', account_id: accountId, item }));
  const keys = new Set(copies.map((c) => c.key));
  await transact(kCopies, 'readwrite', (objects) => {
    const all = objects.getAll();
    all.onsuccess = () => {
      for (const old of all.result) if (old.kind === 'registration' && old.account_id === accountId && !keys.has(old.key)) objects.delete(old.key);
      for (const copy of copies) objects.put(copy);
    };
  });
  if (copies.length > 0) await registration.sync.register(kSyncTag);
}

/**
 * Runs `work()` (the page sending its registrations) as the one sender of registrations: under
 * the lock the service worker sends them under, after taking in what the worker sent, and mirrors
 * the registrations still to send for it afterwards (also when `work` failed). Where the browser
 * has no Background Sync or no Web Locks the worker sends no registrations, and `work` just runs.
 */
export async function withRegistrations(storage, accountId, work = async () => {}) {
  const registration = await syncRegistration();
  const locks = webLocks();
  if (!registration || !locks) return work();
  return locks.request(kRegistrationLock, async () => {
    await absorbRegistrationOutcomes(storage, accountId);
    try {
      return await work();
    } finally {
      await mirrorRegistrationCopies(storage, accountId, registration).catch(() => {
        // Not mirrored: the page sends them, as without Background Sync.
      });
    }
  });
}

let mirrorToken = null;
let mirrorRun = null;

/**
 * Takes in the worker's outcomes and mirrors this account's registrations to send (registering a
 * sync when there are any). Calls made before a queued run has read the queue are folded into it.
 */
export function mirrorRegistrations(storage, accountId) {
  if (mirrorToken) return mirrorRun;
  const token = {};
  mirrorToken = token;
  const release = () => {
    if (mirrorToken === token) mirrorToken = null;
  };
  mirrorRun = withRegistrations(storage, accountId, async () => release())
    .catch(() => {
      // No IndexedDB: the page sends as before.
    })
    .finally(release);
  return mirrorRun;
}

/**
 * In the service worker with no page open: sends this account's registration copies, each as the
 * page sends it (queue.js sendRegistration), under the registrations' lock, noting in IndexedDB
 * what each became before every request goes and after. A copy the worker already sent part of
 * goes on from its outcome. Throws when a send failed for want of a connection.
 */
async function sendRegistrationCopies(accountId) {
  const locks = webLocks();
  if (!locks || accountId === undefined || accountId === null) return;
  await locks.request(kRegistrationLock, async () => {
    const copies = (await transact(kCopies, 'readonly', (objects) => objects.getAll())).filter((c) => c.kind === 'registration' && c.account_id === accountId);
    const outcomes = new Map((await transact(kOutcomes, 'readonly', (objects) => objects.getAll())).filter((o) => o.kind === 'registration').map((o) => [o.key, o]));
    let failed = null;
    for (const copy of copies) {
      const earlier = outcomes.get(copy.key);
      const item = earlier ? earlier.item : copy.item;
      if (!item || item.state !== 'waiting') continue;
      const storage = storageHolding(accountId, [item]);
      const note = () =>
        transact(kOutcomes, 'readwrite', (objects) =>
          objects.put({ key: copy.key, kind: 'registration', account_id: accountId, id: item.id, item: queuedRegistrations(storage, accountId)[0] ?? null }),
        );
      try {
        await sendRegistration(storage, accountId, item, note);
        await note();
        await transact(kCopies, 'readwrite', (objects) => objects.delete(copy.key));
      } catch (error) {
        // What it became is noted (uncertain, or registered and not yet enrolled): the next
        // sender goes on from there.
        await note().catch(() => {});
        failed ||= error;
      }
    }
    if (failed) throw failed;
  });
}
