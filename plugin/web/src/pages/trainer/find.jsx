// "Already registered? Find them": a search for people by name among those the trainer may see
// (an administrator: everyone), found however the name is typed (GET /participants?q=: Kazakh
// letters typed as Russian ones, words in any order, Latin spellings; docs/DUPLICATES.md), each
// with a button that enrols them in this cohort. The enrolment carries an Idempotency-Key kept
// until it succeeds, as registering does.
import { useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Field } from '../../ui/components.jsx';
import { clean, newIdempotencyKey } from './data.js';
import { localityName } from './parts.jsx';

addMessages(messages);

const kShown = 20;

export function FindPerson({ cohortId, localities }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [query, setQuery] = useState('');
  const [found, setFound] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [enrolled, setEnrolled] = useState({});
  const keys = useRef({});

  async function search() {
    const q = clean(query);
    if (!q) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api(`/participants?q=${encodeURIComponent(q)}&limit=${kShown}`);
      setFound({ q, items: answer.items, more: Boolean(answer.next_after) });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function enrol(person) {
    keys.current[person.id] ??= newIdempotencyKey();
    setError(null);
    setBusy(true);
    try {
      const response = await api(`/cohorts/${cohortId}/enrolments`, {
        method: 'POST',
        body: { participant_id: person.id },
        headers: { 'Idempotency-Key': keys.current[person.id] },
        raw: true,
      });
      delete keys.current[person.id];
      setEnrolled((e) => ({ ...e, [person.id]: response.status === 201 ? 'done' : 'already' }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card find-person">
      <summary>{t('trainer.find.title')}</summary>
      {/* Not a <form>: it sits next to the registration form, whose submit button stays the
          page's only one; Enter in the box searches all the same. */}
      <div class="form" role="search">
        <Field label={t('trainer.find.name')} hint={t('trainer.find.hint')}>
          <input
            type="search"
            name="person_search"
            autocomplete="off"
            spellcheck={false}
            maxLength={200}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                search();
              }
            }}
          />
        </Field>
        <button type="button" class="button button-secondary find-submit" disabled={busy} onClick={search}>
          {t('trainer.find.submit')}
        </button>
      </div>
      <ErrorMessage error={error} />
      <div aria-live="polite">
        {found && found.items.length === 0 && <p class="find-none">{t('trainer.find.none', { q: found.q })}</p>}
        {found && found.items.length > 0 && (
          <ul class="list find-results">
            {found.items.map((person) => (
              <li key={person.id} class="find-result">
                <span class="person-name">{person.full_name}</span>
                <span class="meta">
                  {' '}
                  {person.birth_year}, {localityName(i18n, localities, person.locality_id)}
                </span>
                <div class="button-row">
                  {enrolled[person.id] ? (
                    <span class="badge badge-ok" role="status">
                      {t(enrolled[person.id] === 'done' ? 'trainer.register.done' : 'trainer.register.already', { name: person.full_name })}
                    </span>
                  ) : (
                    <button type="button" class="button button-primary button-small" disabled={busy} onClick={() => enrol(person)}>
                      {t('trainer.find.enrol', { name: person.full_name })}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {found?.more && <p class="hint">{t('trainer.find.more', { count: i18n.number(kShown) })}</p>}
      </div>
    </details>
  );
}
