// /app/people/:id/edit: an administrator corrects a person's details, every field of the
// registration form but the consent (withdrawn on the personal data page, data.jsx). The edit is
// a JSON merge patch of the fields changed, on the version read (If-Match). When someone changed
// the record meanwhile (412), the changes missed are listed and the form is re-based on the record
// as it is now: a field the administrator did not touch takes its new value, a field they did
// keeps what they typed (and says so when both changed it); saving again sends it on the new
// version. Field problems (422) show next to their fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, versioned } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import { fieldErrors, loadLocalities } from '../trainer/data.js';
import { PersonFields, missingPersonFields, personBody, personFieldNames, personForm } from '../trainer/person_fields.jsx';
import { MissedChanges, fieldLabel, fieldValueText } from './parts.jsx';
import './people.css';

addMessages(messages);

/** The fields a correction may change: all but the consent. */
const editable = personFieldNames.filter((name) => name !== 'consent');

const sent = (form, name) => JSON.stringify(personBody(form)[name]);

/** The merge patch from `before` (the record as read, in form values) to `form`. */
function patchOf(before, form) {
  const patch = {};
  const body = personBody(form);
  for (const name of editable) {
    if (sent(before, name) !== sent(form, name)) patch[name] = body[name];
  }
  return patch;
}

/**
 * The form re-based on the record as it is now (`now`, after a 412) from the one it was read as
 * (`then`): untouched fields take the new values; `both` lists the fields changed on each side
 * to different values.
 */
function rebase(then, now, form) {
  const next = { ...form };
  const both = [];
  for (const name of editable) {
    const mine = sent(then, name) !== sent(form, name);
    const theirs = sent(then, name) !== sent(now, name);
    if (!mine) next[name] = now[name];
    else if (theirs && sent(now, name) !== sent(form, name)) both.push(name);
  }
  return { form: next, both };
}

function EditForm({ id, initial, localities, onSaved }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [base, setBase] = useState(initial);
  const [form, setForm] = useState(() => personForm(initial.person));
  const [missing, setMissing] = useState({});
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(null);
  const [status, setStatus] = useState(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef(null);
  const staleRef = useRef(null);
  const statusRef = useRef(null);
  useFocusOnRefusal(formRef, Object.keys(missing).length > 0 ? missing : error);
  useEffect(() => {
    if (stale) staleRef.current?.focus();
  }, [stale]);
  useEffect(() => {
    if (status) statusRef.current?.focus();
  }, [status]);

  async function save(event) {
    event.preventDefault();
    setError(null);
    setStatus(null);
    const blank = missingPersonFields(t, form, { consent: false });
    setMissing(blank);
    if (Object.keys(blank).length > 0) return;
    const patch = patchOf(personForm(base.person), form);
    if (Object.keys(patch).length === 0) {
      setStale(null);
      setStatus({ key: 'people.edit.unchanged' });
      return;
    }
    setBusy(true);
    try {
      const saved = await versioned(`/participants/${id}`, { method: 'PATCH', body: patch, ifMatch: base.etag });
      setBase({ person: saved.data, etag: saved.etag });
      setForm(personForm(saved.data));
      setStale(null);
      setStatus({ key: 'people.edit.saved' });
      onSaved(saved.data);
    } catch (failure) {
      if (failure.status === 412 && failure.problem?.current) {
        const now = failure.problem.current;
        const rebased = rebase(personForm(base.person), personForm(now), form);
        setBase({ person: now, etag: failure.problem.current_etag });
        setForm(rebased.form);
        setStale({ changes: failure.problem.changes || [], both: rebased.both.map((name) => ({ name, now: personBody(personForm(now))[name], yours: personBody(form)[name] })) });
        onSaved(now);
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  }

  const fields = { ...fieldErrors(t, error), ...missing };
  // Problems of fields this form does not show (the consent, or one the server adds).
  const loose = Object.entries(fields).filter(([name]) => !editable.includes(name));
  return (
    <form class="form person-edit" ref={formRef} noValidate onSubmit={save}>
      {stale && (
        <div class="notice notice-warning stale-notice" role="alert" tabIndex={-1} ref={staleRef}>
          <p>{t('people.stale.title')}</p>
          <MissedChanges changes={stale.changes} localities={localities} />
          {stale.both.map((field) => (
            <p key={field.name} class="stale-both" data-field={field.name}>
              {t('people.stale.both', {
                field: fieldLabel(t, field.name),
                now: fieldValueText(i18n, field.name, field.now, localities),
                yours: fieldValueText(i18n, field.name, field.yours, localities),
              })}
            </p>
          ))}
          <p>{t('people.stale.rebased')}</p>
        </div>
      )}
      <PersonFields form={form} setForm={setForm} fields={fields} disabled={busy} localities={localities} consent={false} />
      <p class="meta">{t('people.edit.consentGiven')}</p>
      {Object.keys(missing).length > 0 && (
        <p class="notice notice-error" role="alert">
          {t('error.invalid')}
        </p>
      )}
      {error && (
        <div>
          <ErrorMessage error={error} />
          {loose.length > 0 && (
            <ul class="loose-errors">
              {loose.map(([name, message]) => (
                <li key={name}>
                  {fieldLabel(t, name)}: {message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div role="status" aria-live="polite">
        {status && (
          <p class="notice notice-success edit-status" tabIndex={-1} ref={statusRef}>
            {t(status.key)} <a href={`/app/people/${id}`}>{t('people.open')}</a>
          </p>
        )}
      </div>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? t('people.edit.saving') : t('common.save')}
      </button>
    </form>
  );
}

export default function EditPersonPage({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const loaded = useAsync(() => Promise.all([versioned(`/participants/${id}`), api(`/participants/${id}/data-rights`), loadLocalities()]), [id]);
  const [name, setName] = useState(null);
  if (loaded.error) {
    return (
      <Page title={t('people.data')}>
        <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
      </Page>
    );
  }
  if (!loaded.data) return <Loading />;
  const [{ data: person, etag }, rights, localities] = loaded.data;
  let body;
  if (rights.erased_at) {
    body = <Notice kind="warning">{t('people.edit.erased', { date: i18n.date(rights.erased_at) })}</Notice>;
  } else if (person.merged_into) {
    body = (
      <Notice>
        <a href={`/app/people/${person.merged_into}/edit`}>{t('people.merged', { id: person.merged_into })}</a>
      </Notice>
    );
  } else if (!person.consent) {
    // The service refuses any correction of a person without consent (422 on consent).
    body = (
      <Notice kind="warning">
        <p>{t('people.edit.consentWithdrawn', { date: i18n.date(rights.consent_withdrawn_at) })}</p>
        <p>
          <a href={`/app/people/${id}/data`}>{t('people.rights.link')}</a>
        </p>
      </Notice>
    );
  } else {
    body = <EditForm id={id} initial={{ person, etag }} localities={localities} onSaved={(saved) => setName(saved.full_name)} />;
  }
  return (
    <Page title={t('people.edit.title', { name: name ?? person.full_name })}>
      <p>
        <a href={`/app/people/${id}`}>{t('people.toPerson')}</a>
      </p>
      {body}
    </Page>
  );
}
