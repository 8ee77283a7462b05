// The administrator's dashboard on the demo data: trained 60 / 50 / 8 per track in Kazakh, Russian
// and English (the numbers checked against the server's own answer too), filters kept in the URL,
// the CSV export of the same view, and a trainer kept out of it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { apiAs, chooseLanguage, languages, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

let service;
let browser;

const desktop = { width: 1280, height: 900 };
const demoTrained = { inclusive_planning: 60, entrepreneurship: 50, study_visit: 8 };
/** The page's heading and the track names, as a reader of each language sees them. */
const words = {
  kk: {
    heading: 'Бағдарлама көрсеткіштері',
    tracks: { inclusive_planning: 'Инклюзивті жоспарлау', entrepreneurship: 'Кәсіпкерлік', study_visit: 'Тағылымдама' },
    trainedOf: (actual, target) => new RegExp(`${target} ішінен ${actual} · 100\\s?%`),
  },
  ru: {
    heading: 'Показатели программы',
    tracks: { inclusive_planning: 'Инклюзивное планирование', entrepreneurship: 'Предпринимательство', study_visit: 'Учебный визит' },
    trainedOf: (actual, target) => new RegExp(`${actual} из ${target} · 100\\s?%`),
  },
  en: {
    heading: 'Programme totals',
    tracks: { inclusive_planning: 'Inclusive planning', entrepreneurship: 'Entrepreneurship', study_visit: 'Study visit' },
    trainedOf: (actual, target) => new RegExp(`${actual} of ${target} · 100\\s?%`),
  },
};

before(async () => {
  service = await startService({ prefix: 'admin' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** The dashboard, signed in as the administrator, once its figures are drawn. */
async function openDashboard({ viewport = desktop, lang = 'kk', search = '' } = {}) {
  const page = await newPage(browser, { viewport, locale: { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[lang] });
  await signIn(page, service, 'admin');
  await page.goto(`${service.url}/app/dashboard${search}`);
  // The account remembers the last language chosen (by an earlier test too): choose it here.
  await chooseLanguage(page, lang);
  await page.locator('.targets').waitFor();
  await page.locator('figure[data-breakdown="vulnerable_group"] canvas').waitFor();
  // The language chosen holds even when the account's remembered one arrives after the choice.
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  return page;
}

/** The trained column of the track table under the chart: {track key: number}. */
async function trainedByTrack(page) {
  const rows = page.locator('figure[data-breakdown="track"] tbody tr');
  const found = {};
  for (const row of await rows.all()) {
    const cell = await row.locator('td[data-measure="trained"]').innerText();
    found[await row.getAttribute('data-key')] = Number(cell.replace(/\D/g, ''));
  }
  return found;
}

test('the dashboard shows trained 60 / 50 / 8 by track on the demo data, in kk, ru and en', async () => {
  // What the server itself says, so the page is checked against it and against the demo's figures.
  const admin = await apiAs(service, 'admin');
  const answer = await admin.get('/totals?programme=LSG-EKZ&by=track');
  assert.equal(answer.status, 200);
  const fromServer = Object.fromEntries(answer.json.margins[0].map((cell) => [cell.keys[0], cell.measures.trained]));
  assert.deepEqual(fromServer, demoTrained);

  const page = await openDashboard({ lang: 'kk' });
  // The numbers table of the track chart, opened the way a keyboard or screen reader user would.
  await page.locator('figure[data-breakdown="track"] summary').click();
  for (const lang of languages) {
    await chooseLanguage(page, lang);
    const { heading, tracks, trainedOf } = words[lang];
    assert.equal(await page.locator('h1').innerText(), heading);
    assert.equal(await page.title(), `${heading} · Qatysu`);
    assert.deepEqual(await trainedByTrack(page), demoTrained);
    for (const [track, trained] of Object.entries(demoTrained)) {
      const row = page.locator(`figure[data-breakdown="track"] tbody tr[data-key="${track}"]`);
      assert.equal(await row.locator('th').innerText(), tracks[track]);
      assert.ok(await row.isVisible(), `${lang}: the ${track} row is not visible`);
      // The target of each track with its progress in words.
      const target = page.locator(`.target[data-track="${track}"]`);
      assert.match(await target.innerText(), new RegExp(tracks[track]));
      assert.match(await target.innerText(), trainedOf(trained, trained));
      assert.equal(await target.locator('progress').getAttribute('value'), String(trained));
    }
    // Every chart is a labelled image with a table of its numbers; vulnerable groups say they overlap.
    assert.equal(await page.locator('figure.chart-card canvas[role="img"][aria-label]').count(), 5);
    assert.equal(await page.locator('figure.chart-card details table').count(), 5);
    assert.equal(await page.locator('figure[data-breakdown="vulnerable_group"] .chart-note').count(), 1);
    // The headline: as many people trained as the server counts in all.
    const headline = await page.locator('.stat[data-measure="trained"] .stat-value').innerText();
    assert.equal(Number(headline.replace(/\D/g, '')), answer.json.total.trained);
    // Exports in the language being read.
    const csv = await page.locator('a[data-format="csv"]').getAttribute('href');
    assert.match(csv, new RegExp(`[?&]lang=${lang}(&|$)`));
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `admin-dashboard-${lang}`);
  }
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('on a phone the dashboard reads in one column', async () => {
  const page = await openDashboard({ viewport: { width: 360, height: 740 }, lang: 'ru' });
  assert.equal(await page.locator('h1').innerText(), words.ru.heading);
  // Nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await screenshot(page, 'admin-dashboard-phone-ru');
  await page.context().close();
});

test('the filters are kept in the URL and a shared link shows the same view', async () => {
  const page = await openDashboard({ lang: 'en' });
  await page.getByLabel('Track', { exact: true }).selectOption('entrepreneurship');
  await page.getByLabel('Period from').fill('2017-02-01');
  await page.getByLabel('Period to').fill('2020-01-31');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL((url) => url.searchParams.get('track') === 'entrepreneurship');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('programme'), 'LSG-EKZ');
  assert.equal(url.searchParams.get('from'), '2017-02-01');
  assert.equal(url.searchParams.get('to'), '2020-01-31');
  const trained = page.locator('.stat[data-measure="trained"] .stat-value');
  await page.waitForFunction(() => document.querySelector('.stat[data-measure="trained"] .stat-value')?.textContent === '50');
  assert.equal(await page.locator('.scope').innerText(), [
    'Active participation of local stakeholders in East and Central Kazakhstan',
    'Period: 1 Feb 2017 – 31 Jan 2020',
    'Track: Entrepreneurship',
  ].join('\n'));
  assert.equal(await page.locator('.target').count(), 1);
  assert.match(await page.locator('.target').innerText(), /50 of 50 · 100%/);
  assert.match(await page.locator('a[data-format="csv"]').getAttribute('href'), /[?&]track=entrepreneurship(&|$)/);

  // The same link in a fresh browser opens the same view.
  const shared = await newPage(browser, { viewport: desktop, locale: 'en-GB' });
  await signIn(shared, service, 'admin');
  await shared.goto(url.href);
  await chooseLanguage(shared, 'en');
  await shared.locator('.targets').waitFor();
  assert.equal(await shared.locator('.stat[data-measure="trained"] .stat-value').innerText(), await trained.innerText());
  assert.equal(await shared.getByLabel('Track', { exact: true }).inputValue(), 'entrepreneurship');
  assert.equal(await shared.getByLabel('Period from').inputValue(), '2017-02-01');

  // A period that ends before it starts is refused on the page, before any request.
  await shared.getByLabel('Period to').fill('2017-01-01');
  await shared.getByRole('button', { name: 'Show' }).click();
  await shared.getByText('The end of the period cannot be before its start.').waitFor();
  assert.equal(new URL(shared.url()).searchParams.get('to'), '2020-01-31');
  await shared.context().close();
  await page.context().close();
});

test('a period with nobody in it says so, and an unknown programme in a link is not found', async () => {
  const page = await openDashboard({ lang: 'en' });
  await page.goto(`${service.url}/app/dashboard?programme=LSG-EKZ&from=2030-01-01&to=2030-12-31`);
  await page.getByText('Nobody was enrolled in the chosen period and track.').waitFor();
  assert.equal(await page.locator('canvas, .targets').count(), 0);
  assert.match(await page.locator('a[data-format="csv"]').getAttribute('href'), /from=2030-01-01&to=2030-12-31/);

  await page.goto(`${service.url}/app/dashboard?programme=NO-SUCH-PROGRAMME`);
  await page.getByRole('alert').filter({ hasText: 'Not found' }).waitFor();
  assert.equal(await page.locator('.stats').count(), 0);
  await page.context().close();
});

test('the CSV export downloads the same figures in the language being read', async () => {
  const page = await openDashboard({ lang: 'ru' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="csv"]').click()]);
  assert.match(download.suggestedFilename(), /^totals_LSG-EKZ_.*\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  for (const [track, trained] of Object.entries(demoTrained)) {
    const line = text.split(/\r?\n/).find((l) => l.includes(words.ru.tracks[track]));
    assert.ok(line, `no row for ${track} in:\n${text}`);
    // A Russian CSV separates its fields with ';' (and has decimal commas), as a spreadsheet set to Russian reads it.
    assert.ok(line.split(';').includes(String(trained)), `${track}: no ${trained} in "${line}"`);
  }
  // The workbook and the PDF of the same view answer what they say they are.
  for (const [format, type, magic] of [
    ['xlsx', /spreadsheetml/, 'PK'],
    ['pdf', /^application\/pdf/, '%PDF'],
  ]) {
    const link = page.locator(`a[data-format="${format}"]`);
    assert.equal(await link.getAttribute('download'), '');
    const href = await link.getAttribute('href');
    assert.match(href, /[?&]programme=LSG-EKZ(&|$)/);
    assert.match(href, /[?&]lang=ru(&|$)/);
    const got = await page.evaluate(
      async ({ url, length }) => {
        const answer = await fetch(url);
        const bytes = new Uint8Array(await answer.arrayBuffer());
        return { status: answer.status, type: answer.headers.get('Content-Type'), head: String.fromCharCode(...bytes.slice(0, length)) };
      },
      { url: href, length: magic.length },
    );
    assert.equal(got.status, 200, `${format}: ${JSON.stringify(got)}`);
    assert.match(got.type, type);
    assert.equal(got.head, magic);
  }
  await page.context().close();
});

test('a trainer does not get the dashboard, and the totals API counts only their cohorts', async () => {
  const page = await newPage(browser, { viewport: desktop, locale: 'en-GB' });
  await signIn(page, service, 'trainer.glubokoe');
  await page.goto(`${service.url}/app/dashboard`);
  await page.locator('h1').filter({ hasText: 'Page not found' }).waitFor();
  assert.equal(await page.locator('.stats, .targets, canvas').count(), 0);
  assert.equal(await page.locator('nav a[href="/app/dashboard"]').count(), 0);
  await page.context().close();

  const trainer = await apiAs(service, 'trainer.glubokoe');
  const admin = await apiAs(service, 'admin');
  const mine = await trainer.get('/totals?programme=LSG-EKZ&by=cohort');
  const all = await admin.get('/totals?programme=LSG-EKZ&by=cohort');
  assert.equal(mine.status, 200);
  const ownCohorts = new Set((await trainer.get('/cohorts')).json.items.map((cohort) => String(cohort.id)));
  const counted = mine.json.margins[0].map((cell) => cell.keys[0]);
  assert.ok(counted.length > 0);
  assert.ok(counted.every((id) => ownCohorts.has(id)), `counted ${counted} but teaches ${[...ownCohorts]}`);
  assert.ok(counted.length < all.json.margins[0].length);
  assert.ok(mine.json.total.trained < all.json.total.trained);
  assert.deepEqual(mine.json.targets, []);
});
