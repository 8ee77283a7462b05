// /app/cohorts/:id: one cohort for its trainer. Who is enrolled (names exactly as stored, each
// with a way to give a learner's access code), its sessions (each opening its attendance sheet)
// with a form to add one, and its certificates: who qualified and why not, issuing, the PDFs, all
// of them in one ZIP, revoking one with a reason and (administrators) issuing one with a waiver.
// An access code comes with a slip to print and hand over.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, languageCodes, languages, makeI18n, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, versioned } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync } from '../../ui/components.jsx';
import { courseTitle } from './data.js';
import { CohortNotFound, NeedsConnection, ReasonForm, useCohort, useConnection } from './parts.jsx';
import { Sessions } from './sessions.jsx';
import { useOutbox } from '../../offline/outbox.jsx';
import { marksWaitingFor } from '../../offline/queue.js';
import { useSession } from '../../session.jsx';
import './trainer.css';

addMessages(messages);

/**
 * The code on a slip the learner takes home, in the learner's language: the cohort's unless the
 * trainer picks another. Only the slip prints; what the trainer reads (how to hand the code over,
 * the language chooser, the buttons) stays in the trainer's language on the screen.
 */
function AccessCode({ code, language, onClose }) {
  const i18n = useI18n();
  const { t } = i18n;
  const box = useRef(null);
  const [slipLanguage, setSlipLanguage] = useState(languageCodes.includes(language) ? language : i18n.lang);
  const slip = makeI18n(slipLanguage);
  useEffect(() => box.current?.focus(), []);
  return (
    <div class="card access-code-card print-slip" role="status" tabIndex={-1} ref={box}>
      <div class="access-code-slip" lang={slipLanguage} data-language={slipLanguage}>
        <h3>{slip.t('trainer.code.for', { name: code.name })}</h3>
        <p class="access-code" lang="en" translate="no">
          {code.code}
        </p>
        <p>{slip.t('trainer.code.login', { login: code.login })}</p>
        <p>{slip.t('trainer.slip.validUntil', { date: slip.dateTime(code.expires_at) })}</p>
        <ol class="access-code-steps">
          <li>{slip.t('trainer.slip.open', { address: `${window.location.origin}/app/login` })}</li>
          <li>{slip.t('trainer.slip.enter')}</li>
          <li>{slip.t('trainer.slip.password')}</li>
        </ol>
      </div>
      <div class="no-print">
        <p>{t('trainer.code.readOut', { date: i18n.dateTime(code.expires_at) })}</p>
        <label class="access-code-language">
          {t('trainer.slip.language')}{' '}
          <select value={slipLanguage} onChange={(event) => setSlipLanguage(event.currentTarget.value)}>
            {languages.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <div class="button-row">
          <button type="button" class="button button-secondary" onClick={() => window.print()}>
            {t('trainer.slip.print')}
          </button>
          <button type="button" class="button button-primary" onClick={onClose}>
            {t('trainer.code.done')}
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * Withdraws an enrolment with a reason, or undoes it, on the version the enrolment was read at: a
 * change made meanwhile on another phone (412) is shown, and the trainer decides again on it.
 */
async function setWithdrawn(enrolment, reason) {
  const { etag } = await versioned(`/enrolments/${enrolment.id}`);
  return api(`/enrolments/${enrolment.id}`, {
    method: 'PATCH',
    body: { withdrawn: reason === null ? null : { reason } },
    ifMatch: etag,
  });
}

function Enrolments({ id, language, onChanged }) {
  const i18n = useI18n();
  const { t } = i18n;
  // An administrator opens a person's page (details, history, personal data) from their name.
  const admin = useSession().me?.role === 'admin';
  const { data, error, loading, reload } = useAsync(() => api(`/cohorts/${id}/enrolments`), [id]);
  const [withdrawing, setWithdrawing] = useState(null);
  const [withdrawError, setWithdrawError] = useState(null);
  const [code, setCode] = useState(null);
  const [busy, setBusy] = useState(null);
  const [codeError, setCodeError] = useState(null);
  const connection = useConnection();
  const offline = !connection.online;

  async function giveCode(enrolment) {
    setBusy(enrolment.id);
    setCodeError(null);
    try {
      const answer = await api(`/participants/${enrolment.participant_id}/access-code`, { method: 'POST', body: {} });
      setCode({ ...answer, enrolment_id: enrolment.id, name: enrolment.participant_name });
    } catch (failure) {
      setCodeError({ enrolment_id: enrolment.id, error: failure });
    } finally {
      setBusy(null);
    }
  }

  function closeCode(enrolmentId) {
    setCode(null);
    // Back to the button that opened it, so a keyboard user keeps their place in the list.
    setTimeout(() => document.getElementById(`access-code-${enrolmentId}`)?.focus(), 0);
  }

  async function withdraw(enrolment, reason) {
    setWithdrawError(null);
    try {
      await setWithdrawn(enrolment, reason);
      setWithdrawing(null);
      reload();
      onChanged?.();
    } catch (failure) {
      if (failure.status === 412 || failure.status === 409) {
        setWithdrawing(null);
        setWithdrawError({ enrolment_id: enrolment.id, error: failure });
        reload();
        return;
      }
      throw failure;
    }
  }

  const items = data ? [...data.items].sort((a, b) => a.participant_name.localeCompare(b.participant_name, i18n.locale)) : [];
  const active = items.filter((enrolment) => !enrolment.withdrawn);
  return (
    <section aria-labelledby="enrolments-heading">
      <h2 id="enrolments-heading">
        {t('trainer.cohort.enrolments')}
        {data && <span class="meta" data-testid="enrolled-count"> ({i18n.number(active.length)})</span>}
      </h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && items.length === 0 && <p>{t('trainer.cohort.noEnrolments')}</p>}
      {items.length > 0 && <NeedsConnection connection={connection} />}
      {items.length > 0 && (
        <ul class="list enrolment-list">
          {items.map((enrolment) => (
            <li key={enrolment.id} class={enrolment.withdrawn ? 'withdrawn' : undefined} data-enrolment={enrolment.id}>
              <div class="row-between">
                {admin ? (
                  <a class="person-name" href={`/app/people/${enrolment.participant_id}`}>
                    {enrolment.participant_name}
                  </a>
                ) : (
                  <span class="person-name">{enrolment.participant_name}</span>
                )}
                {enrolment.withdrawn ? (
                  <button
                    type="button"
                    class="button button-secondary button-small"
                    aria-label={`${t('trainer.withdraw.undo')}: ${enrolment.participant_name}`}
                    aria-describedby={offline ? connection.noteId : undefined}
                    disabled={offline}
                    onClick={() => withdraw(enrolment, null).catch((failure) => setWithdrawError({ enrolment_id: enrolment.id, error: failure }))}
                  >
                    {t('trainer.withdraw.undo')}
                  </button>
                ) : (
                  <button
                    type="button"
                    class="button button-secondary button-small"
                    aria-label={`${t('trainer.withdraw.action')}: ${enrolment.participant_name}`}
                    aria-describedby={offline ? connection.noteId : undefined}
                    disabled={offline}
                    onClick={() => setWithdrawing(enrolment.id)}
                  >
                    {t('trainer.withdraw.action')}
                  </button>
                )}
                <button
                  type="button"
                  id={`access-code-${enrolment.id}`}
                  class="button button-secondary button-small"
                  disabled={busy === enrolment.id}
                  aria-label={`${t('trainer.code.short')}: ${enrolment.participant_name}`}
                  onClick={() => giveCode(enrolment)}
                >
                  {t('trainer.code.short')}
                </button>
              </div>
              {codeError?.enrolment_id === enrolment.id &&
                (codeError.error.status === 409 ? (
                  <p class="notice notice-error" role="alert">
                    {t('trainer.code.hasPassword')}
                  </p>
                ) : (
                  <ErrorMessage error={codeError.error} />
                ))}
              {enrolment.withdrawn && (
                <p class="meta">{t('trainer.withdraw.was', { date: i18n.date(enrolment.withdrawn.at.slice(0, 10)), reason: enrolment.withdrawn.reason })}</p>
              )}
              {withdrawing === enrolment.id && !offline && (
                <ReasonForm
                  label={t('trainer.withdraw.confirm', { name: enrolment.participant_name })}
                  hint={t('trainer.withdraw.hint')}
                  submitLabel={t('trainer.withdraw.action')}
                  onSend={(reason) => withdraw(enrolment, reason)}
                  onCancel={() => setWithdrawing(null)}
                />
              )}
              {withdrawError?.enrolment_id === enrolment.id &&
                (withdrawError.error.status === 412 ? (
                  <p class="notice notice-error" role="alert">{t('trainer.withdraw.stale')}</p>
                ) : withdrawError.error.status === 409 ? (
                  <p class="notice notice-error" role="alert">{t('trainer.withdraw.refused', { detail: withdrawError.error.message })}</p>
                ) : (
                  <ErrorMessage error={withdrawError.error} />
                ))}
              {code?.enrolment_id === enrolment.id && <AccessCode code={code} language={language} onClose={() => closeCode(enrolment.id)} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function reasonText(i18n, item) {
  const params = {
    attended: i18n.number(item.attended),
    total: i18n.number(item.sessions_total),
    required: i18n.number(item.required),
  };
  return item.completed ? i18n.t('trainer.cert.attended', params) : i18n.t('trainer.cert.needs', params);
}

function Certificates({ id }) {
  const { me } = useSession();
  const admin = me?.role === 'admin';
  const [revoking, setRevoking] = useState(null);
  const [waiving, setWaiving] = useState(null);
  const [done, setDone] = useState(null);
  const i18n = useI18n();
  const { t } = i18n;
  const eligibility = useAsync(() => api(`/cohorts/${id}/eligibility`), [id]);
  const certificates = useAsync(() => api(`/cohorts/${id}/certificates`), [id]);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState(null);
  const [issueError, setIssueError] = useState(null);
  // Marks made on this device and not yet sent may change who qualified: no certificate until
  // the server has them, and then who qualified is read again.
  const outbox = useOutbox();
  const held = outbox ? marksWaitingFor(outbox.summary, id) : 0;
  const wasHeld = useRef(held);
  useEffect(() => {
    if (wasHeld.current > 0 && held === 0) {
      eligibility.reload();
      certificates.reload();
    }
    wasHeld.current = held;
  }, [held]);

  async function issue() {
    setIssuing(true);
    setIssueError(null);
    setIssued(null);
    try {
      setIssued(await api(`/cohorts/${id}/certificates`, { method: 'POST', body: {} }));
      eligibility.reload();
      certificates.reload();
    } catch (failure) {
      setIssueError(failure);
    } finally {
      setIssuing(false);
    }
  }

  async function revoke(certificate, reason) {
    await api(`/certificates/${certificate.id}/revoke`, { method: 'POST', body: { reason } });
    setRevoking(null);
    setDone(i18n.t('trainer.cert.revokedDone', { name: certificate.full_name, serial: certificate.serial }));
    eligibility.reload();
    certificates.reload();
  }

  async function waive(row, reason) {
    const certificate = await api(`/enrolments/${row.enrolment_id}/certificate`, { method: 'POST', body: { waiver_reason: reason } });
    setWaiving(null);
    setDone(i18n.t('trainer.cert.waivedDone', { name: row.participant_name, serial: certificate.serial }));
    eligibility.reload();
    certificates.reload();
  }

  const rows = eligibility.data ? [...eligibility.data.items].sort((a, b) => a.participant_name.localeCompare(b.participant_name, i18n.locale)) : [];
  const met = rows.filter((row) => row.completed);
  const notMet = rows.filter((row) => !row.completed);
  return (
    <section class="cert-section" aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">{t('trainer.cert.title')}</h2>
      <h3>{t('trainer.cert.eligibility')}</h3>
      {held > 0 && (
        <Notice kind="warning">
          <p id="cert-held">{i18n.tp('trainer.cert.held', held)}</p>
        </Notice>
      )}
      {eligibility.loading && !eligibility.data && <Loading />}
      <ErrorMessage error={eligibility.error} onRetry={eligibility.reload} />
      {eligibility.data && (
        <ul class="list eligibility">
          {[...met, ...notMet].map((row) => (
            <li key={row.enrolment_id}>
              <span class="person-name">{row.participant_name}</span>{' '}
              {row.completed ? (
                <span class="badge badge-ok">✓ {t('trainer.cert.met')}</span>
              ) : (
                <span class="badge badge-bad">✗ {t('trainer.cert.notMet')}</span>
              )}
              <br />
              <span class="meta">
                {reasonText(i18n, row)}
                {row.certificate_id ? ` · ${t('trainer.cert.has')}` : ''}
              </span>
              {admin && !row.completed && !row.certificate_id && waiving !== row.enrolment_id && (
                <>
                  <br />
                  <button
                    type="button"
                    class="button button-secondary button-small waive-button"
                    aria-label={`${t('trainer.cert.waive')}: ${row.participant_name}`}
                    onClick={() => setWaiving(row.enrolment_id)}
                  >
                    {t('trainer.cert.waive')}
                  </button>
                </>
              )}
              {waiving === row.enrolment_id && (
                <ReasonForm
                  label={t('trainer.cert.waiverReason')}
                  hint={t('trainer.cert.waiverHint')}
                  submitLabel={t('trainer.cert.waiveSubmit')}
                  onSend={(reason) => waive(row, reason)}
                  onCancel={() => setWaiving(null)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{t('trainer.cert.issueHint')}</p>
      <p>
        <button type="button" class="button button-primary cert-issue" onClick={issue} disabled={issuing || held > 0} aria-describedby={held > 0 ? 'cert-held' : undefined}>
          {t('trainer.cert.issue')}
        </button>
      </p>
      <div aria-live="polite">
        {issued && (
          <div class="notice notice-success issue-result">
            <p>
              {i18n.tp('trainer.cert.issued', issued.issued.length)}. {i18n.tp('trainer.cert.already', issued.already.length)}.{' '}
              {i18n.tp('trainer.cert.notEligible', issued.not_eligible.length)}.
            </p>
            {issued.not_eligible.length > 0 && (
              <ul>
                {issued.not_eligible.map((row) => (
                  <li key={row.enrolment_id}>
                    <span class="person-name">{row.participant_name}</span>: {reasonText(i18n, { ...row, completed: false })}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <ErrorMessage error={issueError} />
      <div aria-live="polite">{done && <Notice kind="success">{done}</Notice>}</div>
      <h3>{t('trainer.cert.list')}</h3>
      {certificates.data && certificates.data.items.length > 0 && (
        <p>
          <a class="button button-secondary zip-link" href={`/api/v1/cohorts/${id}/certificates.zip`} download="">
            {t('trainer.cert.zip')}
          </a>
        </p>
      )}
      {certificates.loading && !certificates.data && <Loading />}
      <ErrorMessage error={certificates.error} onRetry={certificates.reload} />
      {certificates.data && certificates.data.items.length === 0 && <p>{t('trainer.cert.none')}</p>}
      {certificates.data && certificates.data.items.length > 0 && (
        <ul class="list certificate-list">
          {certificates.data.items.map((certificate) => (
            <li key={certificate.id}>
              <span class="person-name">{certificate.full_name}</span>{' '}
              <span class={certificate.status === 'valid' ? 'badge badge-ok' : 'badge badge-bad'}>
                {certificate.status === 'valid' ? `✓ ${t('trainer.cert.valid')}` : `✗ ${t('trainer.cert.revoked')}`}
              </span>
              <br />
              <span class="meta">
                {certificate.serial} · {i18n.date(certificate.issued_at)}
              </span>
              <br />
              <a
                class="button button-secondary button-small"
                href={`/api/v1/certificates/${certificate.id}/pdf`}
                download={`${certificate.serial}.pdf`}
                aria-label={`${t('trainer.cert.pdf')}: ${certificate.full_name}, ${certificate.serial}`}
              >
                {t('trainer.cert.pdf')}
              </a>
              {certificate.status === 'valid' && revoking !== certificate.id && (
                <>
                  {' '}
                  <button
                    type="button"
                    class="button button-secondary button-small revoke-button"
                    aria-label={`${t('trainer.cert.revoke')}: ${certificate.full_name}, ${certificate.serial}`}
                    onClick={() => setRevoking(certificate.id)}
                  >
                    {t('trainer.cert.revoke')}
                  </button>
                </>
              )}
              {certificate.status !== 'valid' && certificate.revoked_reason && (
                <p class="meta">{t('trainer.cert.revokedReason', { reason: certificate.revoked_reason })}</p>
              )}
              {revoking === certificate.id && (
                <ReasonForm
                  label={t('trainer.cert.revokeReason')}
                  hint={t('trainer.cert.revokeHint')}
                  submitLabel={t('trainer.cert.revokeSubmit')}
                  onSend={(reason) => revoke(certificate, reason)}
                  onCancel={() => setRevoking(null)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function CohortPage({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useCohort(id);
  const { me } = useSession();
  // Raised by a withdrawal or a correction of a session: who qualifies is read again.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  if (error) return <CohortNotFound error={error} onRetry={reload} />;
  if (loading || !data) return <Loading />;
  const [cohort, courses] = data;
  return (
    <Page title={courseTitle(i18n, courses, cohort)}>
      <p>
        <a href="/app/cohorts">{t('trainer.cohort.back')}</a>
      </p>
      <p class="lead">
        {cohort.place}
        <br />
        {t('trainer.cohorts.dates', { from: i18n.date(cohort.starts_on), to: i18n.date(cohort.ends_on) })} ·{' '}
        {t('trainer.cohorts.language', { language: t(`trainer.lang.${cohort.language}`) })}
      </p>
      <div class="button-row">
        <a class="button button-primary" href={`/app/cohorts/${cohort.id}/register`}>
          {t('trainer.cohort.register')}
        </a>
        <a class="button button-secondary" href={`/app/cohorts/${cohort.id}/import`}>
          {t('trainer.cohort.import')}
        </a>
        {me?.role === 'admin' && (
          <a class="button button-secondary cohort-history" href={`/app/cohorts/${cohort.id}/history`}>
            {t('trainer.cohort.history')}
          </a>
        )}
      </div>
      <Sessions id={cohort.id} cohort={cohort} onChanged={changed} />
      <Enrolments id={cohort.id} language={cohort.language} onChanged={changed} />
      <Certificates key={changes} id={cohort.id} />
    </Page>
  );
}
