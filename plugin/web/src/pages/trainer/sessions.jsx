// The sessions of a cohort on its page (/app/cohorts/:id): each opening its attendance sheet, a
// form to add one (a date outside the cohort's dates is asked about before it is sent), and the
// corrections its trainers and administrators make: move or re-time a session or change its
// topic, cancel it with a reason (it then counts nowhere) and restore it. Each correction is made
// on the version of the session read when it was opened (GET's ETag in If-Match): when someone
// else changed it meanwhile the service refuses it (412), the trainer is shown what changed, and
// the form is based on the session as it is now, keeping what they typed. Corrections need the
// server: without a connection their buttons are off and say why.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api, versioned } from '../../api.js';
import { ErrorMessage, Field, Loading, Notice, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import { MissedChanges } from '../../ui/history.jsx';
import { useSession } from '../../session.jsx';
import { clean, fieldErrors } from './data.js';
import { NeedsConnection, ReasonForm, useConnection } from './parts.jsx';

/** datetime-local's "2026-03-14T10:00" (the device's time) → "2026-03-14T04:00:00Z". */
function toUtc(local) {
  const when = new Date(local);
  if (Number.isNaN(when.getTime())) return local;
  return when.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "2026-03-14T04:00:00Z" → datetime-local's "2026-03-14T10:00" in the device's time. */
function toLocal(utc) {
  const when = new Date(utc);
  if (Number.isNaN(when.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

/** Whether a session starting at `local` (datetime-local, the trainer's own day) falls outside
 * the cohort's dates: a slip of the finger on a phone's date picker, asked about before sending
 * (the service accepts such a session: a cohort may meet once more after its end). */
export function outsideCohort(cohort, local) {
  const day = String(local || '').slice(0, 10);
  if (day.length !== 10) return false;
  return Boolean((cohort?.starts_on && day < cohort.starts_on) || (cohort?.ends_on && day > cohort.ends_on));
}

/** A session as the form shows it: {startsAt, duration, topic}, texts as the inputs hold them. */
function formValues(session) {
  return { startsAt: toLocal(session.starts_at), duration: String(session.duration_minutes), topic: session.topic || '' };
}

/** What the form changed against `base` (a session), as PATCH members; {} when nothing. */
function sessionPatch(base, values) {
  const was = formValues(base);
  const patch = {};
  if (values.startsAt !== was.startsAt) patch.starts_at = toUtc(values.startsAt);
  if (values.duration !== was.duration) patch.duration_minutes = Number.parseInt(values.duration, 10) || 0;
  if (clean(values.topic) !== clean(was.topic)) patch.topic = clean(values.topic);
  return patch;
}

/** The form on the session as it is now (`current`): what the trainer changed from `base` stays as
 * typed, the rest becomes what the other change made it. */
function rebase(base, current, values) {
  const was = formValues(base);
  const now = formValues(current);
  const out = {};
  for (const key of Object.keys(values)) out[key] = values[key] === was[key] ? now[key] : values[key];
  return out;
}

/**
 * A session's start, duration and topic, sent with `onSubmit()`; `values`/`onChange` hold what is
 * typed. A start outside the cohort's dates is asked about first (when `askAbout(values)`).
 * `children` go above the buttons (a notice of what happened).
 */
function SessionForm({ cohort, values, onChange, onSubmit, busy, error, submitLabel, confirmLabel, askAbout = () => true, onDismiss, children }) {
  const i18n = useI18n();
  const { t } = i18n;
  // Asking whether a date outside the cohort's is meant (the question has the focus).
  const [asking, setAsking] = useState(false);
  const question = useRef(null);
  const startsInput = useRef(null);
  const formRef = useRef(null);
  const fields = fieldErrors(t, error);
  useFocusOnRefusal(formRef, error);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);

  function submit(event, confirmed = false) {
    event?.preventDefault();
    if (!confirmed && askAbout(values) && outsideCohort(cohort, values.startsAt)) {
      setAsking(true);
      return;
    }
    setAsking(false);
    onSubmit();
  }

  const set = (name) => (event) => {
    onChange({ ...values, [name]: event.currentTarget.value });
    if (name === 'startsAt') setAsking(false);
  };
  return (
    <form class="form session-form" ref={formRef} onSubmit={submit}>
      <Field label={t('trainer.session.startsAt')} error={fields.starts_at} required>
        <input type="datetime-local" name="starts_at" ref={startsInput} value={values.startsAt} onInput={set('startsAt')} />
      </Field>
      <Field label={t('trainer.session.duration')} error={fields.duration_minutes} required>
        <input type="number" name="duration_minutes" inputMode="numeric" min="1" max="1440" value={values.duration} onInput={set('duration')} />
      </Field>
      <Field label={t('trainer.session.topic')} error={fields.topic}>
        <input name="topic" maxLength={500} value={values.topic} onInput={set('topic')} />
      </Field>
      {error && error.status !== 422 && error.status !== 412 && <ErrorMessage error={error} />}
      {asking && (
        <div class="notice notice-warning session-outside">
          <h3 tabIndex={-1} ref={question}>
            {t('trainer.session.outside.title')}
          </h3>
          <p>
            {t('trainer.session.outside.text', {
              from: i18n.date(cohort.starts_on),
              to: i18n.date(cohort.ends_on),
              date: i18n.date(values.startsAt.slice(0, 10)),
            })}
          </p>
          <div class="button-row">
            <button type="button" class="button button-primary" disabled={busy} onClick={() => submit(null, true)}>
              {confirmLabel}
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setAsking(false);
                startsInput.current?.focus();
              }}
            >
              {t('trainer.session.outside.change')}
            </button>
          </div>
        </div>
      )}
      {children}
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy || asking}>
          {submitLabel}
        </button>
        {onDismiss && (
          <button type="button" class="button button-secondary" onClick={onDismiss}>
            {t('common.close')}
          </button>
        )}
      </div>
    </form>
  );
}

function AddSession({ id, cohort, onAdded }) {
  const { t } = useI18n();
  const [values, setValues] = useState({ startsAt: '', duration: '240', topic: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api(`/cohorts/${id}/sessions`, {
        method: 'POST',
        body: { starts_at: toUtc(values.startsAt), duration_minutes: Number.parseInt(values.duration, 10) || 0, topic: clean(values.topic) },
      });
      setDone(true);
      setValues((v) => ({ ...v, topic: '' }));
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card">
      <summary>{t('trainer.session.add')}</summary>
      <SessionForm
        cohort={cohort}
        values={values}
        onChange={(next) => {
          setValues(next);
          setDone(false);
        }}
        onSubmit={submit}
        busy={busy}
        error={error}
        submitLabel={t('common.add')}
        confirmLabel={t('trainer.session.outside.confirm')}
      >
        {done && <Notice kind="success">{t('trainer.session.added')}</Notice>}
      </SessionForm>
    </details>
  );
}

/** What a refused stale correction missed, and what the form now stands on. */
function Stale({ stale, text }) {
  const { t } = useI18n();
  if (!stale) return null;
  return (
    <div class="notice notice-warning session-stale" role="alert">
      <h3>{t('trainer.session.stale.title')}</h3>
      <MissedChanges changes={stale.changes} />
      <p>{text}</p>
    </div>
  );
}

/**
 * Runs a correction of `session` read at `basis` ({data, etag}): answers the session after it,
 * or, refused as stale, null after calling `onStale({current, etag, changes})`.
 */
async function correct(sessionId, basis, body, onStale) {
  try {
    return await api(`/sessions/${sessionId}`, { method: 'PATCH', body, ifMatch: basis.etag });
  } catch (failure) {
    if (failure.status !== 412 || !failure.problem?.current) throw failure;
    onStale({ current: failure.problem.current, etag: failure.problem.current_etag, changes: failure.problem.changes || [] });
    return null;
  }
}

/** Moving, re-timing or re-titling one session, on the version read when the form opened.
 * `onSeen(session)` tells the list what the session is now, when it was read or refused. */
function EditSession({ session, cohort, onDone, onSeen, onClose }) {
  const { t } = useI18n();
  const [basis, setBasis] = useState(null);
  const [values, setValues] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(null);
  const box = useRef(null);

  useEffect(() => {
    versioned(`/sessions/${session.id}`)
      .then((read) => {
        setBasis(read);
        setValues(formValues(read.data));
        onSeen(read.data);
      })
      .catch(setLoadError);
  }, [session.id]);
  useEffect(() => {
    if (values && !stale) box.current?.querySelector('input')?.focus();
  }, [basis === null]);

  async function submit() {
    const patch = sessionPatch(basis.data, values);
    if (Object.keys(patch).length === 0) {
      onDone('unchanged');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const after = await correct(session.id, basis, patch, (refused) => {
        setValues((typed) => rebase(basis.data, refused.current, typed));
        setBasis({ data: refused.current, etag: refused.etag });
        setStale(refused);
        setError({ status: 412 });
        onSeen(refused.current);
      });
      if (after) onDone('saved', after);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="session-edit" ref={box}>
      {loadError && <ErrorMessage error={loadError} />}
      {!values && !loadError && <Loading />}
      {values && (
        <SessionForm
          cohort={cohort}
          values={values}
          onChange={setValues}
          onSubmit={submit}
          busy={busy}
          error={error}
          submitLabel={t('common.save')}
          confirmLabel={t('trainer.session.outside.confirmMove')}
          askAbout={(typed) => typed.startsAt !== formValues(basis.data).startsAt}
          onDismiss={onClose}
        >
          <Stale stale={stale} text={t('trainer.session.stale.edit')} />
        </SessionForm>
      )}
    </div>
  );
}

/** Cancelling one session with a reason, on the version read when the form opened. */
function CancelSession({ session, onDone, onSeen, onClose }) {
  const { t } = useI18n();
  const [basis, setBasis] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [stale, setStale] = useState(null);

  useEffect(() => {
    versioned(`/sessions/${session.id}`)
      .then((read) => {
        setBasis(read);
        onSeen(read.data);
      })
      .catch(setLoadError);
  }, [session.id]);

  async function send(reason) {
    const after = await correct(session.id, basis, { cancelled: { reason } }, (refused) => {
      setBasis({ data: refused.current, etag: refused.etag });
      setStale(refused);
      onSeen(refused.current);
    });
    if (!after) return false;
    onDone('cancelled', after);
    return true;
  }

  if (loadError) return <ErrorMessage error={loadError} />;
  if (!basis) return <Loading />;
  return (
    <ReasonForm
      label={t('trainer.session.cancelReason')}
      hint={t('trainer.session.cancelHint')}
      submitLabel={t('trainer.session.cancel')}
      dismissLabel={t('common.close')}
      invalidText={t('trainer.session.cancelInvalid')}
      onSend={send}
      onCancel={onClose}
    >
      <Stale stale={stale} text={t('trainer.session.stale.cancel')} />
    </ReasonForm>
  );
}

/** Restores a cancelled session: read now, and restored on that version. */
async function restoreSession(session) {
  const { data, etag } = await versioned(`/sessions/${session.id}`);
  if (!data.cancelled) return data;
  return api(`/sessions/${session.id}`, { method: 'PATCH', body: { cancelled: null }, ifMatch: etag });
}

function SessionRow({ session, cohort, admin, connection, onChanged }) {
  const i18n = useI18n();
  const { t } = i18n;
  // null | 'edit' | 'cancel'
  const [open, setOpen] = useState(null);
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const when = i18n.dateTime(session.starts_at);

  // The button to focus once the row shows what was done (a restored row's Cancel, a cancelled
  // one's Restore), so a keyboard user keeps their place in the list.
  const focusNext = useRef(null);
  useEffect(() => {
    const button = focusNext.current && document.getElementById(focusNext.current);
    if (button) {
      button.focus();
      focusNext.current = null;
    }
  });

  function close(which) {
    setOpen(null);
    focusNext.current = `session-${which}-${session.id}`;
  }

  function finished(what, after) {
    setDone(what);
    setOpen(null);
    onChanged(what, after);
    focusNext.current = `session-${what === 'cancelled' ? 'restore' : 'edit'}-${session.id}`;
  }

  // Read anew for a correction: the row shows what the session is now.
  const seen = (current) => onChanged('seen', current);

  async function restore() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const after = await restoreSession(session);
      setDone('restored');
      onChanged('restored', after);
      focusNext.current = `session-cancel-${session.id}`;
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const offline = !connection.online;
  const describedBy = offline ? connection.noteId : undefined;
  return (
    <li class={session.cancelled ? 'session-cancelled' : undefined} data-session={session.id} data-cancelled={session.cancelled ? 'true' : 'false'}>
      <a href={`/app/sessions/${session.id}?cohort=${cohort.id}`}>
        <span class="session-when">{when}</span>
        {session.topic && <span class="session-topic">{session.topic}</span>}
        <span class="meta">
          {t('trainer.cohort.minutes', { minutes: i18n.number(session.duration_minutes) })} · {t('trainer.cohort.sheet')}
        </span>
      </a>
      {session.cancelled && (
        <p class="session-cancel-reason">
          <span class="badge badge-bad">{t('trainer.session.cancelledBadge')}</span>{' '}
          {t('trainer.session.cancelledWas', { date: i18n.date(session.cancelled.at.slice(0, 10)), reason: session.cancelled.reason })}
        </p>
      )}
      <div class="button-row session-actions">
        <button
          type="button"
          id={`session-edit-${session.id}`}
          class="button button-secondary button-small"
          aria-label={`${t('trainer.session.edit')}: ${when}`}
          aria-expanded={open === 'edit' ? 'true' : 'false'}
          aria-describedby={describedBy}
          disabled={offline}
          onClick={() => {
            setDone(null);
            setOpen(open === 'edit' ? null : 'edit');
          }}
        >
          {t('trainer.session.edit')}
        </button>
        {session.cancelled ? (
          <button
            type="button"
            id={`session-restore-${session.id}`}
            class="button button-secondary button-small"
            aria-label={`${t('trainer.session.restore')}: ${when}`}
            aria-describedby={describedBy}
            disabled={offline || busy}
            onClick={restore}
          >
            {t('trainer.session.restore')}
          </button>
        ) : (
          <button
            type="button"
            id={`session-cancel-${session.id}`}
            class="button button-secondary button-small"
            aria-label={`${t('trainer.session.cancel')}: ${when}`}
            aria-expanded={open === 'cancel' ? 'true' : 'false'}
            aria-describedby={describedBy}
            disabled={offline}
            onClick={() => {
              setDone(null);
              setOpen(open === 'cancel' ? null : 'cancel');
            }}
          >
            {t('trainer.session.cancel')}
          </button>
        )}
        {admin && (
          <a class="button button-secondary button-small" href={`/app/sessions/${session.id}/history`} aria-label={`${t('trainer.session.history')}: ${when}`}>
            {t('trainer.session.history')}
          </a>
        )}
      </div>
      {open === 'edit' && !offline && <EditSession session={session} cohort={cohort} onDone={finished} onSeen={seen} onClose={() => close('edit')} />}
      {open === 'cancel' && !offline && !session.cancelled && <CancelSession session={session} onDone={finished} onSeen={seen} onClose={() => close('cancel')} />}
      <ErrorMessage error={error} />
      <div aria-live="polite">{done && <Notice kind="success">{t(`trainer.session.done.${done}`)}</Notice>}</div>
    </li>
  );
}

/**
 * The cohort's sessions. `onChanged(what)` is called after a correction ('saved', 'cancelled',
 * 'restored'), or when a session read anew for one turned out changed by someone else ('seen'):
 * who qualifies may have changed with it. The session is shown as the server answered at once,
 * and the list is read again.
 */
export function Sessions({ id, cohort, onChanged }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const connection = useConnection();
  const { data, error, loading, reload, setData } = useAsync(() => api(`/cohorts/${id}/sessions`), [id]);
  const items = data ? [...data.items].sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id)) : [];
  const cancelled = items.filter((session) => session.cancelled).length;
  const changed = (what, after) => {
    if (what === 'unchanged') return;
    if (what === 'seen' && JSON.stringify(items.find((item) => item.id === after.id)) === JSON.stringify(after)) return;
    if (after) setData((list) => list && { ...list, items: list.items.map((item) => (item.id === after.id ? after : item)) });
    reload();
    onChanged?.(what);
  };
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">
        {t('trainer.cohort.sessions')}
        {data && (
          <span class="meta" data-held={items.length - cancelled} data-cancelled={cancelled}>
            {' '}
            ({i18n.number(items.length - cancelled)}
            {cancelled > 0 && `; ${t('trainer.session.cancelledCount', { count: i18n.number(cancelled) })}`})
          </span>
        )}
      </h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && items.length === 0 && <p>{t('trainer.cohort.noSessions')}</p>}
      {items.length > 0 && <NeedsConnection connection={connection} />}
      {items.length > 0 && (
        <ol class="list session-list">
          {items.map((session) => (
            <SessionRow key={session.id} session={session} cohort={cohort} admin={me?.role === 'admin'} connection={connection} onChanged={changed} />
          ))}
        </ol>
      )}
      <AddSession id={id} cohort={cohort} onAdded={reload} />
    </section>
  );
}
