// Pieces the pages under /app/cohorts/:id share: loading the cohort, its not-found page, the
// locality picker, the words for a likely duplicate person, and the form for a reason.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { ErrorMessage, Field, Loading, Page, useAsync, useFocusOnRefusal, useOnline } from '../../ui/components.jsx';
import { courseTitle, loadCourses, loadLocalities } from './data.js';

/** The cohort and the course catalogue: data = [cohort, courses]. */
export function useCohort(id) {
  return useAsync(() => Promise.all([api(`/cohorts/${encodeURIComponent(id)}`), loadCourses()]), [id]);
}

/** A cohort the reader may not see, or one that does not exist: the same page either way. */
export function CohortNotFound({ error, onRetry }) {
  const { t } = useI18n();
  if (error?.status === 404) {
    return (
      <Page title={t('notFound.title')}>
        <p>{t('error.notFound')}</p>
        <p>
          <a href="/app/cohorts">{t('trainer.cohort.back')}</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('error.page')}>
      <ErrorMessage error={error} onRetry={onRetry} />
    </Page>
  );
}

/** "Нұра кенті" — a locality's name in the reader's language ("#12" while unknown). */
export function localityName(i18n, localities, id) {
  const locality = localities?.byId.get(id);
  return locality ? i18n.pick(locality.name) : `#${id}`;
}

/** "Нұра кенті, Нұра ауданы": the name with its parent's, to tell same-named places apart. */
export function localityPath(i18n, localities, locality) {
  const parent = locality.parent_id ? localities.byId.get(locality.parent_id) : null;
  return parent ? `${i18n.pick(locality.name)}, ${i18n.pick(parent.name)}` : i18n.pick(locality.name);
}

function matches(locality, needle) {
  if (!needle) return true;
  const names = [locality.name.kk, locality.name.ru, locality.name.en, locality.kato || ''];
  return names.some((name) => name.toLocaleLowerCase().includes(needle));
}

/**
 * The home locality: a select over the whole tree, indented by level, and a search box that
 * narrows it to the places whose name (in any language) or KATO code holds the text.
 */
export function LocalityPicker({ localities, value, onChange, error, disabled = false }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [search, setSearch] = useState('');
  const needle = search.normalize('NFC').trim().toLocaleLowerCase();
  const shown = localities.list.filter((l) => matches(l, needle) || l.id === Number(value));
  // One place found is the place meant: choose it, so a search alone fills the field.
  function find(text) {
    setSearch(text);
    const folded = text.normalize('NFC').trim().toLocaleLowerCase();
    const found = folded ? localities.list.filter((l) => matches(l, folded)) : [];
    if (found.length === 1) onChange(String(found[0].id));
  }
  return (
    <div class="locality-picker">
      <Field label={t('trainer.field.localitySearch')} hint={needle ? t('trainer.field.localityMatches', { count: i18n.number(shown.length) }) : undefined}>
        <input type="search" name="locality_search" autocomplete="off" value={search} disabled={disabled} onInput={(e) => find(e.currentTarget.value)} />
      </Field>
      <Field label={t('trainer.field.locality')} error={error} required>
        <select name="locality_id" value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">{t('trainer.field.localityChoose')}</option>
          {shown.map((l) => (
            <option key={l.id} value={String(l.id)}>
              {needle ? localityPath(i18n, localities, l) : `${'\u00a0\u00a0\u00a0'.repeat(l.depth)}${i18n.pick(l.name)}`}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

/** What same_person takes to confirm a duplicate candidate: its id, or for someone the trainer
 *  may not see (no id), the confirmation that stands for it. */
export const confirmationOf = (candidate) => candidate.id ?? candidate.confirmation;

/** "Әлия Қасымова, 1990, Нұра кенті — same person?" for one candidate of a 409 answer. */

export function candidateQuestion(i18n, localities, candidate) {
  return i18n.t('trainer.dup.question', {
    name: candidate.full_name,
    year: candidate.birth_year,
    place: localityName(i18n, localities, candidate.locality_id),
  });
}

/**
 * A page that works on one cohort and needs the locality tree (registering, importing): the
 * cohort's heading and back link, then `form(cohortId, localities)` once both are loaded.
 */
export function CohortTaskPage({ id, title, form }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cohort = useCohort(id);
  const localities = useAsync(loadLocalities, []);
  if (cohort.error) return <CohortNotFound error={cohort.error} onRetry={cohort.reload} />;
  if (!cohort.data) return <Loading />;
  const [data, courses] = cohort.data;
  return (
    <Page title={title}>
      <p>
        <a href={`/app/cohorts/${data.id}`}>{t('trainer.cohort.backToCohort')}</a>
      </p>
      <p class="lead">{t('trainer.register.cohort', { cohort: `${courseTitle(i18n, courses, data)}, ${data.place}` })}</p>
      <ErrorMessage error={localities.error} onRetry={localities.reload} />
      {localities.data ? form(data.id, localities.data) : !localities.error && <Loading />}
    </Page>
  );
}

/**
 * A reason typed for a correction (a withdrawal, a revocation, a waiver, a cancelled session),
 * sent with `onSend(reason)`. `onSend` answering false means "not done, look again" (a stale
 * correction re-based on the current version): the form stays, with `children` (what happened)
 * above its buttons and the focus moved there. `invalidText` is the field's message for a 422.
 */
export function ReasonForm({ label, hint, submitLabel, dismissLabel, invalidText, onSend, onCancel, children }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  // What the focus follows: the failure, or a new object each time onSend answered false.
  const [refusal, setRefusal] = useState(null);
  const box = useRef(null);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  useFocusOnRefusal(box, refusal);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if ((await onSend(reason.normalize('NFC').trim())) === false) {
        setRefusal({});
        setBusy(false);
      }
    } catch (failure) {
      setError(failure);
      setRefusal(failure);
      setBusy(false);
    }
  }

  const invalid = error?.status === 422;
  return (
    <form class="form reason-form" onSubmit={submit} ref={box}>
      <Field label={label} hint={hint} error={invalid ? invalidText || t('trainer.reason.invalid') : null} required>
        <textarea name="reason" rows={3} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      {!invalid && <ErrorMessage error={error} />}
      {children}
      <div class="button-row">
        <button type="submit" class="button button-danger" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          {dismissLabel || t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

let connectionNotes = 0;

/**
 * Whether corrections can be sent now: {online, noteId}. They go to the server at once (they are
 * not queued like marks and registrations: each is judged against the version it was made on),
 * so without a connection their buttons are off and point (aria-describedby) at NeedsConnection.
 */
export function useConnection() {
  const online = useOnline();
  const [noteId] = useState(() => `needs-connection-${++connectionNotes}`);
  return { online, noteId };
}

/** "Corrections need a connection", while there is none. */
export function NeedsConnection({ connection }) {
  const { t } = useI18n();
  if (connection.online) return null;
  return (
    <p class="notice notice-warning needs-connection" id={connection.noteId}>
      {t('trainer.needsConnection')}
    </p>
  );
}
