// /app/cohorts/:id/register: register one person and enrol them in the cohort, on a phone in a
// village hall. A likely duplicate is shown as a question about each candidate ("Әлия Қасымова,
// 1990, Нұра кенті — same person?"): yes enrols that person (same_person), no registers a new one
// (not_duplicate). The enrolment carries an Idempotency-Key kept until it succeeds, so pressing
// "try again" after a lost answer never enrols twice; a person already registered is not
// registered again when only the enrolment failed. Above the form, a search finds someone already
// registered and enrols them (find.jsx). Without a connection the registration waits in the
// device's queue (offline/queue.js), sent from whatever page is open; a queued one the server
// answers with a duplicate question (or refuses) is listed above the form until the trainer
// answers it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, useFocusOnRefusal } from '../../ui/components.jsx';
import { fieldErrors, newIdempotencyKey } from './data.js';
import { PersonFields, emptyPerson, missingPersonFields, personBody } from './person_fields.jsx';
import { CohortTaskPage, candidateQuestion, confirmationOf } from './parts.jsx';
import { FindPerson } from './find.jsx';
import { useSession } from '../../session.jsx';
import { deviceStorage, useOutbox } from '../../offline/outbox.jsx';
import { answerRegistration, dropRegistration, isTransient, queueRegistration, queuedRegistrations } from '../../offline/queue.js';
import './trainer.css';

addMessages(messages);

/** A failure because the device has no connection (a lost answer on a working one keeps the
 * form's own "try again"). */
const offlineNow = (failure) => isTransient(failure) && navigator.onLine === false;

function RegisterForm({ cohortId, localities }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState(emptyPerson);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState({});
  const [candidates, setCandidates] = useState(null);
  // Registered but not yet enrolled (the enrolment failed): retrying enrols this person.
  const [pending, setPending] = useState(null);
  const [done, setDone] = useState(null);
  const enrolKey = useRef(null);
  const focusTarget = useRef(null);
  const nameInput = useRef(null);
  const formRef = useRef(null);
  // The fields found blank here, else the server's refusal (a duplicate is a question, not one).
  useFocusOnRefusal(formRef, Object.keys(missing).length > 0 ? missing : error);

  useEffect(() => {
    focusTarget.current?.focus();
  }, [candidates, done]);

  const session = useSession();
  // Kept on the device to be sent later; shown as done, with the words that say it waits.
  function queue(entry) {
    const item = queueRegistration(deviceStorage(), session.me?.id, { cohort_id: cohortId, enrol_key: enrolKey.current || newIdempotencyKey(), ...entry });
    if (!item) return false;
    enrolKey.current = null;
    setPending(null);
    setCandidates(null);
    setDone({ name: item.name, queued: true });
    return true;
  }

  async function enrol(person) {
    if (!enrolKey.current) enrolKey.current = newIdempotencyKey();
    try {
      const response = await api(`/cohorts/${cohortId}/enrolments`, {
        method: 'POST',
        body: { participant_id: person.id },
        headers: { 'Idempotency-Key': enrolKey.current },
        raw: true,
      });
      enrolKey.current = null;
      setPending(null);
      setDone({ name: person.full_name, created: response.status === 201 });
    } catch (failure) {
      // The connection is gone, not just one answer: the enrolment waits in the queue, same key.
      if (offlineNow(failure) && queue({ body: { full_name: person.full_name }, participant: { id: person.id, full_name: person.full_name } })) return;
      setPending(person);
      setError(failure);
    }
  }

  async function register(extra = {}) {
    setError(null);
    if (!pending) {
      const blank = missingPersonFields(t, form);
      setMissing(blank);
      if (Object.keys(blank).length > 0) return;
    }
    setBusy(true);
    try {
      if (pending) {
        await enrol(pending);
        return;
      }
      const body = { ...personBody(form), ...extra };
      if (navigator.onLine === false && queue({ body })) return;
      let person;
      try {
        person = await api('/participants', { method: 'POST', body });
      } catch (failure) {
        if (failure.status === 409 && failure.type === 'duplicate-participant') {
          setCandidates(failure.problem.candidates || []);
          return;
        }
        // The connection went while the answer was on its way: the person may be registered
        // already (the queue knows).
        if (offlineNow(failure) && queue({ body, uncertain: true })) return;
        setError(failure);
        return;
      }
      setCandidates(null);
      await enrol(person);
    } finally {
      setBusy(false);
    }
  }

  function another() {
    // The next person in the same hall most likely lives in the same place.
    setForm({ ...emptyPerson, locality_id: form.locality_id });
    setMissing({});
    setDone(null);
    setError(null);
    setCandidates(null);
    setPending(null);
    enrolKey.current = null;
    setTimeout(() => nameInput.current?.focus(), 0);
  }

  if (done) {
    return (
      <div class="notice notice-success" role="status" tabIndex={-1} ref={focusTarget}>
        <p class="register-done">
          {t(done.queued ? 'trainer.register.queued' : done.created ? 'trainer.register.done' : 'trainer.register.already', { name: done.name })}
        </p>
        <div class="button-row">
          <button type="button" class="button button-primary" onClick={another}>
            {t('trainer.register.another')}
          </button>
          <a class="button button-secondary" href={`/app/cohorts/${cohortId}`}>
            {t('trainer.cohort.backToCohort')}
          </a>
        </div>
      </div>
    );
  }

  const fields = { ...fieldErrors(t, error), ...missing };
  const anyMissing = Object.keys(missing).length > 0;
  const locked = busy || Boolean(candidates) || Boolean(pending);
  return (
    <form
      class="form"
      ref={formRef}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        register();
      }}
    >
      <PersonFields form={form} setForm={setForm} fields={fields} disabled={locked} localities={localities} nameRef={nameInput} />

      {candidates && (
        <div class="notice notice-warning duplicate-warning" role="alert">
          <h2 tabIndex={-1} ref={focusTarget}>
            {t('trainer.dup.title')}
          </h2>
          {candidates.map((candidate) => (
            <div class="candidate" key={confirmationOf(candidate)}>
              <p class="candidate-question">{candidateQuestion(i18n, localities, candidate)}</p>
              <div class="button-row">
                <button type="button" class="button button-primary" disabled={busy} onClick={() => register({ same_person: confirmationOf(candidate) })}>
                  {t('trainer.dup.yes')}
                </button>
              </div>
            </div>
          ))}
          <div class="button-row">
            <button type="button" class="button button-secondary" disabled={busy} onClick={() => register({ not_duplicate: true })}>
              {t('trainer.dup.no')}
            </button>
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => setCandidates(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}

      {pending && <p class="notice notice-warning">{t('trainer.register.enrolFailed', { name: pending.full_name })}</p>}
      {anyMissing && (
        <p class="notice notice-error" role="alert">
          {t('error.invalid')}
        </p>
      )}
      <ErrorMessage error={error} />
      {!candidates && (
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('trainer.register.saving') : pending ? t('common.retry') : t('trainer.register.submit')}
        </button>
      )}
    </form>
  );
}

/** The registrations of this cohort waiting on the device: each waiting one named, each the
 * server asked about (a likely duplicate) with the same question as the form, each it refused with
 * its reason and a way to take it off the list. */
function Queued({ cohortId, localities }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const outbox = useOutbox();
  const storage = deviceStorage();
  const accountId = session.me?.id;
  // Read on every render: the outbox context changes with the queue.
  const items = queuedRegistrations(storage, accountId).filter((item) => item.cohort_id === Number(cohortId));
  if (items.length === 0) return null;
  const answer = (item, reply) => {
    answerRegistration(storage, accountId, item.id, reply);
    outbox?.sendNow();
  };
  return (
    <section class="card queued-registrations" aria-labelledby="queued-heading">
      <h2 id="queued-heading">{t('trainer.queue.title')}</h2>
      <ul class="list">
        {items.map((item) => (
          <li key={item.id} data-state={item.state}>
            <span class="person-name">{item.name}</span>
            {item.state === 'waiting' && <span class="meta"> — {t('trainer.queue.waiting')}</span>}
            {item.state === 'duplicate' && (
              <div class="notice notice-warning duplicate-warning" role="alert">
                <p>{t('trainer.dup.title')}</p>
                {item.candidates.map((candidate) => (
                  <div class="candidate" key={confirmationOf(candidate)}>
                    <p class="candidate-question">{candidateQuestion(i18n, localities, candidate)}</p>
                    <button type="button" class="button button-primary" onClick={() => answer(item, { same_person: confirmationOf(candidate) })}>
                      {t('trainer.dup.yes')}
                    </button>
                  </div>
                ))}
                <div class="button-row">
                  <button type="button" class="button button-secondary" onClick={() => answer(item, { not_duplicate: true })}>
                    {t('trainer.dup.no')}
                  </button>
                </div>
              </div>
            )}
            {item.state === 'rejected' && (
              <div class="notice notice-error" role="alert">
                <p>
                  {t('trainer.queue.rejected')} {item.problem?.detail || item.problem?.title || `HTTP ${item.problem?.status ?? ''}`}
                </p>
                <button type="button" class="button button-secondary" onClick={() => dropRegistration(storage, accountId, item.id)}>
                  {t('trainer.queue.drop')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function RegisterPage({ id }) {
  const { t } = useI18n();
  return (
    <CohortTaskPage
      id={id}
      title={t('trainer.register.title')}
      form={(cohortId, localities) => (
        <>
          <Queued cohortId={cohortId} localities={localities} />
          <FindPerson cohortId={cohortId} localities={localities} />
          <RegisterForm cohortId={cohortId} localities={localities} />
        </>
      )}
    />
  );
}
