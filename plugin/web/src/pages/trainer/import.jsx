// /app/cohorts/:id/import: register and enrol many people from a CSV file (or pasted text).
// The file is read here (papaparse, loaded with this page only), locality names or KATO codes
// become ids, and the rows go to POST /cohorts/{id}/enrolments/batch: first as a dry run, then for
// real. The report is per row, numbered as in the file (the header is row 1); a likely duplicate
// can be confirmed as a new person or as the one already registered, and sent again.
import Papa from 'papaparse';
import { useMemo, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Field, Notice } from '../../ui/components.jsx';
import { affiliations, clean, genders, vulnerableGroups } from './data.js';
import { CohortTaskPage, candidateQuestion, confirmationOf } from './parts.jsx';
import './trainer.css';

addMessages(messages);

export const columns = ['full_name', 'gender', 'birth_year', 'locality', 'phone', 'email', 'affiliation', 'vulnerable', 'consent'];
const requiredColumns = ['full_name', 'gender', 'birth_year', 'locality', 'affiliation', 'consent'];
const kMaxRows = 2000;
// The server takes at most 500 rows and 64 KiB per request; rows go in chunks well below both.
const kChunkRows = 200;
const kChunkBytes = 48 * 1024;

const exampleRows = [
  ['Әлия Қасымова', 'female', '1990', 'Нұра кенті', '+7 700 000 00 00', '', 'community_member', 'mother_of_many_children;unemployed', 'yes'],
  ["Ержан Әбдіқадыр-Оғлы", 'male', '1984', 'Ізенді ауылдық округі', '', '', 'entrepreneur', '', 'yes'],
];

/** The template: header and example rows, as a data: URL a link can download (UTF-8 with BOM,
 * so spreadsheet programs read Kazakh letters right). */
function templateHref() {
  const csv = Papa.unparse({ fields: columns, data: exampleRows });
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${csv}\r\n`)}`;
}

const fold = (text) => clean(text).toLocaleLowerCase();

/** Words accepted for an enum value: its code and its label in each language. */
function vocabulary(prefix, codes, extra = {}) {
  const words = new Map();
  for (const code of codes) {
    words.set(code, code);
    for (const lang of ['kk', 'ru', 'en']) {
      const label = messages[lang][`${prefix}.${code}`];
      if (label) words.set(fold(label), code);
    }
  }
  for (const [word, code] of Object.entries(extra)) words.set(word, code);
  return words;
}

const genderWords = vocabulary('trainer.gender', genders, {
  f: 'female', m: 'male', ж: 'female', м: 'male', жен: 'female', муж: 'male', әйел: 'female', ер: 'male',
});
const affiliationWords = vocabulary('trainer.affiliation', affiliations);
const vulnerableWords = vocabulary('trainer.vulnerable', vulnerableGroups);
const yesWords = new Set(['yes', 'y', 'true', '1', '+', '✓', 'иә', 'ия', 'да', 'д']);

/** The locality a CSV cell names: a KATO code, or a name in any language. */
function findLocality(localities, cell) {
  const wanted = fold(cell);
  const found = localities.list.filter(
    (l) => (l.kato && l.kato === wanted) || [l.name.kk, l.name.ru, l.name.en].some((name) => fold(name) === wanted),
  );
  return found;
}

/**
 * The file's rows: [{line, values, body, problems}] where `body` is the batch row to send (null
 * when a problem found here already rules it out), or {error} when the file cannot be used.
 */
export function readRows(text, localities, t) {
  const parsed = Papa.parse(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const lines = parsed.data.map((cells, index) => ({ cells, line: index + 1 }));
  const filled = lines.filter(({ cells }) => cells.some((cell) => String(cell).trim() !== ''));
  if (filled.length === 0) return { error: t('trainer.import.noRows') };
  const header = filled[0].cells.map((cell) => fold(cell));
  const missing = requiredColumns.filter((c) => !header.includes(c) && !(c === 'locality' && header.includes('kato')));
  if (missing.length > 0) return { error: t('trainer.import.missingColumns', { columns: missing.join(', ') }) };
  const data = filled.slice(1);
  if (data.length === 0) return { error: t('trainer.import.noRows') };
  if (data.length > kMaxRows) return { error: t('trainer.import.tooMany', { max: kMaxRows }) };
  const at = (cells, name) => {
    const index = header.indexOf(name);
    return index >= 0 && index < cells.length ? String(cells[index]) : '';
  };
  const rows = data.map(({ cells, line }) => {
    const values = Object.fromEntries(columns.map((c) => [c, clean(at(cells, c))]));
    if (!values.locality) values.locality = clean(at(cells, 'kato'));
    const problems = [];
    const body = { full_name: values.full_name };
    body.gender = genderWords.get(fold(values.gender)) ?? values.gender;
    if (/^\d{1,4}$/.test(values.birth_year)) body.birth_year = Number(values.birth_year);
    else if (values.birth_year) body.birth_year = values.birth_year;
    let locality = null;
    if (!values.locality) {
      problems.push({ field: 'locality', message: t('trainer.import.noLocality') });
    } else {
      const found = findLocality(localities, values.locality);
      if (found.length === 1) locality = found[0];
      else if (found.length === 0) problems.push({ field: 'locality', message: t('trainer.import.unknownLocality', { name: values.locality }) });
      else problems.push({ field: 'locality', message: t('trainer.import.ambiguousLocality', { name: values.locality }) });
    }
    if (locality) body.locality_id = locality.id;
    body.affiliation = affiliationWords.get(fold(values.affiliation)) ?? values.affiliation;
    body.vulnerable = values.vulnerable
      .split(/[;,|/]/)
      .map((item) => fold(item))
      .filter(Boolean)
      .map((item) => vulnerableWords.get(item) ?? item);
    body.phone = values.phone || null;
    body.email = values.email || null;
    body.consent = yesWords.has(fold(values.consent));
    return { line, values, locality, body: problems.length ? null : body, problems };
  });
  return { rows };
}

/** Batch rows in requests below the server's limits. */
function chunks(items) {
  const out = [];
  let current = [];
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const item of items) {
    const size = encoder.encode(JSON.stringify(item.body)).length + 1;
    if (current.length > 0 && (current.length >= kChunkRows || bytes + size > kChunkBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function fieldText(t, problem) {
  const field = String(problem.field || '').replace(/\[\d+\]$/, '');
  const key = `trainer.err.${field}`;
  const text = t(key);
  return text === key ? problem.message : text;
}

const finished = (result) => result && !result.dry_run && (result.status === 'enrolled' || result.status === 'already_enrolled');
// A row the server refused for real is not sent again until the file is read again (fixed).
const sendable = (row, result) => row.body && !finished(result) && !(result && !result.dry_run && result.status === 'invalid');

function statusBadge(t, row, result) {
  if (row.problems.length > 0) return <span class="badge badge-bad">{t('trainer.import.status.invalid')}</span>;
  if (!result) return <span class="badge">{t('trainer.import.status.pending')}</span>;
  const { status } = result;
  const key = status === 'enrolled' && result.dry_run ? 'willEnrol' : status;
  const kind = status === 'invalid' ? 'badge-bad' : status === 'duplicate' ? 'badge-warn' : 'badge-ok';
  return <span class={`badge ${kind} status-${status}`}>{t(`trainer.import.status.${key}`)}</span>;
}

function Importer({ cohortId, localities }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [readError, setReadError] = useState(null);
  const [rows, setRows] = useState(null);
  const [results, setResults] = useState({});
  const [decisions, setDecisions] = useState({});
  const [summary, setSummary] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const template = useMemo(templateHref, []);

  async function chooseFile(event) {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    setFileName(file.name);
    try {
      const content = await file.text();
      setText(content);
      read(content);
    } catch (failure) {
      setReadError(t('trainer.import.parseError', { message: String(failure?.message || failure) }));
    }
  }

  function read(content = text) {
    setResults({});
    setDecisions({});
    setSummary(null);
    setError(null);
    const answer = readRows(content, localities, t);
    setReadError(answer.error || null);
    setRows(answer.rows || null);
  }

  async function send(dryRun) {
    const toSend = rows.filter((row) => sendable(row, results[row.line]));
    if (toSend.length === 0) return;
    setBusy(true);
    setError(null);
    const next = { ...results };
    try {
      for (const chunk of chunks(toSend)) {
        const answer = await api(`/cohorts/${cohortId}/enrolments/batch`, {
          method: 'POST',
          body: { rows: chunk.map((row) => ({ ...row.body, ...(decisions[row.line] || {}) })), dry_run: dryRun },
        });
        for (const result of answer.results) {
          const row = chunk[result.row];
          if (row) next[row.line] = { ...result, dry_run: dryRun };
        }
      }
      // Over the whole file, not just this request: rows done earlier count too.
      const done = rows.filter((row) => finished(next[row.line]) || (dryRun && ['enrolled', 'already_enrolled'].includes(next[row.line]?.status)));
      setSummary({ enrolled: done.length, failed: rows.length - done.length, dry_run: dryRun });
    } catch (failure) {
      setError(failure);
    } finally {
      setResults(next);
      setBusy(false);
    }
  }

  function decide(line, decision) {
    setDecisions((d) => ({ ...d, [line]: decision }));
  }

  const pendingCount = rows ? rows.filter((row) => sendable(row, results[row.line])).length : 0;

  return (
    <>
      <section class="card" aria-labelledby="file-heading">
        <h2 id="file-heading">{t('trainer.import.file')}</h2>
        {/* The browser's own file button speaks the browser's language; this one the reader's. */}
        <div class="field file-field">
          <label class="button button-secondary file-button">
            <input type="file" name="csv_file" class="visually-hidden" accept=".csv,text/csv,text/plain" onChange={chooseFile} />
            {t('trainer.import.chooseFile')}
          </label>
          <span class="meta file-name">{fileName || t('trainer.import.noFile')}</span>
        </div>
        <Field label={t('trainer.import.paste')}>
          <textarea name="csv_text" rows={6} wrap="off" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <button type="button" class="button button-secondary" onClick={() => read()} disabled={!text.trim()}>
          {t('trainer.import.readRows')}
        </button>
        {readError && (
          <p class="notice notice-error" role="alert">
            {readError}
          </p>
        )}
      </section>

      <section aria-labelledby="layout-heading">
        <h2 id="layout-heading">{t('trainer.import.layout')}</h2>
        <p>{t('trainer.import.intro')}</p>
        <dl class="csv-columns">
          {columns.map((c) => (
            <>
              <dt>
                <code>{c}</code>
              </dt>
              <dd>
                {t(`trainer.import.col.${c}`, {
                  values: (c === 'affiliation' ? affiliations : vulnerableGroups).join(', '),
                })}
              </dd>
            </>
          ))}
        </dl>
        <h3>{t('trainer.import.example')}</h3>
        {/* It may scroll sideways on a phone: focusable, so the keyboard can scroll it too. */}
        <pre class="csv-example" lang="kk" tabIndex={0} aria-label={t('trainer.import.example')}>
          {Papa.unparse({ fields: columns, data: exampleRows })}
        </pre>
        <p>
          <a class="button button-secondary" href={template} download="qatysu-participants.csv">
            {t('trainer.import.template')}
          </a>
        </p>
      </section>

      {rows && (
        <section aria-labelledby="rows-heading">
          <h2 id="rows-heading">{Object.keys(results).length ? t('trainer.import.report') : t('trainer.import.preview')}</h2>
          <p role="status">{i18n.tp('trainer.import.rows', rows.length)}</p>
          <div aria-live="polite">
            {summary && (
              <Notice kind={summary.failed ? 'warning' : 'success'}>
                <p class="import-summary">
                  {t(summary.dry_run ? 'trainer.import.drySummary' : 'trainer.import.summary', { enrolled: i18n.number(summary.enrolled), failed: i18n.number(summary.failed) })}
                </p>
                {summary.dry_run && <p>{t('trainer.import.dryNote')}</p>}
              </Notice>
            )}
          </div>
          <ErrorMessage error={error} />
          <div class="button-row">
            <button type="button" class="button button-secondary" onClick={() => send(true)} disabled={busy || pendingCount === 0}>
              {t('trainer.import.check')}
            </button>
            <button type="button" class="button button-primary" onClick={() => send(false)} disabled={busy || pendingCount === 0}>
              {busy ? t('trainer.import.sending') : t('trainer.import.send')}
            </button>
          </div>
          <ol class="list import-rows">
            {rows.map((row) => {
              const result = results[row.line];
              const problems = [...row.problems, ...(result?.errors || [])];
              const decision = decisions[row.line];
              return (
                <li key={row.line} class="import-row" data-line={row.line}>
                  <p>
                    <strong>
                      {t('trainer.import.line')} {row.line}
                    </strong>{' '}
                    · <span class="person-name">{row.values.full_name || '—'}</span>
                    {row.values.birth_year && `, ${row.values.birth_year}`}
                    {row.locality && `, ${i18n.pick(row.locality.name)}`}
                  </p>
                  <p>{statusBadge(t, row, result)}</p>
                  {problems.length > 0 && (
                    <ul class="row-problems">
                      {problems.map((problem) => (
                        <li>
                          {problem.field && <code>{problem.field}</code>} {fieldText(t, problem)}
                        </li>
                      ))}
                    </ul>
                  )}
                  {result?.status === 'duplicate' && (
                    <div class="candidates">
                      {(result.candidates || []).map((candidate) => (
                        <div key={confirmationOf(candidate)}>
                          <p>{candidateQuestion(i18n, localities, candidate)}</p>
                          <button
                            type="button"
                            class="button button-secondary button-small"
                            aria-pressed={decision?.same_person === confirmationOf(candidate) ? 'true' : 'false'}
                            onClick={() => decide(row.line, { same_person: confirmationOf(candidate) })}
                          >
                            {t('trainer.import.confirmSame', { name: candidate.full_name })}
                          </button>
                        </div>
                      ))}
                      <button
                        type="button"
                        class="button button-secondary button-small"
                        aria-pressed={decision?.confirm_new ? 'true' : 'false'}
                        onClick={() => decide(row.line, { confirm_new: true })}
                      >
                        {t('trainer.import.confirmNew')}
                      </button>
                      {decision && <p class="meta">{decision.confirm_new ? t('trainer.import.decidedNew') : t('trainer.import.decidedSame')}</p>}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
      )}
    </>
  );
}

export default function ImportPage({ id }) {
  const { t } = useI18n();
  return (
    <CohortTaskPage
      id={id}
      title={t('trainer.import.title')}
      form={(cohortId, localities) => <Importer cohortId={cohortId} localities={localities} />}
    />
  );
}
