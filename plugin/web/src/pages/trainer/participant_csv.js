// The participants CSV file (docs/CSV_IMPORT.md) read into rows to send: its columns, header
// aliases, separators and the words each value may be written as come from
// plugin/import/participants_csv.json, which the command line reads too. No texts here: problems
// are message keys with their parameters, put into words by the page.
import Papa from 'papaparse';
import format from '../../../../import/participants_csv.json' with { type: 'json' };
import { clean } from './data.js';

const kMaxRows = 2000;

const apostrophes = /['`´ʹʻʼ‘’′]/g;
const dashes = /[‐‑‒–—―−]/g;

/** A word, code or name as it is compared: NFC, lower case, ё as е, apostrophes dropped, every
 * dash as "-", trimmed, runs of spaces as one. */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(apostrophes, '')
    .replace(dashes, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The codes a value column (gender, affiliation, vulnerable, consent) takes; none for others. */
export const codesOf = (column) => Object.keys(format.values[column] ?? {});

/** The words a value's code may also be written as. */
export const wordsOf = (column, code) => format.values[column]?.[code] ?? [];

/** Per value column (gender, affiliation, vulnerable, consent): folded word or code → code. */
const vocabularies = Object.fromEntries(
  Object.entries(format.values).map(([column, codes]) => {
    const words = new Map();
    for (const [code, list] of Object.entries(codes)) {
      for (const word of [code, ...list]) words.set(fold(word), code);
    }
    return [column, words];
  }),
);

/** Column name as written in a header (any case, spaces around) → the column it names. */
const columnNames = new Map();
for (const [column, aliases] of Object.entries(format.columns)) {
  for (const name of [column, ...aliases]) columnNames.set(name, column);
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const listSeparator = new RegExp(format.list_separators.map(escape).join('|'));

/** The file's separator: of the delimiters, the one found most often outside quotes in the
 * header row (the first row not empty); the first of them (a comma) when none is. */
export function separatorOf(text) {
  const counts = new Map(format.delimiters.map((d) => [d, 0]));
  let quoted = false;
  let filled = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') {
      if (filled) break;
      for (const d of counts.keys()) counts.set(d, 0);
    } else if (!quoted && counts.has(char)) counts.set(char, counts.get(char) + 1);
    // As for the records, a row of separators and empty quotes only is empty.
    if (!/\s/.test(char) && char !== '"' && !counts.has(char)) filled = true;
  }
  let best = format.delimiters[0];
  for (const d of format.delimiters) if (counts.get(d) > counts.get(best)) best = d;
  return best;
}

/** The file's records with the line each starts on (the first line is 1), empty ones left out. */
function records(text) {
  const out = [];
  let line = 1;
  let start = 0;
  Papa.parse(text, {
    delimiter: separatorOf(text),
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    step: ({ data, meta }) => {
      if (data.some((cell) => cell.trim() !== '')) out.push({ cells: data, line });
      for (let i = start; i < meta.cursor; i++) if (text[i] === '\n') line++;
      start = meta.cursor;
    },
  });
  return out;
}

const problem = (field, key, params) => ({ field, key, ...(params ? { params } : {}) });

/** The header: {index: column → position, ignored} or {error}. */
function readHeader(cells) {
  const index = new Map();
  const ignored = [];
  const written = new Map();
  for (const [position, cell] of cells.entries()) {
    const name = clean(cell);
    const column = columnNames.get(name.toLowerCase());
    if (!column) {
      if (name) ignored.push(name);
      continue;
    }
    if (index.has(column)) {
      return { error: { key: 'trainer.import.repeatedColumn', params: { column, names: `${written.get(column)}, ${name}` } } };
    }
    index.set(column, position);
    written.set(column, name);
  }
  const missing = [];
  for (const required of format.required) {
    const oneOf = Array.isArray(required) ? required : [required];
    const present = oneOf.filter((column) => index.has(column));
    if (present.length === 0) missing.push(oneOf.join(' / '));
    if (present.length > 1) return { error: { key: 'trainer.import.oneOfColumns', params: { columns: present.join(', ') } } };
  }
  if (missing.length > 0) return { error: { key: 'trainer.import.missingColumns', params: { columns: missing.join(', ') } } };
  return { index, ignored };
}

/** The code a value column's cell names, or a problem. */
function codeOf(column, value, problems) {
  const code = vocabularies[column].get(fold(value));
  if (code === undefined) {
    problems.push(value ? problem(column, 'trainer.import.unknownWord', { value, codes: codesOf(column).join(', ') }) : problem(column, 'trainer.import.noValue'));
  }
  return code;
}

/** Folded words that name a kind of place ("кенті", "район", "village"). */
const localityKinds = new Set(format.locality_kinds.map(fold));

/**
 * A locality's name (or a cell naming one) folded and without its kind words: "Нұра кенті"
 * and "посёлок Нура" give "нұра" and "нура"; "" when nothing else is left.
 */
export function shortLocalityName(name) {
  return fold(name).split(' ').filter((word) => word && !localityKinds.has(word)).join(' ');
}

/**
 * The localities a cell names: by KATO code, or by name in any language, or else by a short
 * name (the name without its kind words: "Нура" for "посёлок Нура").
 */
function localitiesNamed(localities, value) {
  const wanted = fold(value);
  const names = (l) => ['kk', 'ru', 'en'].map((lang) => l.name?.[lang]).filter(Boolean);
  const exact = localities.filter(
      (l) => (l.kato && fold(l.kato) === wanted) || names(l).some((name) => fold(name) === wanted));
  if (exact.length > 0) return exact;
  const short = shortLocalityName(value);
  return short ?
      localities.filter((l) => names(l).some((name) => shortLocalityName(name) === short)) :
      [];
}

/**
 * Reads a participants CSV file against the localities ([{id, kato, name: {kk, ru, en}}]):
 * {ignored: [column names not read], rows: [{line, values, locality, body, problems}]}, where
 * `body` is the batch row to send, null when a problem ([{field, key, params}]) rules it out; or
 * {error: {key, params}} when the file cannot be used.
 */
export function readParticipants(text, localities) {
  const all = records(String(text).replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
  if (all.length === 0) return { error: { key: 'trainer.import.noRows' } };
  const header = readHeader(all[0].cells);
  if (header.error) return { error: header.error };
  const data = all.slice(1);
  if (data.length === 0) return { error: { key: 'trainer.import.noRows' } };
  if (data.length > kMaxRows) return { error: { key: 'trainer.import.tooMany', params: { max: kMaxRows } } };
  const width = all[0].cells.length;
  const rows = data.map(({ cells, line }) => {
    const values = {};
    for (const [column, position] of header.index) values[column] = clean(cells[position]);
    const problems = [];
    const row = { line, values, locality: null, body: null, problems };
    if (cells.length !== width) {
      problems.push(problem('fields', 'trainer.import.fieldCount', { count: cells.length, expected: width }));
      return row;
    }
    const body = { full_name: values.full_name };
    if (!values.full_name) problems.push(problem('full_name', 'trainer.import.noValue'));
    body.gender = codeOf('gender', values.gender, problems);
    if (/^[0-9]{4}$/.test(values.birth_year)) body.birth_year = Number(values.birth_year);
    else problems.push(values.birth_year ? problem('birth_year', 'trainer.err.birth_year') : problem('birth_year', 'trainer.import.noValue'));
    if (header.index.has('locality')) {
      const found = values.locality ? localitiesNamed(localities, values.locality) : [];
      if (!values.locality) problems.push(problem('locality', 'trainer.import.noLocality'));
      else if (found.length === 0) problems.push(problem('locality', 'trainer.import.unknownLocality', { name: values.locality }));
      else if (found.length > 1) problems.push(problem('locality', 'trainer.import.ambiguousLocality', { name: values.locality }));
      else row.locality = found[0];
    } else {
      const found = /^[0-9]+$/.test(values.locality_id) ? localities.find((l) => l.id === Number(values.locality_id)) : undefined;
      if (!values.locality_id) problems.push(problem('locality_id', 'trainer.import.noLocality'));
      else if (!found) problems.push(problem('locality_id', 'trainer.import.unknownLocalityId', { id: values.locality_id }));
      else row.locality = found;
    }
    body.locality_id = row.locality?.id;
    body.affiliation = codeOf('affiliation', values.affiliation, problems);
    const groups = (values.vulnerable ?? '').split(listSeparator).map(clean).filter(Boolean);
    const unknown = groups.filter((group) => !vocabularies.vulnerable.has(fold(group)));
    if (unknown.length > 0) {
      problems.push(problem('vulnerable', 'trainer.import.unknownWord', { value: unknown.join(', '), codes: codesOf('vulnerable').join(', ') }));
    }
    body.vulnerable = [...new Set(groups.map((group) => vocabularies.vulnerable.get(fold(group))))].filter(Boolean);
    body.phone = values.phone || null;
    body.email = values.email || null;
    const consent = vocabularies.consent.get(fold(values.consent));
    if (consent === 'no') problems.push(problem('consent', 'trainer.err.consent'));
    else if (consent !== 'yes') problems.push(problem('consent', 'trainer.import.consentWord'));
    body.consent = consent === 'yes';
    if (problems.length === 0) row.body = body;
    return row;
  });
  return { ignored: header.ignored, rows };
}
