// An administrator's history of a cohort (/app/cohorts/:id/history) and of a session
// (/app/sessions/:id/history): every change, who made it, when and why, each field old → new
// (ui/history.jsx). A cohort's page lists its sessions, each linking to its own history.
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Loading, Page, useAsync } from '../../ui/components.jsx';
import { History } from '../../ui/history.jsx';
import { courseTitle, loadCourses } from './data.js';
import { CohortNotFound, useCohort } from './parts.jsx';
import './trainer.css';

addMessages(messages);

function byStart(a, b) {
  return a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id;
}

export function CohortHistoryPage({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, reload } = useCohort(id);
  const sessions = useAsync(() => api(`/cohorts/${encodeURIComponent(id)}/sessions`), [id]);
  if (error) return <CohortNotFound error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const [cohort, courses] = data;
  return (
    <Page title={t('trainer.history.cohort')}>
      <p>
        <a href={`/app/cohorts/${cohort.id}`}>{t('trainer.cohort.backToCohort')}</a>
      </p>
      <p class="lead">
        {courseTitle(i18n, courses, cohort)}, {cohort.place}
        <br />
        {t('trainer.cohorts.dates', { from: i18n.date(cohort.starts_on), to: i18n.date(cohort.ends_on) })}
      </p>
      <History path={`/cohorts/${cohort.id}/history`} />
      <section aria-labelledby="session-histories-heading">
        <h2 id="session-histories-heading">{t('trainer.history.sessions')}</h2>
        {sessions.loading && !sessions.data && <Loading />}
        <ErrorMessage error={sessions.error} onRetry={sessions.reload} />
        {sessions.data && sessions.data.items.length === 0 && <p>{t('trainer.cohort.noSessions')}</p>}
        {sessions.data && (
          <ul class="list session-histories">
            {[...sessions.data.items].sort(byStart).map((session) => (
              <li key={session.id}>
                <a href={`/app/sessions/${session.id}/history`}>
                  {i18n.dateTime(session.starts_at)}
                  {session.topic ? ` · ${session.topic}` : ''}
                  {session.cancelled ? ` · ${t('trainer.session.cancelledBadge')}` : ''}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

export function SessionHistoryPage({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, reload } = useAsync(async () => {
    const session = await api(`/sessions/${encodeURIComponent(id)}`);
    const [cohort, courses] = await Promise.all([api(`/cohorts/${session.cohort_id}`), loadCourses()]);
    return { session, cohort, courses };
  }, [id]);
  if (error) return <CohortNotFound error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  const { session, cohort, courses } = data;
  return (
    <Page title={t('trainer.history.session')}>
      <p>
        <a href={`/app/cohorts/${cohort.id}`}>{t('trainer.cohort.backToCohort')}</a>
      </p>
      <p class="lead">
        {courseTitle(i18n, courses, cohort)}, {cohort.place}
        <br />
        {i18n.dateTime(session.starts_at)}
        {session.topic ? ` · ${session.topic}` : ''}
        {session.cancelled ? ` · ${t('trainer.session.cancelledBadge')}` : ''}
      </p>
      <p>
        <a href={`/app/sessions/${session.id}?cohort=${cohort.id}`}>{t('trainer.history.sheet')}</a>
      </p>
      <History path={`/sessions/${session.id}/history`} />
    </Page>
  );
}
