// The actions on one person, under their name on the person's page: correcting their details and
// their personal data (export, consent, erasure), with what their data rights say now (erased,
// consent withdrawn) from GET /participants/{id}/data-rights.
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { ErrorMessage, Notice, useAsync } from '../../ui/components.jsx';

export function PersonActions({ id, person }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rights = useAsync(() => api(`/participants/${id}/data-rights`), [id, person.version]);
  const state = rights.data;
  const editable = state && !state.erased_at && !state.merged_into;
  // Nothing shows until the data rights are known: a link drawn earlier would move under the
  // finger when the notices and the Edit link arrive, and the tap would land elsewhere.
  if (!state) return <ErrorMessage error={rights.error} onRetry={rights.reload} />;
  return (
    <>
      {state.erased_at && <Notice kind="warning">{t('people.erasedNotice', { date: i18n.date(state.erased_at) })}</Notice>}
      {!state.erased_at && state.consent_withdrawn_at && (
        <Notice kind="warning">{t('people.withdrawnNotice', { date: i18n.date(state.consent_withdrawn_at) })}</Notice>
      )}
      <div class="button-row">
        {editable && (
          <a class="button button-secondary" href={`/app/people/${id}/edit`}>
            {t('people.edit.link')}
          </a>
        )}
        <a class="button button-secondary" href={`/app/people/${id}/data`}>
          {t('people.rights.link')}
        </a>
      </div>
    </>
  );
}
