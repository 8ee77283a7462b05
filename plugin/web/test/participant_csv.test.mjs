// The import page's reading of a participants CSV file (docs/CSV_IMPORT.md): the shared example
// tests/data/participants_csv/sample.csv gives what expected.json says, and separators, header
// and rows follow the specification.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

// papaparse is installed where the web app is built (CMake passes QATYSU_WEB_MODULES), or by
// `npm ci` in plugin/web: the page's module imports it by its bare name.
const modules = process.env.QATYSU_WEB_MODULES || join(here, '..', 'node_modules');
assert.ok(existsSync(join(modules, 'papaparse')), `no papaparse in ${modules}: build the web app or set QATYSU_WEB_MODULES`);
const papaparse = pathToFileURL(createRequire(join(modules, 'noop.js')).resolve('papaparse')).href;
const hooks = `export async function resolve(specifier, context, next) {
  return specifier === 'papaparse' ? { url: ${JSON.stringify(papaparse)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const { fold, localityCells, readParticipants: readWith, separatorOf } = await import('../src/pages/trainer/participant_csv.js');
const messages = (await import('../src/pages/trainer/messages.js')).default;
const format = JSON.parse(readFileSync(join(root, 'plugin', 'import', 'participants_csv.json'), 'utf8'));

const data = join(root, 'tests', 'data', 'participants_csv');
const sample = readFileSync(join(data, 'sample.csv'), 'utf8');
const expected = JSON.parse(readFileSync(join(data, 'expected.json'), 'utf8'));
const localities = expected.localities;
// What the service answers for each locality cell (GET /localities?name=; the command line's test
// checks these answers against the rule itself).
const named = new Map(Object.entries(expected.locality_cells).map(([cell, ids]) => [cell, ids.map((id) => localities.find((l) => l.id === id))]));
const readParticipants = (text, list) => readWith(text, list, named);

const header = 'full_name,gender,birth_year,locality,affiliation,vulnerable,phone,email,consent';
const fieldsOf = (row) => row.problems.map((p) => p.field).sort();

/** Every message key in an answer has a text in each language. */
function assertTexts(answer) {
  const keys = answer.error ? [answer.error.key] : answer.rows.flatMap((row) => row.problems.map((p) => p.key));
  for (const key of keys) for (const lang of ['kk', 'ru', 'en']) assert.equal(typeof messages[lang][key], 'string', `${lang} has no "${key}"`);
}

test('sample.csv gives what expected.json says', () => {
  const answer = readParticipants(sample, localities);
  assert.equal(answer.error, undefined);
  assert.deepEqual(answer.ignored, expected.ignored_columns);
  assert.deepEqual(
    answer.rows.map((row) => row.line),
    expected.rows.map((row) => row.line),
  );
  for (const want of expected.rows) {
    const row = answer.rows.find((r) => r.line === want.line);
    if (want.person) {
      assert.deepEqual(row.problems, [], `line ${want.line}`);
      const body = Object.fromEntries(Object.keys(want.person).map((field) => [field, row.body[field]]));
      assert.deepEqual(body, want.person, `line ${want.line}`);
      assert.equal(row.locality.id, want.person.locality_id);
    } else {
      assert.equal(row.body, null, `line ${want.line}`);
      assert.deepEqual(fieldsOf(row), [...want.problems].sort(), `line ${want.line}`);
    }
  }
  assertTexts(answer);
});

test('a comma file with a byte order mark and CRLF, quoted fields and headers in any case', () => {
  const csv = [
    ' Full_Name , GENDER,birth_year,Kato,affiliation,vulnerable,phone,email,consent',
    '"Қасымова, Әлия",Ж,1990,354000000,ИП,"Молодёжь; пенсионер",,,Иә',
    'Дина Омарова,w,1999,Izendi,акимат,мүгедектігі бар|single parent,+7 701,,✓',
  ].join('\r\n');
  const answer = readParticipants(`\uFEFF${csv}\r\n`, localities);
  assert.deepEqual(answer.ignored, []);
  assert.deepEqual(
    answer.rows.map((row) => row.body),
    [
      { full_name: 'Қасымова, Әлия', gender: 'female', birth_year: 1990, locality_id: 7, affiliation: 'entrepreneur', vulnerable: ['youth', 'pensioner'], phone: null, email: null, consent: true },
      { full_name: 'Дина Омарова', gender: 'female', birth_year: 1999, locality_id: 7, affiliation: 'local_government', vulnerable: ['disability', 'single_parent'], phone: '+7 701', email: null, consent: true },
    ],
  );
});

test('a tab file, and a locality_id column instead of locality', () => {
  const csv = [
    'full_name\tgender\tbirth_year\tlocality_id\taffiliation\tvulnerable\tconsent',
    'Ержан Әбдіқадыр-Оғлы\tm\t1984\t8\tother\t\tyes',
    'Қанат Серікұлы\tер\t2001\t99\tother\t\tyes',
  ].join('\n');
  assert.equal(separatorOf(csv), '\t');
  const [good, bad] = readParticipants(csv, localities).rows;
  assert.deepEqual(good.body, { full_name: 'Ержан Әбдіқадыр-Оғлы', gender: 'male', birth_year: 1984, locality_id: 8, affiliation: 'other', vulnerable: [], phone: null, email: null, consent: true });
  assert.deepEqual(fieldsOf(bad), ['locality_id']);
  assert.equal(bad.body, null);
});

test('the separator is the one found most often in the header row outside quotes, a comma when none', () => {
  assert.equal(separatorOf('"a,b,c";d;e\nx,y,z,w,v,u'), ';');
  assert.equal(separatorOf('\n\nfull_name;gender,x;y'), ';');
  assert.equal(separatorOf(',,,\n"";\t\nfull_name;gender'), ';');
  assert.equal(separatorOf('full_name'), ',');
  assert.equal(separatorOf('a\tb,c'), ',');
});

test('a column named twice, also under its other name, is an error', () => {
  for (const first of ['locality,kato', 'locality_kato,Locality', 'consent,Consent']) {
    const answer = readParticipants(`full_name,gender,birth_year,affiliation,consent,${first}\nx,f,1990,other,yes,1,1\n`, localities);
    assert.equal(answer.error.key, 'trainer.import.repeatedColumn', first);
    assertTexts(answer);
  }
});

test('missing columns are an error, and so are both locality and locality_id', () => {
  const noConsent = readParticipants('full_name,gender,birth_year,locality,affiliation\nx,f,1990,Izendi,other\n', localities);
  assert.deepEqual(noConsent.error, { key: 'trainer.import.missingColumns', params: { columns: 'consent' } });
  const noPlace = readParticipants('full_name,gender,birth_year,affiliation,consent\nx,f,1990,other,yes\n', localities);
  assert.deepEqual(noPlace.error, { key: 'trainer.import.missingColumns', params: { columns: 'locality / locality_id' } });
  const both = readParticipants(`${header},locality_id\nx,f,1990,Izendi,other,,,,yes,7\n`, localities);
  assert.equal(both.error.key, 'trainer.import.oneOfColumns');
  for (const answer of [noConsent, both]) assertTexts(answer);
});

test('a row of another length is a "fields" problem; empty rows are skipped; lines are counted as in the file', () => {
  const csv = `${header}\n"Әлия\nҚасымова",f,1990,Izendi,other,,,,yes\n\n,,,,,,,,\nx,f,1990\nНұра,ер,1984,354000000,other,,,,yes,extra\nДина,f,1999,Izendi,other,,,,да\n`;
  const { rows } = readParticipants(csv, localities);
  assert.deepEqual(
    rows.map((row) => [row.line, fieldsOf(row)]),
    [
      [2, []],
      [6, ['fields']],
      [7, ['fields']],
      [8, []],
    ],
  );
  assert.equal(rows[0].body.full_name, 'Әлия\nҚасымова');
});

test('values not in the vocabulary, a no or no consent, and a bad year are problems of their column', () => {
  const rows = [
    ['x', 'female', '1990', 'Izendi', 'other', '', '', '', 'no'],
    ['x', 'female', '1990', 'Izendi', 'other', '', '', '', ''],
    ['x', 'female', '1990', 'Izendi', 'other', '', '', '', 'maybe'],
    ['x', '', '90', '', '', 'youth;someone', '', '', 'yes'],
    ['', 'undisclosed', '1990', 'Нұра', 'other', '', '', '', '-'],
  ];
  const answer = readParticipants([header, ...rows.map((r) => r.join(','))].join('\n'), localities);
  assert.deepEqual(
    answer.rows.map(fieldsOf),
    [['consent'], ['consent'], ['consent'], ['affiliation', 'birth_year', 'gender', 'locality', 'vulnerable'], ['consent', 'full_name', 'locality']],
  );
  assert.ok(answer.rows.every((row) => row.body === null));
  assertTexts(answer);
});

test('words are compared folded: NFC, case, ё as е, apostrophes, dashes, spaces', () => {
  assert.equal(fold('  ЖЕН '), 'жен');
  assert.equal(fold('Молодёжь'), 'молодежь');
  assert.equal(fold('Ізенді'.normalize('NFD')), 'ізенді');
  assert.equal(fold('O’Neil  Ата—ана'), 'oneil ата-ана');
  const csv = `${header}\nx,Е Р  А Д А М,1990,IZENDI,Жеке  кәсіпкер,жалғызбасты ата–ана,,,ИӘ\nx,ер адам,1990,ізенді,үеұ,,,,Д`;
  const [spaced, plain] = readParticipants(csv, localities).rows;
  assert.deepEqual(fieldsOf(spaced), ['gender']);
  assert.deepEqual([plain.body.gender, plain.body.affiliation, plain.body.consent], ['male', 'civil_society', true]);
});

test('no word of the format names two values of a column once folded', () => {
  for (const [column, codes] of Object.entries(format.values)) {
    const seen = new Map();
    for (const [code, words] of Object.entries(codes)) {
      for (const word of [code, ...words]) {
        const folded = fold(word);
        assert.ok(!seen.has(folded) || seen.get(folded) === code, `${column}: "${word}" is ${seen.get(folded)} and ${code}`);
        seen.set(folded, code);
      }
    }
  }
});

test("a locality cell names what the service answered for it: one place, none, or several", () => {
  const csv = (places) => [header, ...places.map((place) => `Талғат Ахметов,ер,1979,${place},other,,,,иә`)].join('\n');
  const places = ['Нура кенти', 'Караганды облысы', 'Нұра', 'Неизвестно', 'Ізенди ауылдык округи', 'Нура кенти'];
  // Each cell once, as written: what the page asks the service about.
  assert.deepEqual(localityCells(readWith(csv(places), localities)), ['Нура кенти', 'Караганды облысы', 'Нұра', 'Неизвестно', 'Ізенди ауылдык округи']);
  const rows = readParticipants(csv(places), localities).rows;
  assert.deepEqual(
    rows.map((row) => row.locality?.id ?? row.problems.map((p) => p.key).join()),
    [9, 1, 'trainer.import.ambiguousLocality', 'trainer.import.unknownLocality', 7, 9],
  );
  // Without the service's answer a cell names nothing: it is never guessed here.
  assert.deepEqual(fieldsOf(readWith(csv(['Нура кенти']), localities).rows[0]), ['locality']);
});
