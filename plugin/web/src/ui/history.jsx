// The history of one entity for administrators (GET /api/v1/<entities>/{id}/history, or a
// person's /participants/{id}/history): every change, newest first, who made it, when and why,
// each field's old → new value, and Undo for a change that can be undone (a merge). What changed
// is named in the reader's language for the kind of entity it belongs to (a session's start is a
// date and time, a cohort's language a language); the same words tell an editor what a stale
// edit missed (MissedChanges).
import { useState } from 'preact/hooks';
import { addMessages, useI18n } from '../i18n/index.js';
import messages from './messages.js';
import { api, fetchAll } from '../api.js';
import { ErrorMessage, Loading, Notice, useAsync } from './components.jsx';

addMessages(messages);

/** The first of `keys` that has a text, filled with `params`; null when none has. */
function firstText(t, keys, params) {
  for (const key of keys) {
    const text = t(key, params);
    if (text !== key) return text;
  }
  return null;
}

/** "сабақ болдырылмады": what a change did, for its kind of entity when that has its own words. */
export function actionText(t, change) {
  return firstText(t, [`history.action.${change.entity}.${change.action}`, `history.action.${change.action}`]) ?? change.action;
}

/** "Басталуы": the name of a changed field of `entity` (the API's name when it has no other). */
export function fieldText(t, entity, field) {
  return firstText(t, [`history.field.${entity}.${field}`]) ?? field;
}

/** A field's old or new value as a reader reads it: dates, durations, languages, reasons. */
export function valueText(i18n, entity, field, value) {
  const { t } = i18n;
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('history.yes') : t('history.no');
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value.map((item) => (field === 'trainer_ids' ? t('history.account', { id: item }) : valueText(i18n, entity, '', item))).join(', ');
  }
  if (typeof value === 'object') return value.reason ?? JSON.stringify(value);
  if (field === 'starts_at') return i18n.dateTime(value);
  if (field === 'starts_on' || field === 'ends_on') return i18n.date(value);
  if (field === 'duration_minutes') return t('history.minutes', { minutes: i18n.number(value) });
  if (field === 'language') return firstText(t, [`history.language.${value}`]) ?? String(value);
  if (field === 'locality_id') return t('history.locality', { id: value });
  return String(value);
}

/** "14.03.2018 10:05: сабақ болдырылмады, №3 тіркелгі" — who did what, when. */
export function changeLine(i18n, change) {
  const { t } = i18n;
  return t('history.change', {
    at: i18n.dateTime(change.at),
    action: actionText(t, change),
    who: change.account_id ? t('history.by', { id: change.account_id }) : t('history.bySystem'),
  });
}

/** One change: who, when, what (and why), then each field old → new; `children` below it. */
function Change({ change, children, fieldName, fieldValue }) {
  const i18n = useI18n();
  const { t } = i18n;
  const name = fieldName ?? ((field) => fieldText(t, change.entity, field));
  const value = fieldValue ?? ((field, v) => valueText(i18n, change.entity, field, v));
  return (
    <li data-change={change.id} data-action={change.action}>
      <p>
        {changeLine(i18n, change)}
        {change.reason && <span class="meta"> — {change.reason}</span>}
      </p>
      <ul class="fields">
        {change.fields.map((field) => (
          <li key={field.field} data-field={field.field}>
            <span class="field-name">{name(field.field)}</span>: <span class="old">{value(field.field, field.old)}</span>{' '}
            → <span class="new">{value(field.field, field.new)}</span>
          </li>
        ))}
      </ul>
      {children}
    </li>
  );
}

/** The changes a stale edit missed (a 412's `changes`, oldest first), in the reader's words;
 * `fieldName(field)` and `fieldValue(field, value)` word them where a page knows better (a
 * person's locality by its name). */
export function MissedChanges({ changes, fieldName, fieldValue }) {
  if (!changes || changes.length === 0) return null;
  return (
    <ol class="list history missed-changes">
      {changes.map((change) => (
        <Change key={change.id} change={change} fieldName={fieldName} fieldValue={fieldValue} />
      ))}
    </ol>
  );
}

export function History({ path, onUndone }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useAsync(() => fetchAll(path), [path]);
  const [undoError, setUndoError] = useState(null);
  const [done, setDone] = useState(false);

  async function undo(change) {
    setUndoError(null);
    try {
      await api(`/changes/${change.id}/undo`, { method: 'POST', body: {} });
      setDone(true);
      reload();
      onUndone?.();
    } catch (failure) {
      setUndoError(failure);
    }
  }

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('history.title')}</h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {done && <Notice kind="success">{t('history.undone')}</Notice>}
      <ErrorMessage error={undoError} />
      {data && data.length === 0 && <p>{t('history.none')}</p>}
      {data && (
        <ol class="list history">
          {[...data].reverse().map((change) => (
            <Change key={change.id} change={change}>
              {change.undoable && (
                <button type="button" class="button button-secondary button-small" onClick={() => undo(change)}>
                  {t('history.undo')}
                </button>
              )}
            </Change>
          ))}
        </ol>
      )}
    </section>
  );
}
