// The queue at work on every page: what waits on the device (for the header and the pages that
// must hold back while marks wait), sent when the app opens, when the connection returns, when the
// phone is taken out of a pocket and after every new change, with retries that back off while the
// server stays out of reach; and, while there is a connection, what a trainer needs offline is
// kept (keep.js). Where the browser allows, every change is also mirrored for the service worker,
// which sends the marks and registrations with no page open; what it sent is taken back before
// each send (background.js).
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useSession } from '../session.jsx';
import { absorbOutcomes, kSendMessage, marksToSend, mirrorMarks, mirrorRegistrations, registrationsToSend, withRegistrations } from './background.js';
import { keepForOffline } from './keep.js';
import { isTransient, onQueueChange, sendQueue, waiting } from './queue.js';

/** Seconds before each automatic retry after a failed send; the last repeats. */
const kRetrySeconds = [2, 4, 8, 15, 30, 60];
/** What to keep for offline use is read again this many times, each a little later, when part of it
 * could not be read. */
const kKeepAttempts = 4;
const kKeepRetrySeconds = 10;

export function deviceStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const OutboxContext = createContext(null);

/** {summary (queue.js waiting()), sending, keptAt, sendNow()} of the signed-in account. */
export function useOutbox() {
  return useContext(OutboxContext);
}

export function OutboxProvider({ children }) {
  const session = useSession();
  const accountId = session.me?.id;
  const storage = useMemo(deviceStorage, []);
  const [summary, setSummary] = useState(() => waiting(storage, accountId));
  const [sending, setSending] = useState(false);
  const [kept, setKept] = useState(false);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const attempt = useRef(0);
  const timer = useRef(null);
  const keeping = useRef(false);
  const keepTimer = useRef(null);
  const keepAttempts = useRef(0);

  useEffect(() => {
    const known = accountId !== undefined && accountId !== null && storage;
    setSummary(waiting(storage, accountId));
    // What the service worker sent while no page was open first, then the copies it sends from.
    if (known) absorbOutcomes(storage, accountId).then(() => Promise.all([mirrorMarks(storage, accountId), mirrorRegistrations(storage, accountId)]));
    return onQueueChange(() => {
      setSummary(waiting(storage, accountId));
      if (known) {
        mirrorMarks(storage, accountId);
        mirrorRegistrations(storage, accountId);
      }
    });
  }, [storage, accountId]);

  const sendNow = useCallback(async () => {
    clearTimeout(timer.current);
    if (accountId === undefined || accountId === null || !storage) return;
    if (sessionRef.current.status === 'anonymous') return;
    await absorbOutcomes(storage, accountId);
    if (waiting(storage, accountId).total === 0) return;
    setSending(true);
    const ensureCsrf = async (force) => {
      if (force || !sessionRef.current.me?.csrf_token) await sessionRef.current.refresh();
    };
    // Registrations go one sender at a time with the service worker, after taking in what it sent.
    const registrations = (send) => withRegistrations(storage, accountId, send);
    const { failed } = await sendQueue({ storage, accountId, ensureCsrf, registrations });
    setSending(false);
    if (failed && isTransient(failed)) {
      const seconds = kRetrySeconds[Math.min(attempt.current, kRetrySeconds.length - 1)];
      attempt.current += 1;
      // A little jitter, so phones that lost the same hall's Wi-Fi do not all return at once.
      timer.current = setTimeout(() => sendNow(), seconds * 1000 * (0.8 + Math.random() * 0.4));
    } else {
      attempt.current = 0;
    }
  }, [storage, accountId]);

  const keep = useCallback(async () => {
    const { me, status } = sessionRef.current;
    if (keeping.current || status !== 'signed_in' || !me || navigator.onLine === false) return;
    keeping.current = true;
    clearTimeout(keepTimer.current);
    let done = false;
    try {
      done = await keepForOffline(storage, me);
      if (done) setKept(true);
    } catch {
      // Read again below, or when the connection returns.
    } finally {
      keeping.current = false;
    }
    // Something could not be read (a weak connection, a busy server): try again a little later
    // rather than leave the trainer with a cohort that will not open offline.
    const keeps = me.role === 'trainer' || me.role === 'learner';
    if (!done && keeps && keepAttempts.current < kKeepAttempts) {
      keepAttempts.current += 1;
      keepTimer.current = setTimeout(() => keep(), kKeepRetrySeconds * 1000 * keepAttempts.current);
    } else if (done) {
      keepAttempts.current = 0;
    }
  }, [storage]);

  // Signed in (or back online): send what waits, then keep what the coming days need.
  useEffect(() => {
    if (session.status !== 'signed_in' && session.status !== 'offline') return undefined;
    sendNow().then(keep);
    const online = () => {
      attempt.current = 0;
      sendNow().then(keep);
    };
    const visible = () => {
      if (document.visibilityState === 'visible' && navigator.onLine !== false) sendNow();
    };
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
      clearTimeout(timer.current);
      clearTimeout(keepTimer.current);
    };
  }, [session.status, accountId, sendNow, keep]);

  // The service worker's `sync` with this page open: the page sends, and answers how many marks
  // and registrations still wait to be sent (then the browser tries the sync again later).
  useEffect(() => {
    const workers = navigator.serviceWorker;
    if (!workers) return undefined;
    const asked = async (event) => {
      if (event.data?.type !== kSendMessage) return;
      await sendNow();
      // Whose marks are on the device is not known yet (still loading, signed out): the sync is
      // tried again later.
      const known = accountId !== undefined && accountId !== null;
      event.ports[0]?.postMessage({ waiting: known ? marksToSend(storage, accountId) + registrationsToSend(storage, accountId) : 1 });
    };
    workers.addEventListener('message', asked);
    return () => workers.removeEventListener('message', asked);
  }, [storage, accountId, sendNow]);

  // A new change goes at once when it can (a mark on a sheet not on screen, a registration).
  const lastTotal = useRef(summary.total);
  useEffect(() => {
    const grew = summary.total > lastTotal.current;
    lastTotal.current = summary.total;
    if (grew && !sending && navigator.onLine !== false) {
      attempt.current = 0;
      sendNow();
    }
  }, [summary.total]);

  const value = useMemo(() => ({ summary, sending, kept, sendNow }), [summary, sending, kept, sendNow]);
  return <OutboxContext.Provider value={value}>{children}</OutboxContext.Provider>;
}
