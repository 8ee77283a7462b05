// The administrator's dashboard: a programme's totals for the donor report (GET /api/v1/totals),
// filtered by programme, period and track (kept in the URL, so a view can be bookmarked and
// shared), with the headline figures, the targets and their progress, bar charts of trained and
// reached people by track, gender, age band, district and vulnerable group (each with its numbers
// as a table, for screen readers), and the CSV / XLSX / PDF exports of the same view.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { trackName, trackOrder, useTracks } from '../../tracks.js';
import { addMessages, useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Loading, Notice, Page, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import messages from './messages.js';
import './admin.css';

addMessages(messages);
// Only the pieces a bar chart needs, so this chunk carries no line, pie or radar code.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
// The page's own system font and ink, not Chart.js's Helvetica and grey.
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || Chart.defaults.font.family;
Chart.defaults.font.size = 14;
Chart.defaults.color = '#111';

/** The breakdowns drawn, fetched as crossed pairs: a pair's margins are each dimension alone, so
 * three requests give the five charts. */
const kRequests = [['track', 'gender'], ['age_band', 'district'], ['vulnerable_group']];
const kCharts = ['track', 'gender', 'age_band', 'district', 'vulnerable_group'];
const kHeadline = ['trained', 'reached', 'enrolled', 'certified', 'participant_hours', 'attendance_rate'];
/** The table under a chart: its two measures and the people they are out of (certified is in the exports). */
const kTableMeasures = ['trained', 'reached', 'enrolled'];
const kExportBreakdowns = [
  'track',
  'gender',
  'age_band',
  'district',
  'vulnerable_group',
  'affiliation',
  'cohort',
  'track,gender',
  'track,age_band',
  'track,district',
];
/** Trained in the brand's green, reached in blue: both above 3:1 against white. */
const kColours = { trained: '#0b4f3c', reached: '#2f6eb5' };

const isDate = (text) => /^\d{4}-\d{2}-\d{2}$/.test(text || '');

/** The filters as the URL holds them; a malformed value is left out rather than sent. */
function filtersFromQuery(q) {
  return {
    programme: q.programme || '',
    from: isDate(q.from) ? q.from : '',
    to: isDate(q.to) ? q.to : '',
    track: /^[a-z_]{1,40}$/.test(q.track || '') ? q.track : '',
  };
}

/** The service's {kk, ru, en} name of `track` among a totals breakdown by track (the view's), for
 * a track /tracks does not list. */
function breakdownLabel(view, track) {
  return view?.breakdowns?.track?.rows.find((row) => row.key === track)?.label || null;
}

function formatMeasure(i18n, measure, value) {
  return measure === 'attendance_rate' ? i18n.percent(value) : i18n.number(value);
}

/** The answers of the three requests as one view: the total, the targets, and per dimension its
 * label, values and margin cells. */
function combine(answers) {
  const breakdowns = {};
  for (const answer of answers) {
    answer.dimensions.forEach((dimension, index) => {
      const cells = new Map((answer.margins[index] || []).map((cell) => [cell.keys[0], cell.measures]));
      breakdowns[dimension.name] = {
        label: dimension.label,
        rows: dimension.values.map((value) => ({ key: value.key, label: value.label, measures: cells.get(value.key) || {} })),
      };
    });
  }
  return { programme: answers[0].programme, period: answers[0].period_label, total: answers[0].total, targets: answers[0].targets, breakdowns };
}

export default function Dashboard() {
  const i18n = useI18n();
  const { t } = i18n;
  const location = useLocation();
  const filters = filtersFromQuery(location.query || {});
  const programmes = useAsync(() => api('/programmes').then((answer) => answer.items || []), []);
  const list = programmes.data || [];
  const programmeParam = filters.programme || (list[0] ? list[0].code : '');
  const programme = list.find((p) => p.code === programmeParam || String(p.id) === programmeParam) || null;

  const totals = useAsync(async () => {
    if (!programmeParam) return null;
    const base = { programme: programmeParam, from: filters.from, to: filters.to, track: filters.track };
    const answers = await Promise.all(kRequests.map((by) => api(`/totals${query({ ...base, by: by.join(',') })}`)));
    return combine(answers);
  }, [programmeParam, filters.from, filters.to, filters.track]);

  const apply = (next) => location.route(`/app/dashboard${query(next)}`);
  const view = totals.data;
  const exportFilters = { programme: programmeParam, from: filters.from, to: filters.to, track: filters.track };

  return (
    <Page title={t('admin.dashboard.title')} wide>
      <p class="lead">{t('admin.dashboard.intro')}</p>
      {programmes.error && <ErrorMessage error={programmes.error} onRetry={programmes.reload} />}
      {programmes.loading && !programmes.data && <Loading />}
      {programmes.data && list.length === 0 && <Notice>{t('admin.dashboard.noProgrammes')}</Notice>}
      {list.length > 0 && (
        <Filters filters={{ ...filters, programme: (programme || list[0]).code }} programmes={list} onApply={apply} />
      )}
      {totals.error && <ErrorMessage error={totals.error} onRetry={totals.reload} />}
      <p class="visually-hidden" role="status" aria-live="polite">
        {totals.loading ? t('common.loading') : view ? t('admin.dashboard.updated') : ''}
      </p>
      {totals.loading && !view && programmeParam && <Loading />}
      {view && !totals.error && (
        <div class="dashboard" aria-busy={totals.loading ? 'true' : 'false'}>
          <Scope programme={programme || view.programme} period={view.period} filters={filters} view={view} />
          {view.total.enrolled === 0 ? (
            <Notice>{t('admin.dashboard.noData')}</Notice>
          ) : (
            <>
              <Headline total={view.total} />
              <Targets targets={view.targets} track={filters.track} view={view} />
              <section aria-labelledby="admin-charts">
                <h2 id="admin-charts">{t('admin.charts.title')}</h2>
                <div class="charts">
                  {kCharts.map((name) =>
                    view.breakdowns[name] ? (
                      <BreakdownChart name={name} breakdown={view.breakdowns[name]} total={view.total} />
                    ) : null,
                  )}
                </div>
              </section>
            </>
          )}
          <Exports filters={exportFilters} />
        </div>
      )}
    </Page>
  );
}

/** Programme, period and track, edited here and applied to the URL with "Show". */
function Filters({ filters, programmes, onApply }) {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  const [draft, setDraft] = useState(filters);
  const [periodError, setPeriodError] = useState('');
  // A counter, so the same mistake refused twice moves the focus twice.
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef(null);
  useFocusOnRefusal(formRef, refusals);
  const applied = JSON.stringify(filters);
  useEffect(() => {
    setDraft(filters);
    setPeriodError('');
  }, [applied]);

  const chosen = programmes.find((p) => p.code === draft.programme) || null;
  const courses = useAsync(
    () => (chosen ? api(`/courses${query({ programme: chosen.id })}`).then((answer) => answer.items || []) : Promise.resolve([])),
    [chosen ? chosen.id : null],
  );
  const tracks = [...new Set((courses.data || []).map((course) => course.track))].sort(trackOrder(known));
  if (draft.track && !tracks.includes(draft.track)) tracks.push(draft.track);

  const set = (name) => (event) => setDraft({ ...draft, [name]: event.currentTarget.value });
  function submit(event) {
    event.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setPeriodError(t('admin.filters.badPeriod'));
      setRefusals((n) => n + 1);
      return;
    }
    setPeriodError('');
    onApply(draft);
  }

  return (
    // noValidate: the period's order is checked here, with a message in the reader's language.
    <form class="card dashboard-filters" ref={formRef} onSubmit={submit} aria-label={t('admin.filters.title')} noValidate>
      <div class="filter-grid">
        <Field label={t('admin.filters.programme')}>
          <select name="programme" value={draft.programme} onChange={(e) => setDraft({ ...draft, programme: e.currentTarget.value, track: '' })}>
            {programmes.map((p) => (
              <option key={p.code} value={p.code}>{`${p.code} · ${i18n.pick(p.title)}`}</option>
            ))}
          </select>
        </Field>
        <Field label={t('admin.filters.from')} hint={t('admin.filters.periodHint')}>
          <input name="from" type="date" value={draft.from} min={chosen?.starts_on} max={chosen?.ends_on} onInput={set('from')} />
        </Field>
        <Field label={t('admin.filters.to')} error={periodError}>
          <input name="to" type="date" value={draft.to} min={draft.from || chosen?.starts_on} max={chosen?.ends_on} onInput={set('to')} />
        </Field>
        <Field label={t('admin.filters.track')}>
          <select name="track" value={draft.track} onChange={set('track')}>
            <option value="">{t('admin.filters.allTracks')}</option>
            {tracks.map((track) => (
              <option key={track} value={track}>{trackName(i18n, known, track, (courses.data || []).find((c) => c.track === track)?.track_label)}</option>
            ))}
          </select>
        </Field>
      </div>
      <div class="button-row">
        <button type="submit" class="button button-primary">
          {t('admin.filters.apply')}
        </button>
        <a class="button button-quiet" href="/app/dashboard">
          {t('admin.filters.reset')}
        </a>
      </div>
    </form>
  );
}

/** One line saying what the figures below cover; the period in the server's words (`period`,
 * {kk, ru, en}), the very words of the CSV, XLSX and PDF exports. */
function Scope({ programme, period, filters, view }) {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  return (
    <p class="scope">
      {programme && <strong>{i18n.pick(programme.title)}</strong>}
      <span>{t('admin.scope.period', { period: i18n.pick(period) })}</span>
      {filters.track && <span>{t('admin.scope.track', { track: trackName(i18n, known, filters.track, breakdownLabel(view, filters.track)) })}</span>}
    </p>
  );
}

function Headline({ total }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section aria-labelledby="admin-headline">
      <h2 id="admin-headline">{t('admin.headline.title')}</h2>
      <dl class="stats">
        {kHeadline.map((measure) => (
          <div class="stat" data-measure={measure}>
            <dt>{t(`admin.measure.${measure}`)}</dt>
            <dd class="stat-value">{formatMeasure(i18n, measure, total[measure])}</dd>
            <dd class="stat-hint">{t(`admin.hint.${measure}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Each target with its actual figure: a bar and the same in words ("60 of 60 · 100%"). */
function Targets({ targets, track, view }) {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  const order = trackOrder(known);
  // The programme's own targets first, then the tracks in the report's order.
  const shown = (track ? targets.filter((target) => target.track === track) : [...targets]).sort(
    (a, b) => (a.track ? 1 : 0) - (b.track ? 1 : 0) || (a.track && b.track ? order(a.track, b.track) : 0),
  );
  return (
    <section aria-labelledby="admin-targets">
      <h2 id="admin-targets">{t('admin.targets.title')}</h2>
      {shown.length === 0 ? (
        <p>{t(track ? 'admin.targets.noneForTrack' : 'admin.targets.none')}</p>
      ) : (
        <ul class="targets">
          {shown.map((target) => {
            const name = t('admin.targets.name', {
              measure: t(`admin.measure.${target.measure}`),
              track: target.track ? trackName(i18n, known, target.track, breakdownLabel(view, target.track)) : t('admin.targets.wholeProgramme'),
            });
            const words = t('admin.targets.progress', {
              actual: i18n.number(target.actual),
              target: i18n.number(target.target),
              percent: i18n.percent(target.progress),
            });
            const met = target.actual >= target.target;
            return (
              // Keyed: the order changes once the tracks are known, and a reused <progress> keeps a
              // stale value attribute when its new value equals the old one clamped to the new max.
              <li key={`${target.measure}:${target.track || ''}`} class="target" data-track={target.track || ''}>
                <div class="target-head">
                  <span class="target-name">{name}</span>
                  <span class="target-words">{words}</span>
                </div>
                <progress max={target.target} value={Math.min(target.actual, target.target)} aria-label={`${name}: ${words}`} />
                <span class={met ? 'badge badge-ok' : 'badge badge-warn'}>
                  {met ? t('admin.targets.met') : t('admin.targets.notMet', { left: i18n.number(target.target - target.actual) })}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The axis's font size: smaller on a phone, where the labels share 300 pixels with the bars. */
const axisFontSize = (width) => (width < 420 ? 12 : 14);

/**
 * A label in lines no wider than `maxPx` in `font` (a word too long for a line is broken with a
 * hyphen), so Chart.js, which gives the axis at most half the chart's width, never cuts it off.
 */
function wrapLabel(text, maxPx, font) {
  const context = wrapLabel.context || (wrapLabel.context = document.createElement('canvas').getContext('2d'));
  context.font = font;
  const fits = (piece) => context.measureText(piece).width <= maxPx;
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line) && line.length > 2) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(`${line.slice(0, cut)}-`)) cut -= 1;
      lines.push(`${line.slice(0, cut)}-`);
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines.length === 1 ? lines[0] : lines;
}

/** Trained and reached by one dimension: a bar chart, the notes it needs, and its numbers. */
function BreakdownChart({ name, breakdown, total }) {
  const i18n = useI18n();
  const { t } = i18n;
  const title = t(`admin.chart.${name}`);
  const rows = breakdown.rows;
  const vulnerable = name === 'vulnerable_group';
  // More people in the values than in the total: someone falls under several of them.
  const overlapping = !vulnerable && rows.reduce((sum, row) => sum + (row.measures.enrolled || 0), 0) > (total.enrolled || 0);
  const headingId = `admin-chart-${name}`;
  return (
    <figure class="card chart-card" aria-labelledby={headingId} data-breakdown={name}>
      <h3 id={headingId}>{title}</h3>
      {rows.length === 0 ? (
        <p>{t('admin.chart.empty')}</p>
      ) : (
        <BarChart title={title} rows={rows.map((row) => ({ label: i18n.pick(row.label), measures: row.measures }))} />
      )}
      {vulnerable && <p class="chart-note">{t('admin.note.vulnerable')}</p>}
      {overlapping && <p class="chart-note">{t('admin.note.overlapping')}</p>}
      {rows.length > 0 && (
        <details class="chart-numbers">
          <summary>{t('admin.chart.showNumbers')}</summary>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{i18n.pick(breakdown.label)}</th>
                  {kTableMeasures.map((measure) => (
                    <th scope="col" class="number">
                      {t(`admin.measure.${measure}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} data-key={row.key}>
                    <th scope="row">{i18n.pick(row.label)}</th>
                    {kTableMeasures.map((measure) => (
                      <td class="number" data-measure={measure}>
                        {i18n.number(row.measures[measure])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {!vulnerable && (
                <tfoot>
                  <tr>
                    <th scope="row">{t('admin.chart.total')}</th>
                    {kTableMeasures.map((measure) => (
                      <td class="number" data-measure={measure}>
                        {i18n.number(total[measure])}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

/** Horizontal bars of trained and reached people, drawn again when the data or language changes. */
function BarChart({ title, rows }) {
  const i18n = useI18n();
  const { t } = i18n;
  const canvas = useRef(null);
  const key = JSON.stringify([i18n.lang, rows]);
  useEffect(() => {
    // Labels wrapped to the axis's room at this width; again whenever the chart is resized.
    const fit = (width) => {
      const size = axisFontSize(width);
      const maxPx = Math.min(width * 0.45 - 12, 260);
      return {
        size,
        labels: rows.map((row) => wrapLabel(row.label, maxPx, `${size}px ${Chart.defaults.font.family}`)),
      };
    };
    const first = fit(canvas.current.parentNode.clientWidth);
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: first.labels,
        datasets: ['trained', 'reached'].map((measure) => ({
          label: t(`admin.measure.${measure}`),
          data: rows.map((row) => row.measures[measure] ?? null),
          backgroundColor: kColours[measure],
          borderColor: kColours[measure],
          borderWidth: 0,
          barPercentage: 0.9,
          categoryPercentage: 0.8,
        })),
      },
      options: {
        indexAxis: 'y',
        locale: i18n.locale,
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        onResize: (resized, size) => {
          const next = fit(size.width);
          resized.data.labels = next.labels;
          resized.options.scales.y.ticks.font.size = next.size;
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: '#d5dad8' } },
          y: { grid: { display: false }, ticks: { font: { size: first.size } } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 16 } },
          tooltip: { enabled: true },
        },
      },
    });
    return () => chart.destroy();
  }, [key]);
  const height = Math.max(150, rows.length * 52 + 70);
  return (
    <div class="chart-box" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={t('admin.chart.image', { title })} />
    </div>
  );
}

/** Links to the same view as CSV, XLSX and PDF, in the reader's language. */
function Exports({ filters }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [by, setBy] = useState('track');
  const [suppress, setSuppress] = useState(false);
  const params = query({ ...filters, by, suppress: suppress ? 'true' : '', lang: i18n.lang });
  const byLabel = (value) => {
    const [first, second] = value.split(',');
    return second
      ? t('admin.dim.crossed', { first: t(`admin.dim.${first}`), second: t(`admin.dim.${second}`) })
      : t(`admin.dim.${first}`);
  };
  return (
    <section class="card exports" aria-labelledby="admin-exports">
      <h2 id="admin-exports">{t('admin.exports.title')}</h2>
      <p>{t('admin.exports.intro')}</p>
      <div class="filter-grid">
        <Field label={t('admin.exports.by')}>
          <select name="export-by" value={by} onChange={(e) => setBy(e.currentTarget.value)}>
            {kExportBreakdowns.map((value) => (
              <option value={value}>{byLabel(value)}</option>
            ))}
          </select>
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" name="suppress" checked={suppress} onChange={(e) => setSuppress(e.currentTarget.checked)} aria-describedby="admin-suppress-hint" />
        {t('admin.exports.suppress')}
      </label>
      <p class="hint" id="admin-suppress-hint">
        {t('admin.exports.suppressHint')}
      </p>
      <div class="button-row">
        {['csv', 'xlsx', 'pdf'].map((format) => (
          <a class="button button-secondary" href={`/api/v1/totals.${format}${params}`} download="" data-format={format}>
            {t(`admin.exports.${format}`)}
          </a>
        ))}
      </div>
    </section>
  );
}
