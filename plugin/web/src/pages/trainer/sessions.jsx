// The sessions of a cohort on its page (/app/cohorts/:id): each opening its attendance sheet,
// and a form to add one (a date outside the cohort's dates is asked about before it is sent).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { ErrorMessage, Field, Loading, Notice, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import { fieldErrors } from './data.js';

/** datetime-local's "2026-03-14T10:00" (the device's time) → "2026-03-14T04:00:00Z". */
function toUtc(local) {
  const when = new Date(local);
  if (Number.isNaN(when.getTime())) return local;
  return when.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether a session starting at `local` (datetime-local, the trainer's own day) falls outside
 * the cohort's dates: a slip of the finger on a phone's date picker, asked about before sending
 * (the service accepts such a session: a cohort may meet once more after its end). */
export function outsideCohort(cohort, local) {
  const day = String(local || '').slice(0, 10);
  if (day.length !== 10) return false;
  return Boolean((cohort?.starts_on && day < cohort.starts_on) || (cohort?.ends_on && day > cohort.ends_on));
}

function AddSession({ id, cohort, onAdded }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [startsAt, setStartsAt] = useState('');
  // Asking whether a date outside the cohort's is meant (the question has the focus).
  const [asking, setAsking] = useState(false);
  const question = useRef(null);
  const startsInput = useRef(null);
  const [duration, setDuration] = useState('240');
  const [topic, setTopic] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const fields = fieldErrors(t, error);
  const formRef = useRef(null);
  useFocusOnRefusal(formRef, error);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);

  async function submit(event, confirmed = false) {
    event?.preventDefault();
    if (!confirmed && outsideCohort(cohort, startsAt)) {
      setDone(false);
      setAsking(true);
      return;
    }
    setAsking(false);
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api(`/cohorts/${id}/sessions`, {
        method: 'POST',
        body: { starts_at: toUtc(startsAt), duration_minutes: Number.parseInt(duration, 10) || 0, topic: topic.normalize('NFC').trim() },
      });
      setDone(true);
      setTopic('');
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
      <form class="form" ref={formRef} onSubmit={submit}>
        <Field label={t('trainer.session.startsAt')} error={fields.starts_at} required>
          <input
            type="datetime-local"
            name="starts_at"
            ref={startsInput}
            value={startsAt}
            onInput={(e) => {
              setStartsAt(e.currentTarget.value);
              setAsking(false);
            }}
          />
        </Field>
        <Field label={t('trainer.session.duration')} error={fields.duration_minutes} required>
          <input type="number" name="duration_minutes" inputMode="numeric" min="1" max="1440" value={duration} onInput={(e) => setDuration(e.currentTarget.value)} />
        </Field>
        <Field label={t('trainer.session.topic')} error={fields.topic}>
          <input name="topic" value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
        </Field>
        {error && error.status !== 422 && <ErrorMessage error={error} />}
        {asking && (
          <div class="notice notice-warning session-outside">
            <h3 tabIndex={-1} ref={question}>
              {t('trainer.session.outside.title')}
            </h3>
            <p>
              {t('trainer.session.outside.text', {
                from: i18n.date(cohort.starts_on),
                to: i18n.date(cohort.ends_on),
                date: i18n.date(startsAt.slice(0, 10)),
              })}
            </p>
            <div class="button-row">
              <button type="button" class="button button-primary" disabled={busy} onClick={() => submit(null, true)}>
                {t('trainer.session.outside.confirm')}
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
        {done && <Notice kind="success">{t('trainer.session.added')}</Notice>}
        <button type="submit" class="button button-primary" disabled={busy || asking}>
          {t('common.add')}
        </button>
      </form>
    </details>
  );
}

export function Sessions({ id, cohort }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useAsync(() => api(`/cohorts/${id}/sessions`), [id]);
  const items = data ? [...data.items].sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id)) : [];
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">
        {t('trainer.cohort.sessions')}
        {data && <span class="meta"> ({i18n.number(items.length)})</span>}
      </h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && items.length === 0 && <p>{t('trainer.cohort.noSessions')}</p>}
      {items.length > 0 && (
        <ol class="list session-list">
          {items.map((session) => (
            <li key={session.id}>
              <a href={`/app/sessions/${session.id}?cohort=${id}`}>
                <span class="session-when">{i18n.dateTime(session.starts_at)}</span>
                {session.topic && <span class="session-topic">{session.topic}</span>}
                <span class="meta">
                  {t('trainer.cohort.minutes', { minutes: i18n.number(session.duration_minutes) })} · {t('trainer.cohort.sheet')}
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
      <AddSession id={id} cohort={cohort} onAdded={reload} />
    </section>
  );
}
