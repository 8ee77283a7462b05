// What the people pages share: a person's record (details, cohorts with their marks, certificates)
// as the API's GET /participants/{id}/record answers it.
import { useI18n } from '../../i18n/index.js';

export function statusText(t, status) {
  return status ? t(`people.status.${status}`) : '—';
}

/** One record: details, cohorts (with their marks) and certificates. */
export function Record({ record, heading = 'h2' }) {
  const i18n = useI18n();
  const { t } = i18n;
  const H = heading;
  const person = record.person;
  const marksOf = (enrolmentId) => record.marks.filter((m) => m.enrolment_id === enrolmentId);
  return (
    <div class="record">
      <H>{t('people.data')}</H>
      <dl class="facts">
        <dt>{t('people.birthYear')}</dt>
        <dd>{person.birth_year}</dd>
        <dt>{t('people.gender')}</dt>
        <dd>{person.gender}</dd>
        <dt>{t('people.phone')}</dt>
        <dd>{person.phone || '—'}</dd>
        <dt>{t('people.email')}</dt>
        <dd>{person.email || '—'}</dd>
      </dl>
      <H>{t('people.enrolments')}</H>
      {record.enrolments.length === 0 && <p>{t('people.noEnrolments')}</p>}
      <ul class="list">
        {record.enrolments.map((e) => (
          <li key={e.id} data-enrolment={e.id}>
            <a href={`/app/cohorts/${e.cohort_id}`}>{t('people.cohort', { id: e.cohort_id })}</a>
            {e.withdrawn && <span class="meta"> · {t('people.withdrawn', { reason: e.withdrawn.reason })}</span>}
            <span class="meta">
              {' · '}
              {marksOf(e.id)
                .map((m) => `${t('people.merge.session', { id: m.session_id })} ${statusText(t, m.status)}`)
                .join(', ')}
            </span>
          </li>
        ))}
      </ul>
      <H>{t('people.certificates')}</H>
      {record.certificates.length === 0 && <p>{t('people.noCertificates')}</p>}
      <ul class="list">
        {record.certificates.map((c) => (
          <li key={c.id}>
            {c.serial} · {c.full_name} · {c.status}
          </li>
        ))}
      </ul>
    </div>
  );
}
