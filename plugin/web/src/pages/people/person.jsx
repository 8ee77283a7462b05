// /app/people/:id: one person for administrators: their details, cohorts, certificates and the
// history of every change that concerns them (who, when, old → new), where a merge is undone.
// The actions area is where other actions on the person (their data rights) are linked.
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync } from '../../ui/components.jsx';
import { History } from '../../ui/history.jsx';
import { Record } from './parts.jsx';
import { PersonActions } from './actions.jsx';
import './people.css';

addMessages(messages);

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
      <History path={`/participants/${id}/history`} onUndone={() => person.reload()} />
    </Page>
  );
}
