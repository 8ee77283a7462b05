// /app/people/duplicates: the pairs of records registration's duplicate rule finds, most likely
// first, each opening the merge screen.
import { useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, query } from '../../api.js';
import { ErrorMessage, Loading, Page, useAsync } from '../../ui/components.jsx';
import './people.css';

addMessages(messages);

export default function DuplicatesPage() {
  const { t } = useI18n();
  const [after, setAfter] = useState(0);
  const [pairs, setPairs] = useState([]);
  const { data, error, loading, reload } = useAsync(async () => {
    const page = await api(`/participants/duplicates${query({ after, limit: 50 })}`);
    setPairs((earlier) => (after === 0 ? page.items : [...earlier, ...page.items]));
    return page;
  }, [after]);
  return (
    <Page title={t('people.dup.title')}>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && pairs.length === 0 && <p>{t('people.dup.empty')}</p>}
      <ul class="list duplicates">
        {pairs.map((pair) => (
          <li key={`${pair.first.id}-${pair.second.id}`} data-pair={`${pair.first.id}-${pair.second.id}`}>
            <p>
              <a href={`/app/people/${pair.first.id}`}>{pair.first.full_name}</a> (№{pair.first.id}) ·{' '}
              <a href={`/app/people/${pair.second.id}`}>{pair.second.full_name}</a> (№{pair.second.id})
            </p>
            <p class="meta">
              {pair.first.birth_year} · {t(pair.same_spelling ? 'people.dup.sameSpelling' : 'people.dup.similar')} ·{' '}
              {t(pair.same_locality ? 'people.dup.sameLocality' : 'people.dup.nearby')}
            </p>
            <a class="button button-primary button-small" href={`/app/people/${pair.first.id}/merge/${pair.second.id}`}>
              {t('people.dup.merge')}
            </a>
          </li>
        ))}
      </ul>
      {data?.next_after != null && (
        <button type="button" class="button button-secondary" onClick={() => setAfter(data.next_after)}>
          {t('people.dup.more')}
        </button>
      )}
    </Page>
  );
}
