// What a trainer needs for the coming days, read once while there is a connection so that it
// opens without one (and a learner's certificates with their QR codes): their cohorts, each cohort's people, sessions, who qualified and
// certificates, the course catalogue and the locality tree (kept by the service worker's copy of
// each answer), and every sheet of the cohorts' sessions (kept in the sheet's own store, beside
// the marks made on the device). Read at most every kMinutes, a few requests at a time, so a weak
// connection still serves the page the trainer is looking at first.
import { api } from '../api.js';
import { openSheet } from '../pages/attendance/store.js';
import { isSheetOpen } from './queue.js';
import { loadCourses, loadLocalities } from '../pages/trainer/data.js';

const kMinutes = 15;
const kParallel = 2;
const kMaxCohorts = 20;
const kCopies = 'qatysu-data';

function keptAtKey(accountId) {
  return `qatysu.kept.${accountId}`;
}

/** When this account's things were last kept on `storage` (ISO text), or null. */
export function keptAt(storage, accountId) {
  try {
    return storage.getItem(keptAtKey(accountId));
  } catch {
    return null;
  }
}

/** Runs the tasks a few at a time, each to its end whatever the others do; answers how many
 * failed. */
async function inTurns(tasks) {
  const queue = [...tasks];
  let failed = 0;
  const worker = async () => {
    while (queue.length > 0) {
      const task = queue.shift();
      failed += await task().then(
        (inner) => (typeof inner === 'number' ? inner : 0),
        () => 1,
      );
    }
  };
  await Promise.all(Array.from({ length: kParallel }, worker));
  return failed;
}

/** The service worker that keeps the API's answers, once it controls the page (or null). */
async function keeper() {
  const workers = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  if (!workers) return null;
  if (workers.controller) return workers.controller;
  await Promise.race([
    new Promise((resolve) => workers.addEventListener('controllerchange', resolve, { once: true })),
    new Promise((resolve) => setTimeout(resolve, 10000)),
  ]);
  return workers.controller;
}

/** A learner's certificates and each one's QR code, read as their pages read them. */
async function keepLearner() {
  const { loadMine } = await import('../pages/learner/my.jsx');
  const { certificates } = await loadMine();
  return inTurns(
    certificates.flatMap((c) => [() => api(`/certificates/${c.id}`).then(() => 0), () => api(`/certificates/${c.id}/qr.svg`, { raw: true }).then(() => 0)]),
  );
}

/**
 * Reads and keeps what `account` needs offline (a trainer's cohorts and sheets, a learner's
 * certificates), unless that was done less than kMinutes ago (`force` reads anyway). Answers true
 * when everything was read; false when something could not be (nothing is then noted as kept, so
 * the next call reads again).
 */
export async function keepForOffline(storage, account, { force = false } = {}) {
  if (!account || (account.role !== 'trainer' && account.role !== 'learner')) return false;
  const last = keptAt(storage, account.id);
  if (!force && last && Date.now() - Date.parse(last) < kMinutes * 60000) return true;
  // Without the worker only the sheets could be kept; the pages would not open anyway.
  if (!(await keeper())) return false;
  if (account.role === 'learner') {
    // Kept only when every answer was: a failed one is read again next time, not taken as kept.
    if ((await keepLearner()) > 0) return false;
    return markKept(storage, account);
  }
  const { items } = await api('/cohorts');
  // Read again, not taken from this page's memory: the page may have read them before the worker
  // controlled it, and then the worker holds no copy and the pages would not open offline.
  const courses = await loadCourses({ fresh: true });
  const cohorts = [...items].sort((a, b) => Math.abs(Date.parse(a.starts_on) - Date.now()) - Math.abs(Date.parse(b.starts_on) - Date.now())).slice(0, kMaxCohorts);
  const tasks = [];
  for (const cohort of cohorts) {
    for (const part of ['', '/enrolments', '/eligibility', '/certificates']) {
      tasks.push(() => api(`/cohorts/${cohort.id}${part}`).then(() => 0));
    }
    tasks.push(async () => {
      const sessions = (await api(`/cohorts/${cohort.id}/sessions`)).items;
      return inTurns(
        sessions.map((session) => async () => {
          const sheet = await api(`/sessions/${session.id}/attendance`);
          const store = openSheet(session.id, storage, account.id);
          // A sheet on screen or with marks on their way reads its own rows: an answer read before
          // them must not become the rows new marks are based on.
          if (!isSheetOpen(store) && store.pendingCount === 0) store.setServerRows(sheet.rows);
          store.setHeading({
            cohort_id: cohort.id,
            course_title: courses.get(cohort.course_id)?.title ?? null,
            starts_at: session.starts_at,
            duration_minutes: session.duration_minutes,
            topic: session.topic,
            cancelled: session.cancelled ?? null,
          });
        }),
      );
    });
  }
  tasks.push(() => loadLocalities({ fresh: true }).then(() => 0));
  if ((await inTurns(tasks)) > 0) return false;
  return markKept(storage, account);
}

function markKept(storage, account) {
  try {
    storage.setItem(keptAtKey(account.id), new Date().toISOString());
  } catch {
    // No storage: read again next time.
  }
  return true;
}

/** Deletes every answer kept for offline use and when it was kept (signing out, another account). */
export async function forgetKept(storage) {
  try {
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const key = storage.key(i);
      if (key && key.startsWith('qatysu.kept.')) storage.removeItem(key);
    }
  } catch {
    // No storage: nothing kept there.
  }
  try {
    if (typeof caches !== 'undefined') await caches.delete(kCopies);
  } catch {
    // No cache storage: nothing kept there.
  }
}
