// The attendance sheet of one session (/app/sessions/:id), made for a trainer's phone in a village
// hall: one big row per person, one tap moves its mark along the cycle, "All present", a live
// count, and Save sends every mark made here in ONE PUT. Every tap is kept on the device first
// (store.js), so a dropped connection, a reload or a closed tab loses nothing; marks that could not
// be sent go by themselves when the connection returns (the `online` event, and retries with
// back-off), and a mark someone else changed on the server meanwhile is shown, never overwritten.
// A cancelled session's sheet shows its marks and says it is cancelled: it takes no new ones (the
// server refuses them, 409), and marks made here before it was known are kept for a restore or
// discarded by the trainer.
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import './attendance.css';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Loading, Notice, Page, errorText } from '../../ui/components.jsx';
import { countMarks, openSheet, sendSheet } from './store.js';
import { isTransient, request, sheetOpen } from '../../offline/queue.js';
import { deviceStorage } from '../../offline/outbox.jsx';

addMessages(messages);

/** Seconds before each automatic retry after a failed save; the last repeats. */
const kRetrySeconds = [2, 4, 8, 15, 30, 60];
/** Save rounds one press (or one retry) may run, for marks tapped while a request was on its way. */
const kMaxRounds = 4;

/**
 * The heading of the sheet: the session's cohort, course title, start, duration, topic and whether
 * it is cancelled (GET /sessions/{id}, then its cohort and course).
 */
async function findHeading(sessionId) {
  const session = await api(`/sessions/${encodeURIComponent(sessionId)}`);
  const cohort = await api(`/cohorts/${session.cohort_id}`).catch(() => null);
  const course = cohort ? await api(`/courses/${cohort.course_id}`).catch(() => null) : null;
  return {
    cohort_id: session.cohort_id,
    course_title: course?.title ?? null,
    starts_at: session.starts_at,
    duration_minutes: session.duration_minutes,
    topic: session.topic,
    cancelled: session.cancelled ?? null,
  };
}

/** The status symbols: drawn, so they look the same on every phone, and hidden from screen
 * readers (the word beside each says the same). */
function StatusIcon({ status }) {
  const paths = {
    present: <path d="M4 12.5l5 5L20 6.5" />,
    absent: <path d="M6 6l12 12M18 6L6 18" />,
    late: (
      <>
        <circle cx="12" cy="12" r="8.5" />
        <path d="M12 7v5.5l3.5 2" />
      </>
    ),
    excused: (
      <>
        <rect x="4" y="6" width="16" height="12" rx="1.5" />
        <path d="M4.5 7l7.5 6 7.5-6" />
      </>
    ),
  };
  return (
    <svg class="att-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      {paths[status] || <circle cx="12" cy="12" r="8.5" stroke-dasharray="3 3" />}
    </svg>
  );
}

function Heading({ heading, sessionId, admin }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!heading) return null;
  const start = new Date(heading.starts_at);
  const end = new Date(start.getTime() + (heading.duration_minutes || 0) * 60000);
  return (
    <div class="att-heading">
      {heading.course_title && <p class="att-course">{i18n.pick(heading.course_title)}</p>}
      <p class="att-when">
        {t('attendance.session', { date: i18n.date(heading.starts_at), from: i18n.time(start), to: i18n.time(end) })}
      </p>
      {heading.topic && <p class="att-topic">{heading.topic}</p>}
      <p>
        <a href={`/app/cohorts/${heading.cohort_id}`}>← {t('attendance.back')}</a>
        {admin && (
          <>
            {' · '}
            <a href={`/app/sessions/${sessionId}/history`}>{t('attendance.history')}</a>
          </>
        )}
      </p>
    </div>
  );
}

function Row({ row, status, pending, onTap, locked }) {
  const { t } = useI18n();
  const word = t(`attendance.status.${status || 'unmarked'}`);
  return (
    <li>
      <button
        type="button"
        class={`att-row att-${status || 'unmarked'}`}
        data-enrolment={row.enrolment_id}
        data-status={status || ''}
        data-pending={pending ? 'true' : 'false'}
        disabled={locked}
        onClick={() => onTap(row)}
      >
        <span class="att-name">{row.participant_name}</span>
        <span class="att-status">
          <StatusIcon status={status} />
          <span class="att-word">{word}</span>
          {pending && <span class="att-unsaved">{t('attendance.row.notSaved')}</span>}
        </span>
      </button>
    </li>
  );
}

function Conflicts({ store, onSettle }) {
  const i18n = useI18n();
  const { t } = i18n;
  const conflicts = store.conflicts;
  if (conflicts.length === 0) return null;
  const nameOf = (id) => store.serverRow(id)?.participant_name ?? `#${id}`;
  return (
    <div class="notice notice-error att-conflicts" role="alert">
      <h2>{t('attendance.conflict.title')}</h2>
      <p>{t('attendance.conflict.intro')}</p>
      <ul class="list">
        {conflicts.map((c) => (
          <li>
            {c.gone ? (
              <p>{t('attendance.gone', { name: nameOf(c.enrolment_id) })}</p>
            ) : (
              <p>
                {t('attendance.conflict.item', {
                  name: nameOf(c.enrolment_id),
                  theirs: t(`attendance.status.${c.theirs || 'unmarked'}`),
                  time: i18n.dateTime(c.marked_at),
                  mine: t(`attendance.status.${c.mine}`),
                })}
              </p>
            )}
            <div class="button-row">
              {!c.gone && (
                <button type="button" class="button button-primary" onClick={() => onSettle(c.enrolment_id, true)}>
                  {t('attendance.conflict.keepMine')}
                </button>
              )}
              <button type="button" class="button button-secondary" onClick={() => onSettle(c.enrolment_id, false)}>
                {c.gone ? t('attendance.discard') : t('attendance.conflict.takeTheirs')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What is saved and what is not, in words: {kind, text}, the line the trainer looks at before
 * leaving the hall. kind: saved | sending | pending | waiting | conflict. */
function saveState(store, sync, i18n) {
  const { t, tp } = i18n;
  const conflicts = store.conflicts.length;
  const pending = store.pendingCount - conflicts;
  if (sync.phase === 'sending') return { kind: 'sending', text: t('attendance.saving') };
  if (pending > 0 && (sync.phase === 'waiting' || (store.sendWhenOnline && sync.phase !== 'error'))) {
    return { kind: 'waiting', text: tp('attendance.waiting', pending) };
  }
  if (pending > 0) return { kind: 'pending', text: tp('attendance.pending', pending) };
  if (conflicts > 0) return { kind: 'conflict', text: t('attendance.conflict.title') };
  if (store.savedAt) return { kind: 'saved', text: t('attendance.allSavedAt', { time: i18n.time(store.savedAt) }) };
  // A sheet nobody has marked yet: nothing to report.
  const anyMark = (store.rows || []).some((r) => r.status);
  return { kind: 'saved', text: anyMark ? t('attendance.allSaved') : '' };
}

export default function AttendanceSheet({ id }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const session = useSession();
  const store = useMemo(() => openSheet(id, deviceStorage(), session.me?.id), [id, session.me?.id]);
  const [, rerender] = useReducer((n) => n + 1, 0);
  const [load, setLoad] = useState({ loading: !store.rows, error: null, fromDevice: false });
  const [sync, setSync] = useState({ phase: 'idle', error: null });
  const [announcement, setAnnouncement] = useState('');
  const inFlight = useRef(false);
  const again = useRef(false);
  const attempt = useRef(0);
  const retryTimer = useRef(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  // The session's cancellation as last known (null: held): a cancelled session's sheet takes no
  // marks, so nothing is sent for it.
  const cancelledRef = useRef(store.heading?.cancelled ?? null);
  const sheetPath = `/sessions/${encodeURIComponent(id)}/attendance`;

  // `quietly`: an automatic retry, which leaves the line saying what waits instead of flickering
  // "Saving…" (and having it read out) every few seconds while the connection is still gone.
  const send = useCallback(async (quietly = false) => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    clearTimeout(retryTimer.current);
    retryTimer.current = null;
    if (store.pendingCount === 0 || cancelledRef.current) return;
    inFlight.current = true;
    if (!quietly) setSync({ phase: 'sending', error: null });
    let csrfRetried = false;
    let rounds = 0;
    try {
      do {
        again.current = false;
        try {
          // After a reload without a connection the account's CSRF token was never read (the
          // account itself may be the one remembered on the device).
          if (!sessionRef.current.me?.csrf_token) await sessionRef.current.refresh();
          await sendSheet(store, request, rerender);
          rerender();
        } catch (error) {
          if (error?.status === 403 && error.type === 'csrf' && !csrfRetried) {
            csrfRetried = true;
            await sessionRef.current.refresh();
            again.current = true;
            continue;
          }
          throw error;
        }
        attempt.current = 0;
        rounds += 1;
        // Marks tapped while the request was on its way go next, if they were asked for (Save
        // pressed again) or were waiting for the connection anyway.
      } while ((again.current || store.sendWhenOnline) && store.pendingCount > store.conflicts.length && rounds < kMaxRounds);
      setLoad((l) => (l.fromDevice ? { ...l, fromDevice: false } : l));
      setSync({ phase: 'idle', error: null });
    } catch (error) {
      if (isTransient(error)) {
        store.setSendWhenOnline(true);
        // Asked again while this attempt was failing (the connection came back meanwhile): at once.
        const seconds = again.current ? 0.3 : kRetrySeconds[Math.min(attempt.current, kRetrySeconds.length - 1)];
        if (!again.current) attempt.current += 1;
        // A little jitter, so phones that lost the same hall's Wi-Fi do not all return at once.
        retryTimer.current = setTimeout(() => send(true), seconds * 1000 * (0.8 + Math.random() * 0.4));
        setSync({ phase: 'waiting', error });
      } else {
        setSync({ phase: 'error', error });
        // Refused as a conflict: the session may have been cancelled meanwhile; the sheet says so.
        if (error?.status === 409) refetch.current?.();
      }
    } finally {
      inFlight.current = false;
      rerender();
    }
  }, [store, sheetPath]);
  const refetch = useRef(null);

  // The sheet from the server; without a connection, the copy kept on this device.
  const fetchSheet = useCallback(async () => {
    try {
      const sheet = await request(sheetPath);
      if (inFlight.current) return;
      store.setServerRows(sheet.rows);
      const cancelled = sheet.cancelled ?? null;
      cancelledRef.current = cancelled;
      if (cancelled) store.setSendWhenOnline(false);
      if (store.heading && JSON.stringify(store.heading.cancelled ?? null) !== JSON.stringify(cancelled)) {
        store.setHeading({ ...store.heading, cancelled });
      }
      setLoad({ loading: false, error: null, fromDevice: false, cancelled });
      if (cancelled) setSync((s) => (s.phase === 'error' && s.error?.status === 409 ? { phase: 'idle', error: null } : s));
      else if (store.sendWhenOnline) send();
    } catch (error) {
      if (store.rows && isTransient(error)) {
        setLoad((l) => ({ ...l, loading: false, error: null, fromDevice: true }));
        if (store.sendWhenOnline) send(true);
      } else {
        setLoad({ loading: false, error, fromDevice: false });
      }
    }
  }, [store, sheetPath, send]);
  refetch.current = fetchSheet;

  // While the sheet is open it sends its own marks; the queue sends the other sheets'.
  useEffect(() => sheetOpen(store), [store]);

  useEffect(() => {
    setLoad({ loading: !store.rows, error: null, fromDevice: false });
    fetchSheet();
    return () => clearTimeout(retryTimer.current);
  }, [store]);

  // The heading (course, date, topic); kept on the device with the sheet.
  useEffect(() => {
    if (load.loading || load.error || load.fromDevice) return;
    let cancelled = false;
    findHeading(id)
      .then((heading) => {
        if (!cancelled && heading) {
          cancelledRef.current = heading.cancelled;
          if (heading.cancelled) store.setSendWhenOnline(false);
          store.setHeading(heading);
          rerender();
        }
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [store, load.loading, load.error, load.fromDevice]);

  // The connection comes back: send what waits; it goes: what is not saved will wait for it.
  useEffect(() => {
    const online = () => {
      attempt.current = 0;
      if (store.sendWhenOnline) send();
      else fetchSheet();
    };
    const offline = () => {
      if (store.pendingCount > 0) {
        store.setSendWhenOnline(true);
        rerender();
      }
    };
    // A phone taken out of a pocket: the connection may have come back while timers slept.
    const visible = () => {
      if (document.visibilityState === 'visible' && store.sendWhenOnline && navigator.onLine !== false) send(true);
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
    };
  }, [store, send, fetchSheet]);

  const tap = useCallback(
    (row) => {
      const status = store.tap(row.enrolment_id);
      if (navigator.onLine === false || sync.phase === 'waiting') store.setSendWhenOnline(true);
      setAnnouncement(t('attendance.announce', { name: row.participant_name, status: t(`attendance.status.${status}`) }));
      rerender();
    },
    [store, sync.phase, t],
  );

  const allPresent = () => {
    const count = store.allPresent();
    if (navigator.onLine === false || sync.phase === 'waiting') store.setSendWhenOnline(true);
    setAnnouncement(tp('attendance.allPresent.done', count));
    rerender();
  };

  const settle = (enrolmentId, keepMine) => {
    store.settle(enrolmentId, keepMine);
    rerender();
    if (keepMine) send();
  };

  const save = () => {
    attempt.current = 0;
    send();
  };

  const discard = () => {
    store.discardPending();
    setAnnouncement(t('attendance.cancelled.discarded'));
    rerender();
  };

  if (load.loading) return <Loading />;
  if (load.error) {
    const notFound = load.error.status === 404;
    return (
      <Page title={notFound ? t('notFound.title') : t('attendance.title')}>
        <ErrorMessage
          error={load.error}
          onRetry={
            notFound
              ? undefined
              : () => {
                  setLoad({ loading: true, error: null, fromDevice: false });
                  fetchSheet();
                }
          }
        />
        {notFound && (
          <p>
            <a href="/app">{t('notFound.home')}</a>
          </p>
        )}
      </Page>
    );
  }

  const rows = store.rows || [];
  // Known from the sheet just read, else from the heading kept on the device.
  const cancelled = load.cancelled !== undefined ? load.cancelled : (store.heading?.cancelled ?? null);
  const counts = countMarks(store);
  const unmarked = counts.total - counts.marked;
  // A cancelled session's sheet saves nothing: its notice says what became of marks made here.
  const state = cancelled ? { kind: 'cancelled', text: '' } : saveState(store, sync, i18n);
  return (
    <Page title={t('attendance.title')}>
      <Heading heading={store.heading} sessionId={id} admin={session.me?.role === 'admin'} />
      {cancelled && (
        <div class="notice notice-warning att-cancelled" data-cancelled="true">
          <h2>{t('attendance.cancelled.title')}</h2>
          <p>{t('attendance.cancelled.text', { date: i18n.date(cancelled.at), reason: cancelled.reason })}</p>
          {store.pendingCount > 0 && (
            <>
              <p>{tp('attendance.cancelled.pending', store.pendingCount)}</p>
              <button type="button" class="button button-secondary" onClick={discard}>
                {t('attendance.cancelled.discard')}
              </button>
            </>
          )}
        </div>
      )}
      {load.fromDevice && (
        <Notice kind="warning">
          <p>{t('attendance.fromDevice', { time: i18n.dateTime(store.fetchedAt) })}</p>
        </Notice>
      )}
      {state.kind === 'waiting' && (
        <Notice kind="warning">
          <p>{t('attendance.waiting.kept')}</p>
        </Notice>
      )}
      {!store.writable && (
        <Notice kind="warning">
          <p>{t('attendance.storageFailed')}</p>
        </Notice>
      )}
      {!cancelled && (
        <p class="att-cycle">
          {t('attendance.cycle')}
        </p>
      )}
      {!cancelled && <Conflicts store={store} onSettle={settle} />}
      {rows.length === 0 ? (
        <p>{t('attendance.empty')}</p>
      ) : (
        <>
          {!cancelled && (
            <button type="button" class="button button-secondary att-all" onClick={allPresent} disabled={unmarked === 0}>
              <StatusIcon status="present" /> {t('attendance.allPresent')}
            </button>
          )}
          <ul class="att-rows">
            {rows.map((row) => (
              <Row row={row} status={store.statusOf(row.enrolment_id)} pending={!!store.pendingFor(row.enrolment_id)} onTap={tap} locked={Boolean(cancelled)} />
            ))}
          </ul>
        </>
      )}
      <div class="att-bar">
        <p class="att-count" data-marked={counts.marked} data-total={counts.total} data-present={counts.present}>
          <strong>{t('attendance.count', { marked: i18n.number(counts.marked), total: i18n.number(counts.total), present: i18n.number(counts.present) })}</strong>
          <span class="att-breakdown">
            {t('attendance.breakdown', { late: i18n.number(counts.late), excused: i18n.number(counts.excused), absent: i18n.number(counts.absent) })}
          </span>
        </p>
        <div class={`att-save-state att-save-${state.kind}`} data-state={state.kind}>
          <p role="status" aria-live="polite">
            {state.text && <span aria-hidden="true">{state.kind === 'saved' ? '✓ ' : state.kind === 'sending' ? '' : '! '}</span>}
            {state.text}
          </p>
        </div>
        {sync.phase === 'error' && !cancelled && (
          <div class="notice notice-error" role="alert">
            <p>{errorText(t, sync.error)}</p>
            <p>{t('attendance.rejected')}</p>
          </div>
        )}
        <button
          type="button"
          class="button button-primary att-save"
          onClick={save}
          disabled={Boolean(cancelled) || sync.phase === 'sending' || store.pendingCount - store.conflicts.length === 0}
        >
          {state.kind === 'sending' ? t('attendance.saving') : state.kind === 'waiting' ? t('attendance.tryNow') : t('attendance.save')}
        </button>
      </div>
      <p class="visually-hidden" aria-live="polite" role="status">
        {announcement}
      </p>
    </Page>
  );
}

