// /app/cohorts: the trainer's cohorts (an administrator's: all of them), each a link to its page,
// with course, place, dates and language at once, and the counts of people and sessions filled in
// as they arrive (one small request each, so a slow line shows the list first).
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Loading, Page, useAsync } from '../../ui/components.jsx';
import { courseTitle, loadCourses } from './data.js';
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
    </Page>
  );
}
