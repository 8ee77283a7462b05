// What the management pages share: the page frame with its way back to the hub, form state with
// the server's field errors (shown next to their fields, in the reader's language where the
// server's words are known), the announcement of a success, and the locality tree as one list.
import { useRef, useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { trackName as serviceTrackName } from '../../tracks.js';
import { addMessages, useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Page, useFocusOnRefusal } from '../../ui/components.jsx';
import messages from './messages.js';
import './manage.css';

addMessages(messages);

/** What the user typed, as it is sent: NFC, without surrounding spaces. Never changed otherwise. */
export const clean = (text) => String(text ?? '').normalize('NFC').trim();

/** A number field's value for JSON: empty stays absent (the server says it is required). */
export const numberOrNull = (text) => (String(text ?? '').trim() === '' ? null : Number(String(text).replace(',', '.')));

export const localityKinds = ['region', 'district', 'settlement', 'rural_district', 'village'];
const kindRank = { region: 0, district: 1, settlement: 2, rural_district: 2, village: 3 };

/** The kinds that may lie inside a locality of `parentKind` (any kind at the top). */
export function childKinds(parentKind) {
  if (!parentKind) return localityKinds;
  return localityKinds.filter((kind) => kindRank[kind] > kindRank[parentKind]);
}

/** A track's name in the reader's language (tracks.js trackName; `label` a course's
 * track_label), no track the whole programme. */
export function trackName(i18n, tracks, track, label = null) {
  if (!track) return i18n.t('manage.track.all');
  return serviceTrackName(i18n, tracks, track, label);
}

// The server's field messages (docs/API.md: English) that the reader gets in their own language.
const serverMessages = {
  'is required': 'manage.err.required',
  'must not be empty': 'manage.err.required',
  'must not be null': 'manage.err.required',
  'must be exactly 9 digits': 'manage.err.kato',
  'must be 10 to 256 characters long': 'manage.err.password',
  'is taken by another account': 'manage.err.loginTaken',
  "must be 2-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit": 'manage.err.login',
  'must be a calendar date written YYYY-MM-DD': 'manage.err.date',
  'must not be before starts_on': 'manage.err.endsBeforeStart',
  'does not name an active trainer account': 'manage.err.trainer',
  'must be more than 0 and at most 1000': 'manage.err.hours',
  'must be 2 to 20 characters: capital Latin letters, digits and hyphens': 'manage.err.code',
  'must be 1 to 40 characters: lowercase Latin letters and underscores': 'manage.err.track',
  'must be from 1 to 1000000000': 'manage.err.targetValue',
  'repeats the measure and track of an earlier target': 'manage.err.targetRepeated',
  'must be between 0 and 100': 'manage.err.percent',
  'must name a locality': 'manage.err.locality',
  'does not name a known locality': 'manage.err.locality',
  'does not name a known course': 'manage.err.course',
  'cannot be set on your own account': 'manage.err.disableSelf',
  'must run from an age of at least 1 to one of at most 120, from not above to': 'manage.err.youth',
  'lies inside this locality: it cannot move there': 'manage.err.insideItself',
  'must list at most 8 organisations': 'manage.err.organisations',
};

/** A server field message in the reader's language when known, else as the server wrote it. */
export function serverText(t, message) {
  const key = serverMessages[message];
  return key ? t(key) : message;
}

const claims = (field, name) => field === name || field.startsWith(`${name}[`);

/** The message for field `name` (or an item of it, `name[0]`) in a failed request, if any. */
export function fieldError(t, error, name) {
  for (const [field, message] of Object.entries(error?.fields || {})) {
    if (claims(field, name)) return serverText(t, message);
  }
  return undefined;
}

/**
 * A form's state: values by name, bind(name) for text inputs and selects, bindCheck(name) for
 * checkboxes, the failed request (error) and err(name) for one field's message, busy, the
 * success (status) and run(work, resetTo): runs `work(values)`, announces what it answers (a
 * function of the i18n, so the announcement follows a change of language), resets the values
 * when asked and, on failure, moves focus to the first wrong field.
 */
export function useForm(initial) {
  const { t } = useI18n();
  const [values, setValues] = useState(initial);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const ref = useRef(null);
  useFocusOnRefusal(ref, error);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  return {
    ref,
    values,
    setValues,
    set,
    bind: (name) => ({ name, value: values[name] ?? '', onInput: (e) => set(name, e.currentTarget.value) }),
    bindCheck: (name) => ({ name, type: 'checkbox', checked: !!values[name], onChange: (e) => set(name, e.currentTarget.checked) }),
    error,
    setError,
    err: (name) => fieldError(t, error, name),
    busy,
    status,
    setStatus,
    async run(work, resetTo) {
      setBusy(true);
      setError(null);
      setStatus('');
      try {
        const text = await work(values);
        if (resetTo) setValues(resetTo);
        setStatus(() => text || ((i18n) => i18n.t('common.saved')));
        return true;
      } catch (failure) {
        setError(failure);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

/**
 * Under a form: the failed request in words, with the field messages that belong to no field
 * on the form (`fields` lists the names it shows), and the announcement of a success.
 */
export function FormOutcome({ form, fields = [] }) {
  const { t } = useI18n();
  const shown = (field, name) => claims(field, name) || field.startsWith(`${name}.`);
  const loose = Object.entries(form.error?.fields || {}).filter(([field]) => !fields.some((name) => shown(field, name)));
  return (
    <>
      {form.error && (
        <div class="notice notice-error" role="alert">
          <p>{Object.keys(form.error.fields || {}).length > 0 ? t('error.invalid') : <ErrorText error={form.error} />}</p>
          {loose.length > 0 && (
            <ul>
              {loose.map(([field, message]) => (
                <li>
                  <code>{field}</code>: {serverText(t, message)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <StatusLine text={form.status} />
    </>
  );
}

function ErrorText({ error }) {
  // ErrorMessage's words without its frame (this notice is the frame).
  const { t } = useI18n();
  if (error.status === 409 && error.problem?.detail) return error.problem.detail;
  if (error.offline) return t('error.offline');
  if (error.status === 403) return t('error.forbidden');
  if (error.status === 404) return t('error.notFound');
  if (error.status === 400) return t('manage.err.badRequest');
  return t('error.generic');
}

/**
 * A live region that is always there, so a success written into it is announced. `text` is a
 * function of the i18n (or a plain text), rendered in the language of the moment.
 */
export function StatusLine({ text }) {
  const i18n = useI18n();
  return (
    <div class={text ? 'notice notice-success' : 'manage-status-empty'} role="status" aria-live="polite">
      {typeof text === 'function' ? text(i18n) : text}
    </div>
  );
}

/** A management page: the way back to the hub above its title. */
export function ManagePage({ title, children, parent }) {
  const { t } = useI18n();
  return (
    <Page title={title} wide>
      <nav class="manage-crumbs" aria-label={t('manage.crumbs')}>
        <a href="/app/manage">
          <span aria-hidden="true">← </span>
          {t('manage.hub.title')}
        </a>
        {parent && (
          <>
            <span aria-hidden="true"> › </span>
            <a href={parent.href}>{parent.title}</a>
          </>
        )}
      </nav>
      {children}
    </Page>
  );
}

/**
 * A button that brings the form headed `headingId` into view and moves focus to its heading: on
 * a phone the form comes after a long list.
 */
export function JumpToForm({ headingId, children }) {
  function jump() {
    const heading = document.getElementById(headingId);
    if (!heading) return;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }
  return (
    <p class="manage-jump">
      <button type="button" class="button button-secondary" onClick={jump}>
        {children} ↓
      </button>
    </p>
  );
}

/** The three fields of a {kk, ru, en} text, grouped under `legend`; names `${name}.kk` etc. */
export function LocalizedFields({ form, name, legend, required = true }) {
  const { t } = useI18n();
  return (
    <fieldset class="manage-localized">
      <legend>
        {legend}
        {required && <span class="required"> ({t('common.required')})</span>}
      </legend>
      {['kk', 'ru', 'en'].map((lang) => (
        <LocalizedInput form={form} name={`${name}.${lang}`} lang={lang} required={required} />
      ))}
    </fieldset>
  );
}

let localizedCounter = 0;

function LocalizedInput({ form, name, lang, required }) {
  const { t } = useI18n();
  const error = form.err(name);
  // Unique on the page: an edit form may stand beside the create form of the same fields.
  const [id] = useState(() => `${name.replace(/\W/g, '-')}-input-${++localizedCounter}`);
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{t(`manage.lang.${lang}`)}</label>
      <input
        id={id}
        lang={lang}
        {...form.bind(name)}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p class="error-text" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Every locality, read level by level (`GET /localities?parent=`): {list (depth-first, each with
 * its depth), byId, children (parent id or 'root' → items)}.
 */
export async function loadLocalityTree() {
  const byId = new Map();
  const children = new Map();
  let level = [null];
  for (let depth = 0; level.length > 0 && depth < 6; depth += 1) {
    const answers = await Promise.all(level.map((parent) => api(`/localities${query({ parent })}`)));
    const next = [];
    level.forEach((parent, i) => {
      children.set(parent ?? 'root', answers[i].items);
      for (const locality of answers[i].items) {
        byId.set(locality.id, locality);
        if (locality.kind !== 'village') next.push(locality.id);
      }
    });
    level = next;
  }
  const list = [];
  const walk = (key, depth) => {
    for (const locality of children.get(key) || []) {
      list.push({ ...locality, depth });
      walk(locality.id, depth + 1);
    }
  };
  walk('root', 0);
  return { list, byId, children };
}

/** The options of a locality <select>, indented by depth, each "name (kind)"; only those `filter` keeps, if given. */
export function LocalityOptions({ tree, filter }) {
  const { t, pick } = useI18n();
  return (tree?.list || []).filter((locality) => !filter || filter(locality)).map((locality) => (
    <option value={String(locality.id)}>
      {'\u00a0\u00a0'.repeat(locality.depth)}
      {pick(locality.name)} ({t(`manage.kind.${locality.kind}`)})
    </option>
  ));
}

/** Every account of a role (GET /api/v1/accounts, page by page). */
export async function loadAccounts(role) {
  const items = [];
  let after = null;
  do {
    const page = await api(`/accounts${query({ role, after, limit: 200 })}`);
    items.push(...page.items);
    after = page.next_after ?? null;
  } while (after !== null && items.length < 5000);
  return items;
}

/** The start and end dates of a form (`starts_on`, `ends_on`), side by side. */
export function DateRangeFields({ form }) {
  const { t } = useI18n();
  return (
    <div class="manage-row">
      <Field label={t('manage.field.startsOn')} error={form.err('starts_on')} required>
        <input type="date" {...form.bind('starts_on')} />
      </Field>
      <Field label={t('manage.field.endsOn')} error={form.err('ends_on')} required>
        <input type="date" {...form.bind('ends_on')} />
      </Field>
    </div>
  );
}
