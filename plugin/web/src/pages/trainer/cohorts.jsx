// /app/cohorts: the trainer's cohorts (an administrator's: all of them), each a link to its page,
// with course, place, dates and language at once, and the counts of people and sessions filled in
// as they arrive (one small request each, so a slow line shows the list first). A trainer opens a
// new cohort of a course here (POST /cohorts makes them its trainer) and finds their totals.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Field, Loading, Page, useAsync } from '../../ui/components.jsx';
import { clean, courseTitle, fieldErrors, loadCourses, loadLocalities } from './data.js';
import { LocalityPicker } from './parts.jsx';
import './trainer.css';

addMessages(messages);

function Counts({ id }) {
  const i18n = useI18n();
  const { data } = useAsync(
    () => Promise.all([api(`/cohorts/${id}/enrolments`), api(`/cohorts/${id}/sessions`)]),
    [id],
  );
  if (!data) return null;
  const [enrolments, sessions] = data;
  return (
    <span class="meta">
      {i18n.tp('trainer.count.enrolled', enrolments.items.length)} ·{' '}
      {i18n.tp('trainer.count.sessions', sessions.items.length)}
    </span>
  );
}

function NewCohort({ courses }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const localities = useAsync(loadLocalities, []);
  const [form, setForm] = useState({ course_id: '', locality_id: '', place: '', starts_on: '', ends_on: '', language: i18n.lang || 'kk' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const fields = fieldErrors(t, error);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const cohort = await api('/cohorts', {
        method: 'POST',
        body: {
          course_id: Number(form.course_id) || 0,
          locality_id: Number(form.locality_id) || 0,
          place: clean(form.place),
          starts_on: form.starts_on,
          ends_on: form.ends_on,
          language: form.language,
        },
      });
      route(`/app/cohorts/${cohort.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  const list = [...courses.values()].sort((a, b) => i18n.pick(a.title).localeCompare(i18n.pick(b.title), i18n.locale));
  return (
    <details class="card new-cohort">
      <summary>{t('trainer.newCohort.title')}</summary>
      <form class="form" onSubmit={submit}>
        <Field label={t('trainer.newCohort.course')} error={fields.course_id} required>
          <select name="course_id" value={form.course_id} onChange={set('course_id')}>
            <option value="">{t('trainer.newCohort.chooseCourse')}</option>
            {list.map((course) => (
              <option key={course.id} value={String(course.id)}>
                {i18n.pick(course.title)}
              </option>
            ))}
          </select>
        </Field>
        {localities.data && (
          <LocalityPicker localities={localities.data} value={form.locality_id} error={fields.locality_id} onChange={(value) => setForm((f) => ({ ...f, locality_id: value }))} />
        )}
        <ErrorMessage error={localities.error} onRetry={localities.reload} />
        <Field label={t('trainer.newCohort.place')} hint={t('trainer.newCohort.placeHint')} error={fields.place} required>
          <input name="place" value={form.place} onInput={set('place')} />
        </Field>
        <Field label={t('trainer.newCohort.startsOn')} error={fields.starts_on} required>
          <input type="date" name="starts_on" value={form.starts_on} onInput={set('starts_on')} />
        </Field>
        <Field label={t('trainer.newCohort.endsOn')} error={fields.ends_on} required>
          <input type="date" name="ends_on" value={form.ends_on} onInput={set('ends_on')} />
        </Field>
        <Field label={t('trainer.newCohort.language')} error={fields.language} required>
          <select name="language" value={form.language} onChange={set('language')}>
            {['kk', 'ru', 'en'].map((code) => (
              <option key={code} value={code}>
                {t(`trainer.lang.${code}`)}
              </option>
            ))}
          </select>
        </Field>
        {error && error.status !== 422 && <ErrorMessage error={error} />}
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('common.create')}
        </button>
      </form>
    </details>
  );
}

export default function CohortsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const { data, error, loading, reload } = useAsync(
    () => Promise.all([api('/cohorts'), loadCourses()]),
    [],
  );
  const title = me?.role === 'admin' ? t('trainer.cohorts.allTitle') : t('trainer.cohorts.title');
  const cohorts = data ? [...data[0].items].sort((a, b) => (a.starts_on < b.starts_on ? -1 : a.starts_on > b.starts_on ? 1 : a.id - b.id)) : [];
  return (
    <Page title={title}>
      {me?.role === 'trainer' && (
        <p>
          <a class="button button-secondary totals-link" href="/app/totals">
            {t('trainer.totals.link')}
          </a>
        </p>
      )}
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && cohorts.length === 0 && <p>{t('trainer.cohorts.empty')}</p>}
      {cohorts.length > 0 && (
        <ul class="list cohort-list">
          {cohorts.map((cohort) => (
            <li key={cohort.id}>
              <a href={`/app/cohorts/${cohort.id}`} class="cohort-link">
                <strong>{courseTitle(i18n, data[1], cohort)}</strong>
                <span>{cohort.place}</span>
              </a>
              <p class="meta">
                {t('trainer.cohorts.dates', { from: i18n.date(cohort.starts_on), to: i18n.date(cohort.ends_on) })}
                {' · '}
                {t('trainer.cohorts.language', { language: t(`trainer.lang.${cohort.language}`) })}
              </p>
              <Counts id={cohort.id} />
            </li>
          ))}
        </ul>
      )}
      {data && <NewCohort courses={data[1]} />}
    </Page>
  );
}
