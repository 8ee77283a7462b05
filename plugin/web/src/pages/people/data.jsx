// /app/people/:id/data: a person's personal data for administrators (docs/API.md, "Data rights"):
// what is recorded (consent, its withdrawal, erasure, a merge, how long their programmes keep
// contacts), the export of everything held about them as JSON or PDF in a language chosen, the
// withdrawal of their consent, and their erasure. Both changes name the person, go on the version
// GET /data-rights answered (If-Match), and a change made meanwhile (412) is listed and asked
// about again. Erasure asks for the grounds and an explicit confirmation after saying what it
// does; once done the page shows the erased record.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, languages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, query, versioned } from '../../api.js';
import { ErrorMessage, Field, Loading, Notice, Page, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import { loadCourses, loadLocalities } from '../trainer/data.js';
import { MissedChanges } from './parts.jsx';
import './people.css';

addMessages(messages);

/** The programmes the person is enrolled in, each with its end and its retention of contacts. */
async function loadRetention(id) {
  const record = await api(`/participants/${id}/record`);
  const cohortIds = [...new Set(record.enrolments.map((e) => e.cohort_id))];
  const [cohorts, courses] = await Promise.all([Promise.all(cohortIds.map((cohort) => api(`/cohorts/${cohort}`))), loadCourses()]);
  const programmeIds = [...new Set(cohorts.map((c) => courses.get(c.course_id)?.programme_id).filter(Boolean))];
  return Promise.all(
    programmeIds.map(async (programme) => {
      const [about, retention] = await Promise.all([api(`/programmes/${programme}`), api(`/programmes/${programme}/retention`)]);
      return { ...about, retention_years: retention.retention_years };
    }),
  );
}

function Recorded({ id, state, person }) {
  const i18n = useI18n();
  const { t } = i18n;
  // A merged record has no record of its own (404): its programmes are the kept one's.
  const retention = useAsync(() => (state.merged_into ? null : loadRetention(id)), [id, state.merged_into]);
  let consent = t(person.consent ? 'people.rights.consentGiven' : 'people.rights.consentNotGiven');
  if (state.consent_withdrawn_at) consent = t('people.rights.consentWithdrawnAt', { date: i18n.date(state.consent_withdrawn_at) });
  return (
    <section aria-labelledby="recorded-heading">
      <h2 id="recorded-heading">{t('people.rights.recorded')}</h2>
      <dl class="facts rights-facts">
        <dt>{t('people.rights.consent')}</dt>
        <dd data-fact="consent">{consent}</dd>
        <dt>{t('people.rights.erasure')}</dt>
        <dd data-fact="erasure">{state.erased_at ? t('people.rights.erasedAt', { date: i18n.date(state.erased_at) }) : t('people.rights.notErased')}</dd>
        {state.merged_into && (
          <>
            <dt>{t('people.rights.merge')}</dt>
            <dd data-fact="merge">
              <a href={`/app/people/${state.merged_into}/data`}>{t('people.rights.mergedInto', { id: state.merged_into })}</a>
            </dd>
          </>
        )}
      </dl>
      {!state.merged_into && (
        <>
          <h3>{t('people.rights.retention')}</h3>
          <ErrorMessage error={retention.error} onRetry={retention.reload} />
          {retention.loading && !retention.data && <Loading />}
          {retention.data && retention.data.length === 0 && <p>{t('people.noEnrolments')}</p>}
          {retention.data && (
            <ul class="list retention">
              {retention.data.map((programme) => (
                <li key={programme.id} data-programme={programme.id}>
                  {programme.retention_years === null
                    ? t('people.rights.retentionNone', { programme: programme.code })
                    : i18n.tp('people.rights.retention', programme.retention_years, { programme: programme.code, ends: i18n.date(programme.ends_on) })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Export({ id }) {
  const { t } = useI18n();
  const [lang, setLang] = useState('');
  const href = (format) => `/api/v1/participants/${id}/export${query({ format, lang })}`;
  return (
    <section class="card" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('people.export.title')}</h2>
      <p>{t('people.export.intro')}</p>
      <Field label={t('people.export.lang')}>
        <select name="export_lang" value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
          <option value="">{t('people.export.langDefault')}</option>
          {languages.map((l) => (
            <option value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      <div class="button-row">
        <a class="button button-secondary export-json" href={href('json')} download>
          {t('people.export.json')}
        </a>
        <a class="button button-secondary export-pdf" href={href('pdf')} download>
          {t('people.export.pdf')}
        </a>
      </div>
    </section>
  );
}

/** What a refused change shows: the changes missed (412) with the page read again, else the error. */
function Refusal({ error }) {
  const { t } = useI18n();
  const localities = useAsync(() => (error?.status === 412 ? loadLocalities() : null), [error]);
  if (!error) return null;
  if (error.status !== 412) return <ErrorMessage error={error} />;
  return (
    <div class="notice notice-warning stale-notice" role="alert">
      <p>{t('people.stale.title')}</p>
      <MissedChanges changes={error.problem?.changes || []} localities={localities.data} />
      <p>{t('people.stale.again')}</p>
    </div>
  );
}

/**
 * A confirmed change of the person's data rights: `open` shows the button that starts it, then
 * the form (its fields `children`), sent by `send()` which answers what `onDone` receives;
 * `check()` answers the fields found wrong before sending.
 */
function ConfirmedAction({ openLabel, heading, children, submitLabel, danger, check, send, onDone, onRefused, onCancel, headingId }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState(null);
  const formRef = useRef(null);
  const headingRef = useRef(null);
  useFocusOnRefusal(formRef, missing || error);
  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open]);

  async function submit(event) {
    event.preventDefault();
    setError(null);
    const wrong = check();
    setMissing(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      const answer = await send();
      setOpen(false);
      onDone(answer);
    } catch (failure) {
      setError(failure);
      if (failure.status === 412 || failure.status === 409) onRefused();
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setOpen(false);
    setError(null);
    setMissing(null);
    onCancel?.();
  }

  if (!open) {
    return (
      <>
        <Refusal error={error} />
        <button type="button" class={danger ? 'button button-danger' : 'button button-secondary'} onClick={() => setOpen(true)}>
          {openLabel}
        </button>
      </>
    );
  }
  return (
    <form class="form confirm rights-confirm" ref={formRef} noValidate onSubmit={submit}>
      <h3 id={headingId} tabIndex={-1} ref={headingRef}>
        {heading}
      </h3>
      {children}
      {missing && (
        <p class="notice notice-error" role="alert">
          {t('error.invalid')}
        </p>
      )}
      <Refusal error={error} />
      <div class="button-row">
        <button type="submit" class={danger ? 'button button-danger' : 'button button-primary'} disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button button-secondary" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function WithdrawConsent({ id, name, etag, onDone, onRefused }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const text = reason.normalize('NFC').trim();
  return (
    <section class="card" aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">{t('people.withdraw.title')}</h2>
      <p>{t('people.withdraw.intro')}</p>
      <ConfirmedAction
        openLabel={t('people.withdraw.open')}
        heading={t('people.withdraw.confirm', { name })}
        submitLabel={t('people.withdraw.do')}
        check={() => null}
        send={() => {
          setError(null);
          return api(`/participants/${id}/consent-withdrawal`, { method: 'POST', body: text ? { reason: text } : {}, ifMatch: etag }).catch((failure) => {
            setError(failure);
            throw failure;
          });
        }}
        onDone={onDone}
        onRefused={onRefused}
        onCancel={() => {
          setReason('');
          setError(null);
        }}
      >
        <Field label={t('people.withdraw.reason')} error={error?.fields?.reason ? t('people.withdraw.reasonInvalid') : undefined}>
          <textarea name="consent_reason" rows={2} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
      </ConfirmedAction>
    </section>
  );
}

function Erase({ id, name, etag, onDone, onRefused }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [wrong, setWrong] = useState({});
  const text = reason.normalize('NFC').trim();
  // Asked again after a change made meanwhile (412): the confirmation was of the record as it was.
  const refused = () => {
    setUnderstood(false);
    onRefused();
  };
  function check() {
    const found = {};
    if (text.length < 3 || text.length > 500) found.reason = t('people.erase.reasonMissing');
    if (!understood) found.understood = t('people.erase.understandMissing');
    setWrong(found);
    return Object.keys(found).length > 0 ? found : null;
  }
  return (
    <section class="card erase" aria-labelledby="erase-heading">
      <h2 id="erase-heading">{t('people.erase.title')}</h2>
      <p>{t('people.erase.intro')}</p>
      <ConfirmedAction
        openLabel={t('people.erase.open')}
        heading={t('people.erase.confirmTitle', { name })}
        headingId="erase-confirm-heading"
        submitLabel={t('people.erase.do')}
        danger
        check={check}
        send={() =>
          api(`/participants/${id}/erase`, { method: 'POST', body: { reason: text }, ifMatch: etag }).catch((failure) => {
            if (failure.fields?.reason) setWrong({ reason: t('people.erase.reasonMissing') });
            throw failure;
          })
        }
        onDone={onDone}
        onRefused={refused}
        onCancel={() => {
          setReason('');
          setUnderstood(false);
          setWrong({});
        }}
      >
        <ul class="erase-what">
          <li>{t('people.erase.whatName')}</li>
          <li>{t('people.erase.whatTotals')}</li>
          <li>{t('people.erase.whatCertificates')}</li>
          <li>{t('people.erase.whatAccount')}</li>
          <li>
            <strong>{t('people.erase.whatFinal')}</strong>
          </li>
        </ul>
        <Field label={t('people.erase.reason')} error={wrong.reason} required>
          <textarea name="erase_reason" rows={2} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <div class={wrong.understood ? 'field field-error' : 'field'}>
          <label class="check">
            <input
              type="checkbox"
              name="erase_understood"
              checked={understood}
              onChange={(e) => setUnderstood(e.currentTarget.checked)}
              aria-invalid={wrong.understood ? 'true' : undefined}
              aria-describedby={wrong.understood ? 'erase-understood-error' : undefined}
            />
            <span>{t('people.erase.understand', { name })}</span>
          </label>
          {wrong.understood && (
            <p class="error-text" id="erase-understood-error">
              {wrong.understood}
            </p>
          )}
        </div>
      </ConfirmedAction>
    </section>
  );
}

export default function PersonDataPage({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useAsync(() => Promise.all([versioned(`/participants/${id}/data-rights`), api(`/participants/${id}`)]), [id]);
  // What was just done, announced (and focused) above the page's facts.
  const [done, setDone] = useState(null);
  const doneRef = useRef(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  if (loaded.error && !loaded.data) {
    return (
      <Page title={t('people.rights.titleErased', { id })}>
        <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
      </Page>
    );
  }
  if (!loaded.data) return <Loading />;
  const [{ data: state, etag }, person] = loaded.data;
  const erased = Boolean(state.erased_at);
  const name = person.full_name;
  const title = erased ? t('people.rights.titleErased', { id }) : t('people.rights.title', { name });
  const changed = (what) => (answer) => {
    setDone({ what, answer });
    loaded.reload();
  };
  return (
    <Page title={title}>
      <p>
        <a href={`/app/people/${id}`}>{t('people.toPerson')}</a>
      </p>
      <div role="status" aria-live="polite">
        {done && (
          <div class="notice notice-success rights-done" tabIndex={-1} ref={doneRef} data-done={done.what}>
            {done.what === 'withdrawn' && <p>{t('people.withdraw.done')}</p>}
            {done.what === 'erased' && (
              <>
                <p>{t('people.erase.done')}</p>
                <p>{t('people.erase.outcome', { enrolments: i18n.number(done.answer.enrolments_kept), revoked: i18n.number(done.answer.certificates_revoked) })}</p>
                {done.answer.account_closed && <p>{t('people.erase.accountClosed')}</p>}
              </>
            )}
          </div>
        )}
      </div>
      {erased && <Notice kind="warning">{t('people.erasedNotice', { date: i18n.date(state.erased_at) })}</Notice>}
      <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
      <Recorded id={id} state={state} person={person} />
      <Export id={id} />
      {!erased && !state.merged_into && (
        <>
          {!state.consent_withdrawn_at && <WithdrawConsent id={id} name={name} etag={etag} onDone={changed('withdrawn')} onRefused={loaded.reload} />}
          <Erase id={id} name={name} etag={etag} onDone={changed('erased')} onRefused={loaded.reload} />
        </>
      )}
    </Page>
  );
}
