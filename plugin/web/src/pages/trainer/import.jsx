// /app/cohorts/:id/import: register and enrol many people from a CSV file (or pasted text).
// The file is read here by participant_csv.js (docs/CSV_IMPORT.md; papaparse, loaded with this
// page only), and the rows go to POST /cohorts/{id}/enrolments/batch: first as a dry run, then for
// real. The report is per row, numbered as in the file (the header is row 1); a likely duplicate
// can be confirmed as a new person or as the one already registered, and sent again.
import Papa from 'papaparse';
import { useMemo, useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { api } from '../../api.js';
import { ErrorMessage, Field, Notice } from '../../ui/components.jsx';
import { CohortTaskPage, candidateQuestion, confirmationOf } from './parts.jsx';
import { codesOf, localityCells, readParticipants, wordsOf } from './participant_csv.js';
import './trainer.css';

addMessages(messages);

// The template's columns, in its order (any order is read).
export const columns = ['full_name', 'gender', 'birth_year', 'locality', 'phone', 'email', 'affiliation', 'vulnerable', 'consent'];
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

/** A problem found reading the file (a message key), or one the server answered. */
function fieldText(t, problem) {
  if (problem.key) return t(problem.key, problem.params);
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

/** Locality names asked about at once while a file is read. */
const kLookupsAtOnce = 4;

function Importer({ cohortId, localities }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [readError, setReadError] = useState(null);
  // Which reading of the file is the latest: an earlier one still asking about localities gives way.
  const reading = useRef(0);
  const [rows, setRows] = useState(null);
  const [ignored, setIgnored] = useState([]);
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

  async function read(content = text) {
    const turn = ++reading.current;
    setResults({});
    setDecisions({});
    setSummary(null);
    setError(null);
    setReadError(null);
    setRows(null);
    // The service finds the places a file names (the command line's rule, one for both): each
    // locality cell is asked about once, a few at a time, and the file read again with the answers.
    let answer = readParticipants(content, localities.list);
    const cells = localityCells(answer);
    if (cells.length > 0) {
      const named = new Map();
      try {
        for (let i = 0; i < cells.length; i += kLookupsAtOnce) {
          const some = cells.slice(i, i + kLookupsAtOnce);
          const found = await Promise.all(some.map((cell) => api(`/localities?name=${encodeURIComponent(cell)}`)));
          some.forEach((cell, k) => named.set(cell, found[k].items));
        }
      } catch (failure) {
        if (turn === reading.current) setReadError(t('trainer.import.localitiesFailed'));
        return;
      }
      if (turn !== reading.current) return;
      answer = readParticipants(content, localities.list, named);
    }
    setReadError(answer.error ? t(answer.error.key, answer.error.params) : null);
    setIgnored(answer.ignored || []);
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
      // Over the whole file, not just this request: rows done earlier count too. Someone who
      // was in the cohort already is no one added: counted apart, never as enrolled.
      const done = rows.filter((row) => finished(next[row.line]) || (dryRun && ['enrolled', 'already_enrolled'].includes(next[row.line]?.status)));
      const already = done.filter((row) => next[row.line].status === 'already_enrolled').length;
      setSummary({ enrolled: done.length - already, already, failed: rows.length - done.length, dry_run: dryRun });
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
        {ignored.length > 0 && (
          <Notice kind="warning">
            <p class="ignored-columns">{t('trainer.import.ignoredColumns', { columns: ignored.join(', ') })}</p>
          </Notice>
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
                  values: codesOf(c).join(', '),
                  yes: wordsOf('consent', 'yes').join(', '),
                  no: wordsOf('consent', 'no').join(', '),
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
                  {summary.already > 0 && ` ${t('trainer.import.summaryAlready', { already: i18n.number(summary.already) })}`}
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
