// /app/people/:id: one person for administrators: their details, cohorts, certificates and the
// history of every change that concerns them (who, when, old → new), where a merge is undone.
// The actions area is where other actions on the person (their data rights) are linked.
import { useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, fetchAll } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync } from '../../ui/components.jsx';
import { Record } from './parts.jsx';
import { PersonActions } from './actions.jsx';
import './people.css';

addMessages(messages);

function valueText(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return value.reason ?? JSON.stringify(value);
  return String(value);
}

function History({ id, onUndone }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useAsync(() => fetchAll(`/participants/${id}/history`), [id]);
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

export default function PersonPage({ id }) {
  const { t } = useI18n();
  const person = useAsync(() => api(`/participants/${id}`), [id]);
  const record = useAsync(() => (person.data && !person.data.merged_into ? api(`/participants/${id}/record`) : null), [id, person.data]);
  if (person.error) return <Page title={t('people.data')}><ErrorMessage error={person.error} onRetry={person.reload} /></Page>;
  if (!person.data) return <Loading />;
  return (
    <Page title={person.data.full_name}>
      <p>
        <a href="/app/people/duplicates">{t('people.back')}</a>
      </p>
      {person.data.merged_into && (
        <Notice>
          <a href={`/app/people/${person.data.merged_into}`}>{t('people.merged', { id: person.data.merged_into })}</a>
        </Notice>
      )}
      <section class="person-actions" aria-labelledby="actions-heading" data-actions>
        <h2 id="actions-heading">{t('people.actions')}</h2>
        <PersonActions id={id} person={person.data} />
      </section>
      <ErrorMessage error={record.error} onRetry={record.reload} />
      {record.data && <Record record={record.data} />}
      <History id={id} onUndone={() => person.reload()} />
    </Page>
  );
}
