// /app/people/:id/merge/:other: two records side by side; the administrator chooses the record to
// keep, the mark of every session both were marked in differently, and confirms naming both.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api, versioned } from '../../api.js';
import { ErrorMessage, Loading, Notice, Page, useAsync } from '../../ui/components.jsx';
import { Record, statusText } from './parts.jsx';
import './people.css';

addMessages(messages);

export default function MergePage({ id, other }) {
  const { t } = useI18n();
  const location = useLocation();
  const preview = useAsync(() => versioned(`/participants/${id}/merge?other=${other}`), [id, other]);
  const [choices, setChoices] = useState({});
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState(null);
  const [done, setDone] = useState(false);
  if (preview.error) return <Page title={t('people.merge.title')}><ErrorMessage error={preview.error} onRetry={preview.reload} /></Page>;
  if (!preview.data) return <Loading />;
  const { data, etag } = preview.data;
  const kept = data.kept.person;
  const merged = data.other.person;
  const marks = data.conflicts.filter((c) => c.kind === 'marks');
  const blocking = data.conflicts.filter((c) => c.kind !== 'marks');
  const ready = blocking.length === 0 && marks.every((c) => choices[c.session_id]);

  async function merge() {
    setFailure(null);
    try {
      await api(`/participants/${id}/merge`, {
        method: 'POST',
        ifMatch: etag,
        body: { other: Number(other), marks: marks.map((c) => ({ session_id: c.session_id, status: choices[c.session_id] })) },
      });
      setDone(true);
    } catch (error) {
      setConfirming(false);
      if (error.status === 412) preview.reload();
      setFailure(error);
    }
  }

  return (
    <Page title={t('people.merge.title')} wide>
      {done ? (
        <Notice kind="success">
          {t('people.merge.done')} <a href={`/app/people/${id}`}>{t('people.open')}</a>
        </Notice>
      ) : (
        <>
          <div class="merge-sides">
            <section data-side="kept">
              <h2>{t('people.merge.kept')}: {kept.full_name} (№{kept.id})</h2>
              <Record record={data.kept} heading="h3" />
            </section>
            <section data-side="other">
              <h2>{t('people.merge.other')}: {merged.full_name} (№{merged.id})</h2>
              <button type="button" class="button button-secondary button-small" onClick={() => location.route(`/app/people/${other}/merge/${id}`)}>
                {t('people.merge.swap')}
              </button>
              <Record record={data.other} heading="h3" />
            </section>
          </div>
          <section aria-labelledby="conflicts-heading">
            <h2 id="conflicts-heading">{t('people.merge.conflicts')}</h2>
            {data.conflicts.length === 0 && <p>{t('people.merge.noConflicts')}</p>}
            {blocking.map((c) => (
              <p key={`${c.kind}-${c.cohort_id}`} class="notice notice-error">
                {t(c.kind === 'certificates' ? 'people.merge.certConflict' : 'people.merge.withdrawnConflict', { cohort: t('people.cohort', { id: c.cohort_id }) })}
              </p>
            ))}
            {marks.map((c) => (
              <fieldset key={c.session_id} data-session={c.session_id}>
                <legend>{t('people.merge.markConflict', { cohort: t('people.cohort', { id: c.cohort_id }), session: t('people.merge.session', { id: c.session_id }) })}</legend>
                {[c.kept_status, c.other_status].map((status) => (
                  <label key={status}>
                    <input type="radio" name={`session-${c.session_id}`} value={status} checked={choices[c.session_id] === status} onChange={() => setChoices({ ...choices, [c.session_id]: status })} />{' '}
                    {statusText(t, status)}
                  </label>
                ))}
              </fieldset>
            ))}
          </section>
          {failure && (failure.status === 412 ? <p class="notice notice-error" role="alert">{t('people.merge.stale')}</p> : <ErrorMessage error={failure} />)}
          {confirming ? (
            <div class="confirm">
              <p>{t('people.merge.confirm', { other: merged.full_name, otherId: merged.id, kept: kept.full_name, keptId: kept.id })}</p>
              <div class="button-row">
                <button type="button" class="button button-danger" onClick={merge}>{t('people.merge.do')}</button>
                <button type="button" class="button button-secondary" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
              </div>
            </div>
          ) : (
            <button type="button" class="button button-primary" disabled={!ready} onClick={() => setConfirming(true)}>
              {t('people.merge.do')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
