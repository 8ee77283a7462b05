// What the people pages share: a person's record (details, cohorts with their marks, certificates)
// as the API's GET /participants/{id}/record answers it, a person's field and its value in words,
// and the changes an edit missed (a 412's `changes`) with what was done about them.
import { addMessages, useI18n } from '../../i18n/index.js';
import trainerMessages from '../trainer/messages.js';
import { localityName } from '../trainer/parts.jsx';
import { MissedChanges as SharedMissedChanges } from '../../ui/history.jsx';

// The words of a person's fields and their values (genders, affiliations, groups) are the
// registration form's.
addMessages(trainerMessages);

const fieldKeys = {
  full_name: 'people.field.full_name',
  gender: 'people.gender',
  birth_year: 'people.birthYear',
  locality_id: 'people.field.locality_id',
  phone: 'people.phone',
  email: 'people.email',
  affiliation: 'people.field.affiliation',
  vulnerable: 'people.field.vulnerable',
  consent: 'people.field.consent',
  consent_withdrawn_at: 'people.field.consent_withdrawn_at',
  erased_at: 'people.field.erased_at',
};

/** A person's field ("full_name") in words ("Имя"); a field not of a person keeps its name. */
export function fieldLabel(t, field) {
  return fieldKeys[field] ? t(fieldKeys[field]) : field;
}

/** A person's field value as a history or a 412 carries it, in words ('female' → 'женский',
 * a locality id → its name, the groups listed); `localities` the tree when known. */
export function fieldValueText(i18n, field, value, localities) {
  const { t } = i18n;
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'gender') return t(`trainer.gender.${value}`);
  if (field === 'affiliation') return t(`trainer.affiliation.${value}`);
  if (field === 'vulnerable') return Array.isArray(value) && value.length > 0 ? value.map((g) => t(`trainer.vulnerable.${g}`)).join(', ') : '—';
  if (field === 'locality_id' && localities) return localityName(i18n, localities, Number(value));
  if (field === 'consent') return t(value ? 'common.yes' : 'common.no');
  if (field.endsWith('_at')) return i18n.dateTime(value);
  if (typeof value === 'object') return value.reason ?? JSON.stringify(value);
  return String(value);
}

/** The changes made to a record since it was read (a 412 answer's `changes`), as the shared list
 * shows them, with a person's fields and values in words; `localities` the tree when known. */
export function MissedChanges({ changes, localities }) {
  const i18n = useI18n();
  return (
    <SharedMissedChanges
      changes={changes}
      fieldName={(field) => fieldLabel(i18n.t, field)}
      fieldValue={(field, value) => fieldValueText(i18n, field, value, localities)}
    />
  );
}

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
        <dd>{fieldValueText(i18n, 'gender', person.gender)}</dd>
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
