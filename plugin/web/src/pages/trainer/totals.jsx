// /app/totals: a trainer's own totals. GET /totals counts only the cohorts they are assigned to
// (distinct people, never attendances), here by cohort, with the same table as a CSV file.
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Loading, Page, useAsync } from '../../ui/components.jsx';
import './trainer.css';

addMessages(messages);

const measures = ['enrolled', 'reached', 'trained', 'certified', 'participant_hours'];

function value(i18n, measures_, measure) {
  const v = measures_?.[measure];
  return v === null || v === undefined ? '–' : i18n.number(v);
}

export default function TotalsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, reload } = useAsync(() => api('/totals?by=cohort'), []);
  const dimension = data?.dimensions?.[0];
  const labels = new Map((dimension?.values || []).map((v) => [v.key, i18n.pick(v.label)]));
  const rows = data?.margins?.[0] || [];
  return (
    <Page title={t('trainer.totals.title')}>
      <p>
        <a href="/app/cohorts">{t('trainer.cohort.back')}</a>
      </p>
      <p class="lead">{t('trainer.totals.intro')}</p>
      {loading && !data && <Loading />}
      <ErrorMessage error={error} onRetry={reload} />
      {data && (
        <>
          <dl class="totals-summary">
            {measures.map((measure) => (
              <div key={measure} data-measure={measure}>
                <dt>{t(`trainer.totals.${measure}`)}</dt>
                <dd>{value(i18n, data.total, measure)}</dd>
              </div>
            ))}
          </dl>
          <h2>{t('trainer.totals.byCohort')}</h2>
          {rows.length === 0 ? (
            <p>{t('trainer.cohorts.empty')}</p>
          ) : (
            <div class="table-scroll">
              <table class="totals-table">
                <thead>
                  <tr>
                    <th scope="col">{t('trainer.totals.cohort')}</th>
                    {measures.map((measure) => (
                      <th scope="col" key={measure}>
                        {t(`trainer.totals.${measure}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.keys.join('/')}>
                      <th scope="row">{labels.get(row.keys[0]) || row.keys[0]}</th>
                      {measures.map((measure) => (
                        <td key={measure}>{value(i18n, row.measures, measure)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="hint">{t('trainer.totals.distinct')}</p>
          <p>
            <a class="button button-secondary" href={`/api/v1/totals.csv?by=cohort&lang=${i18n.lang}`} download="">
              {t('trainer.totals.csv')}
            </a>
          </p>
        </>
      )}
    </Page>
  );
}
