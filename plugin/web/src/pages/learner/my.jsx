// /app/my: a learner's own courses (with whether they completed them) and certificates (download
// the PDF, show the QR code). Everything comes from the learner's own view of the API: GET /me
// (person and enrolments), GET /me/certificates, GET /cohorts (only their own) and the courses
// of those cohorts.
import { addMessages, languages, useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync } from '../../ui/components.jsx';
import { useSession } from '../../session.jsx';
import messages from './messages.js';
import './learner.css';

addMessages(messages);

/** Today as the server writes dates ("2026-11-27", UTC), to compare with a cohort's dates. */
function today() {
  return new Date().toISOString().slice(0, 10);
}

/** What the page shows, read once: also what the app keeps for opening it offline. */
export async function loadMine() {
  const [profile, certificates, cohorts] = await Promise.all([
    api('/me'),
    api('/me/certificates'),
    api('/cohorts'),
  ]);
  const cohortById = new Map((cohorts.items || []).map((cohort) => [cohort.id, cohort]));
  const enrolments = profile.enrolments || [];
  const courseIds = [...new Set(enrolments.map((e) => cohortById.get(e.cohort_id)?.course_id).filter(Boolean))];
  const courses = await Promise.all(courseIds.map((id) => api(`/courses/${id}`)));
  const courseById = new Map(courses.map((course) => [course.id, course]));
  const rows = enrolments.map((enrolment) => {
    const cohort = cohortById.get(enrolment.cohort_id) || null;
    const course = cohort ? courseById.get(cohort.course_id) || null : null;
    const own = (certificates.items || []).filter((c) => c.enrolment_id === enrolment.id);
    return { enrolment, cohort, course, certificates: own };
  });
  // Latest first: what the learner did last is what they look for.
  rows.sort((a, b) => String(b.cohort?.starts_on || '').localeCompare(String(a.cohort?.starts_on || '')));
  const items = [...(certificates.items || [])].sort((a, b) => String(b.issued_at).localeCompare(String(a.issued_at)));
  return { participant: profile.participant, rows, certificates: items };
}

/** Where the learner stands in one course: [text key, tone, hint key?]. */
function courseStatus({ cohort, course, certificates }, now) {
  if (certificates.some((c) => c.status === 'valid')) return ['learner.course.status.completed', 'ok'];
  if (certificates.length > 0) return ['learner.course.status.revoked', 'bad'];
  if (!cohort) return ['learner.course.status.inProgress', 'neutral'];
  if (cohort.starts_on > now) return ['learner.course.status.upcoming', 'neutral'];
  if (cohort.ends_on >= now) return ['learner.course.status.inProgress', 'neutral'];
  if (course && !course.gives_certificate) return ['learner.course.status.ended', 'neutral'];
  return ['learner.course.status.noCertificate', 'warn', 'learner.course.status.noCertificateHint'];
}

/**
 * The three languages as large buttons, each named in itself, at the top of the learner's page:
 * someone who reads only Kazakh finds "Қазақша" at once, whatever language the page opened in.
 */
function LanguageChoice() {
  const { t, lang, setLanguage } = useI18n();
  return (
    <div class="learner-languages" role="group" aria-label={t('learner.languages')}>
      {languages.map((l) => (
        <button type="button" lang={l.code} aria-pressed={l.code === lang ? 'true' : 'false'} onClick={() => setLanguage(l.code)}>
          {l.name}
        </button>
      ))}
    </div>
  );
}

function CourseItem({ row, now }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { cohort, course } = row;
  const [key, tone, hint] = courseStatus(row, now);
  return (
    <li class="learner-course">
      <h3>{course ? i18n.pick(course.title) : `#${row.enrolment.cohort_id}`}</h3>
      <p class={`learner-status learner-status-${tone}`}>{t(key)}</p>
      {hint && <p class="hint">{t(hint)}</p>}
      <dl class="learner-facts">
        {cohort && (
          <>
            <dt>{t('learner.course.dates')}</dt>
            <dd>
              {i18n.date(cohort.starts_on)} – {i18n.date(cohort.ends_on)}
            </dd>
            <dt>{t('learner.course.place')}</dt>
            <dd>{cohort.place}</dd>
          </>
        )}
      </dl>
      {course && <p class="meta">{i18n.tp('learner.course.hours', course.hours)}</p>}
    </li>
  );
}

function CertificateItem({ certificate }) {
  const i18n = useI18n();
  const { t } = i18n;
  const valid = certificate.status === 'valid';
  const titleId = `certificate-${certificate.id}-title`;
  return (
    <li class={`card learner-certificate ${valid ? '' : 'learner-certificate-revoked'}`} data-certificate-id={certificate.id}>
      <h3 id={titleId}>{i18n.pick(certificate.course_title)}</h3>
      <p>
        <span class={`badge ${valid ? 'badge-ok' : 'badge-bad'}`}>
          {t(valid ? 'learner.certificate.valid' : 'learner.certificate.revoked')}
        </span>
      </p>
      {!valid && (
        <div class="notice notice-error">
          {certificate.revoked_reason && <p>{t('learner.certificate.revokedReason', { reason: certificate.revoked_reason })}</p>}
          {certificate.revoked_at && <p>{t('learner.certificate.revokedOn', { date: i18n.date(certificate.revoked_at) })}</p>}
        </div>
      )}
      <dl class="learner-facts">
        <dt>{t('learner.certificate.name')}</dt>
        <dd class="learner-name">{certificate.full_name}</dd>
        <dt>{t('learner.certificate.serial')}</dt>
        <dd class="learner-serial">{certificate.serial}</dd>
        <dt>{t('learner.certificate.issued')}</dt>
        <dd>{i18n.date(certificate.issued_at)}</dd>
        <dt>{t('learner.certificate.language')}</dt>
        <dd>{t(`learner.certificate.language.${certificate.language}`)}</dd>
      </dl>
      {valid && (
        <div class="button-row">
          <a class="button button-primary" href={`/api/v1/certificates/${certificate.id}/pdf`} download="" aria-describedby={titleId}>
            {t('learner.certificate.download')}
          </a>
          <a class="button button-secondary" href={`/app/my/certificates/${certificate.id}`} aria-describedby={titleId}>
            {t('learner.certificate.showQr')}
          </a>
        </div>
      )}
      {valid && certificate.pdf_size > 0 && (
        <p class="meta">{t('learner.certificate.size', { size: i18n.number(Math.max(1, Math.round(certificate.pdf_size / 1024))) })}</p>
      )}
    </li>
  );
}

export default function MyPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useAsync(loadMine, []);
  const { me } = useSession();
  const now = today();
  return (
    <Page title={t('learner.my.title')}>
      <LanguageChoice />
      {me?.has_password === false && <Notice kind="warning">{t('learner.my.noPassword')}</Notice>}
      <p>
        <a class="button button-secondary learner-account-link" href="/app/my/account">
          {t('learner.my.account')}
        </a>
      </p>
      {data?.participant && <p class="lead">{t('learner.my.hello', { name: data.participant.full_name })}</p>}
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && (
        <>
          <h2 id="learner-certificates">{t('learner.certificates.title')}</h2>
          {data.certificates.length === 0 ? (
            <p>{t('learner.certificates.none')}</p>
          ) : (
            <ul class="list learner-certificates" aria-labelledby="learner-certificates">
              {data.certificates.map((certificate) => (
                <CertificateItem key={certificate.id} certificate={certificate} />
              ))}
            </ul>
          )}
          <h2 id="learner-courses">{t('learner.courses.title')}</h2>
          {data.rows.length === 0 ? (
            <p>{t('learner.courses.none')}</p>
          ) : (
            <ul class="list" aria-labelledby="learner-courses">
              {data.rows.map((row) => (
                <CourseItem key={row.enrolment.id} row={row} now={now} />
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
