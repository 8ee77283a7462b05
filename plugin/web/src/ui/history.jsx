// The history of one entity for administrators (GET /api/v1/<entities>/{id}/history): each change
// newest first with when, what and who, every field's old → new value, and Undo where the change
// can be undone (a merge).
import { useState } from 'preact/hooks';
import { addMessages, useI18n } from '../i18n/index.js';
import messages from '../pages/people/messages.js';
import { api, fetchAll } from '../api.js';
import { ErrorMessage, Loading, Notice, useAsync } from './components.jsx';

addMessages(messages);

function valueText(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return value.reason ?? JSON.stringify(value);
  return String(value);
}

/** `path` is the history's path under /api/v1, e.g. '/cohorts/5/history'; `onUndone` is called after an undo. */
export function History({ path, onUndone = () => {} }) {
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
      onUndone();
    } catch (failure) {
      setUndoError(failure);
    }
  }

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('people.history')}</h2>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {done && <Notice kind="success">{t('people.undone')}</Notice>}
      <ErrorMessage error={undoError} />
      {data && data.length === 0 && <p>{t('people.noHistory')}</p>}
      {data && (
        <ol class="list history">
          {[...data].reverse().map((change) => (
            <li key={change.id} data-change={change.id} data-action={change.action}>
              <p>
                {t('people.change', {
                  at: i18n.dateTime(change.at),
                  action: t(`people.action.${change.action}`),
                  who: change.account_id ? t('people.by', { id: change.account_id }) : t('people.bySystem'),
                })}
                {change.reason && <span class="meta"> — {change.reason}</span>}
              </p>
              <ul class="fields">
                {change.fields.map((field) => (
                  <li key={field.field}>
                    <code>{field.field}</code>: {valueText(field.old)} → {valueText(field.new)}
                  </li>
                ))}
              </ul>
              {change.undoable && (
                <button type="button" class="button button-secondary button-small" onClick={() => undo(change)}>
                  {t('people.undo')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
