// The trainer's pages on a 360 × 740 phone: the cohorts list, a cohort, registering a participant
// with a Kazakh name (stored byte for byte) and the duplicate warning when the same person comes
// again, a CSV import with a per-row report, another trainer's cohort as not found, and
// screenshots of each page in kk, ru and en.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allLocalities, apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

let service;
let browser;
let nura; // API client of trainer.nura
let cohort; // an inclusive-planning cohort of trainer.nura
let otherCohort; // a cohort of trainer.glubokoe that trainer.nura does not teach
let nuraSettlement; // the locality "Нұра кенті"
let courseTitles; // course id → {kk, ru, en}

async function enrolmentsNamed(cohortId, name) {
  const answer = await nura.get(`/cohorts/${cohortId}/enrolments`);
  assert.equal(answer.status, 200);
  return answer.json.items.filter((e) => e.participant_name === name);
}

before(async () => {
  service = await startService({ prefix: 'trainer' });
  browser = await launchBrowser();
  nura = await apiAs(service, 'trainer.nura');
  const glubokoe = await apiAs(service, 'trainer.glubokoe');
  const courses = (await nura.get('/courses')).json.items;
  courseTitles = new Map(courses.map((c) => [c.id, c.title]));
  const planning = courses.find((c) => c.track === 'inclusive_planning');
  nuraSettlement = (await allLocalities(nura)).find((l) => l.name.kk === 'Нұра кенті');
  assert.ok(nuraSettlement, 'the demo has no Нұра кенті');
  const mine = (await nura.get('/cohorts')).json.items;
  cohort = mine.find((c) => c.course_id === planning.id && c.locality_id === nuraSettlement.id) || mine.find((c) => c.course_id === planning.id);
  assert.ok(cohort, 'trainer.nura has no inclusive-planning cohort');
  const mineIds = new Set(mine.map((c) => c.id));
  otherCohort = (await glubokoe.get('/cohorts')).json.items.find((c) => !mineIds.has(c.id));
  assert.ok(otherCohort, 'trainer.glubokoe has no cohort of their own');
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** Fills the register form (the page must be open) with one person. */
async function fillPerson(page, { name, gender, year, locality, affiliation, groups = [], search = null }) {
  await page.locator('input[name="full_name"]').fill(name);
  await page.locator('select[name="gender"]').selectOption(gender);
  await page.locator('input[name="birth_year"]').fill(String(year));
  if (search) {
    // A search that finds one place chooses it.
    await page.locator('input[name="locality_search"]').fill(search);
    assert.equal(await page.locator('select[name="locality_id"]').inputValue(), String(locality));
  } else {
    await page.locator('select[name="locality_id"]').selectOption(String(locality));
  }
  await page.locator('select[name="affiliation"]').selectOption(affiliation);
  for (const group of groups) await page.locator(`input[name="vulnerable"][value="${group}"]`).check();
  await page.locator('input[name="consent"]').check();
}

test('a trainer registers a participant with a Kazakh name, stored exactly, and is warned when the same person comes again', async () => {
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await signIn(page, service, 'trainer.nura');
  await page.waitForURL(/\/app\/cohorts$/);
  await page.locator(`a[href="/app/cohorts/${cohort.id}"]`).click();
  await page.locator('h1', { hasText: courseTitles.get(cohort.course_id).kk }).waitFor();
  await page.locator(`a[href="/app/cohorts/${cohort.id}/register"]`).click();
  await page.locator('input[name="full_name"]').waitFor();

  const name = 'Әлия Қасымова';
  const person = { name, gender: 'female', year: 1990, locality: nuraSettlement.id, affiliation: 'community_member', groups: ['mother_of_many_children'] };
  await fillPerson(page, person);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.register-done', { hasText: `${name} осы топқа қосылды.` }).waitFor();

  // The server holds the name byte for byte, once, with what was chosen.
  const enrolled = await enrolmentsNamed(cohort.id, name);
  assert.equal(enrolled.length, 1);
  const stored = (await nura.get(`/participants/${enrolled[0].participant_id}`)).json;
  assert.deepEqual(Buffer.from(stored.full_name, 'utf8'), Buffer.from(name, 'utf8'));
  assert.equal(stored.birth_year, 1990);
  assert.equal(stored.locality_id, nuraSettlement.id);
  assert.deepEqual(stored.vulnerable, ['mother_of_many_children']);
  assert.equal(stored.consent, true);

  // The same person again: a warning that names the person already registered.
  await page.locator('button', { hasText: 'Тағы біреуін тіркеу' }).click();
  await fillPerson(page, { ...person, groups: [], search: 'посёлок нура' });
  await page.locator('form button[type="submit"]').click();
  const warning = page.locator('.duplicate-warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), /Әлия Қасымова, 1990, Нұра кенті — сол адам ба\?/);
  await screenshot(page, 'trainer-duplicate-kk');

  // "Yes, this person": the one already registered, still enrolled once, and no second person.
  await warning.locator('button', { hasText: 'Иә, осы адамды топқа қосу' }).click();
  await page.locator('.register-done', { hasText: `${name} бұл топта бұрыннан бар.` }).waitFor();
  assert.equal((await enrolmentsNamed(cohort.id, name)).length, 1);
  const found = (await nura.get(`/participants?q=${encodeURIComponent('Қасымова')}`)).json.items;
  assert.equal(found.filter((p) => p.full_name === name).length, 1);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('a form left empty or refused by the server is answered field by field, and nothing is stored', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'ru');
  const before = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items.length;
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  await page.locator('select[name="locality_id"]').waitFor();
  await page.locator('form button[type="submit"]').click();
  for (const [field, text] of [
    ['full_name', 'Введите полное имя'],
    ['gender', 'Выберите пол.'],
    ['birth_year', 'Проверьте год рождения'],
    ['locality_id', 'Выберите место жительства.'],
    ['affiliation', 'Выберите сферу.'],
  ]) {
    const control = page.locator(`[name="${field}"]`);
    await page.locator(`.field-error:has([name="${field}"]) .error-text`, { hasText: text }).waitFor();
    assert.equal(await control.getAttribute('aria-invalid'), 'true');
  }
  await page.locator('.field-error .error-text', { hasText: 'Без согласия регистрировать нельзя.' }).waitFor();

  // The server's own refusal (a letter the certificate font cannot print) lands on its field.
  await fillPerson(page, { name: 'Әлия 李', gender: 'female', year: 1990, locality: nuraSettlement.id, affiliation: 'other' });
  await page.locator('form button[type="submit"]').click();
  await page.locator('.field-error:has([name="full_name"]) .error-text', { hasText: 'Введите полное имя' }).waitFor();
  assert.equal(await page.locator('.field-error').count(), 1);
  assert.equal((await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items.length, before);
  await page.context().close();
});

test('an enrolment whose answer is lost on the way is sent again with the same key and enrols once', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  await page.locator('select[name="locality_id"]').waitFor();
  // The first enrolment reaches the server, but its answer never comes back.
  const keys = [];
  let lost = false;
  await page.route('**/api/v1/cohorts/*/enrolments', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    return route.abort('connectionreset');
  });
  const name = "Д'Артаньян Серік-Оғлы";
  await fillPerson(page, { name, gender: 'male', year: 1979, locality: nuraSettlement.id, affiliation: 'civil_society' });
  await page.locator('form button[type="submit"]').click();
  await page.getByText(`${name} is registered but not yet enrolled in the cohort. Try again.`).waitFor();
  assert.equal((await enrolmentsNamed(cohort.id, name)).length, 1);
  await page.locator('form button[type="submit"]', { hasText: 'Try again' }).click();
  await page.locator('.register-done', { hasText: name }).waitFor();
  assert.equal(keys.length, 2);
  assert.match(keys[0], /^[0-9a-f]{32}$/);
  assert.equal(keys[1], keys[0]);
  assert.equal((await enrolmentsNamed(cohort.id, name)).length, 1);
  // One person, registered once.
  const found = (await nura.get(`/participants?q=${encodeURIComponent('Артаньян')}`)).json.items;
  assert.equal(found.filter((p) => p.full_name === name).length, 1);
  await page.context().close();
});

test('a CSV import with one good and one bad row reports each row and enrols only the good one', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/import`);
  await page.locator('textarea[name="csv_text"]').waitFor();
  await chooseLanguage(page, 'en');

  const good = 'Ғалымжан Өтегенұлы';
  const bad = 'Бақыт Ілиясова';
  const csv = [
    'full_name,gender,birth_year,locality,phone,email,affiliation,vulnerable,consent',
    `${good},male,1985,Нұра кенті,,,entrepreneur,unemployed,yes`,
    `${bad},female,1850,посёлок Нура,,,community_member,,yes`,
  ].join('\n');
  // The template offered holds the documented columns.
  const template = await page.locator('a[download="qatysu-participants.csv"]').getAttribute('href');
  const templateText = decodeURIComponent(template.slice(template.indexOf(',') + 1)).replace(/^\uFEFF/, '');
  assert.equal(templateText.split(/\r?\n/)[0], csv.split('\n')[0]);

  // A file as a spreadsheet saves it (UTF-8 with a byte-order mark, CRLF) is read when chosen.
  await page.locator('input[name="csv_file"]').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${csv.replaceAll('\n', '\r\n')}\r\n`, 'utf8'),
  });
  await page.getByText('people.csv').waitFor();
  await page.locator('.import-row[data-line="3"]').waitFor();
  assert.equal(await page.locator('.import-row').count(), 2);

  // A dry run first: the report, and nothing on the server yet.
  await page.locator('button', { hasText: 'Check (nothing is saved yet)' }).click();
  await page.locator('.import-summary').waitFor();
  await page.locator('.import-row[data-line="2"] .status-enrolled', { hasText: 'ready to enrol' }).waitFor();
  await page.locator('.import-row[data-line="3"] .status-invalid').waitFor();
  assert.equal((await enrolmentsNamed(cohort.id, good)).length, 0);

  await page.locator('button', { hasText: 'Import and enrol' }).click();
  await page.locator('.import-summary', { hasText: 'Enrolled: 1. Not enrolled: 1.' }).waitFor();
  await page.locator('.import-row[data-line="2"] .status-enrolled', { hasText: 'enrolled' }).waitFor();
  const badRow = page.locator('.import-row[data-line="3"]');
  assert.match(await badRow.innerText(), /error/);
  assert.match(await badRow.innerText(), /birth_year/);
  await screenshot(page, 'trainer-import-report-en');

  // Only the good row is on the server.
  const enrolled = await enrolmentsNamed(cohort.id, good);
  assert.equal(enrolled.length, 1);
  const stored = (await nura.get(`/participants/${enrolled[0].participant_id}`)).json;
  assert.deepEqual(Buffer.from(stored.full_name, 'utf8'), Buffer.from(good, 'utf8'));
  assert.equal(stored.locality_id, nuraSettlement.id);
  assert.deepEqual(stored.vulnerable, ['unemployed']);
  assert.equal((await enrolmentsNamed(cohort.id, bad)).length, 0);
  const search = (await nura.get(`/participants?q=${encodeURIComponent('Ілиясова')}`)).json.items;
  assert.equal(search.length, 0);
  await page.context().close();
});

test('a semicolon file as Excel in Russian saves it: ignored columns named, bad values and a "no" found before sending', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'ru');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/import`);
  const csv = [
    '№;ФИО;full_name;Gender;birth_year;KATO;affiliation;consent',
    `1;;Айгүл Сапарова;ЖЕН;1991;${nuraSettlement.name.ru};ИП;нет`,
    '2;;Марат Жұмабаев;х;1987;Нұра кенті;someone;да',
  ].join('\n');
  await page.locator('textarea[name="csv_text"]').fill(csv);
  await page.locator('button', { hasText: 'Прочитать строки' }).click();
  await page.locator('.ignored-columns', { hasText: 'Эти столбцы не прочитаны: №, ФИО' }).waitFor();
  const refused = page.locator('.import-row[data-line="2"]');
  const unknown = page.locator('.import-row[data-line="3"]');
  assert.match(await refused.innerText(), /consent\s+Без согласия регистрировать нельзя/);
  assert.match(await unknown.innerText(), /gender\s+«х» не распознано/);
  assert.match(await unknown.innerText(), /affiliation\s+«someone» не распознано/);
  // Nothing to send: both rows were refused here.
  assert.equal(await page.locator('button', { hasText: 'Проверить' }).isDisabled(), true);
  await page.context().close();
});

test('CSV rows that look like people already registered are confirmed as the same person or as new ones', async () => {
  // Two people of another of the trainer's cohorts, not in this one (someone already in the
  // cohort is taken as the same row sent again, not asked about).
  const enrolments = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
  const here = new Set(enrolments.map((e) => e.participant_id));
  const elsewhere = [];
  for (const other of (await nura.get('/cohorts')).json.items.filter((c) => c.id !== cohort.id)) {
    for (const e of (await nura.get(`/cohorts/${other.id}/enrolments`)).json.items) {
      if (!here.has(e.participant_id) && !elsewhere.some((x) => x.participant_id === e.participant_id)) elsewhere.push(e);
    }
    if (elsewhere.length >= 2) break;
  }
  const [a, b] = await Promise.all(elsewhere.slice(0, 2).map(async (e) => (await nura.get(`/participants/${e.participant_id}`)).json));
  const localities = await allLocalities(nura);
  const place = (p) => localities.find((l) => l.id === p.locality_id);
  const row = (p) => [p.full_name, p.gender, p.birth_year, place(p).name.ru, '', '', p.affiliation, '', 'yes'].join(',');
  const csv = ['full_name,gender,birth_year,locality,phone,email,affiliation,vulnerable,consent', row(a), row(b)].join('\n');

  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/import`);
  await page.locator('textarea[name="csv_text"]').fill(csv);
  await page.locator('button', { hasText: 'Read the rows' }).click();
  await page.locator('button', { hasText: 'Check (nothing is saved yet)' }).click();
  const first = page.locator('.import-row[data-line="2"]');
  const second = page.locator('.import-row[data-line="3"]');
  await first.locator('.status-duplicate').waitFor();
  await second.locator('.status-duplicate').waitFor();
  assert.match(await first.innerText(), new RegExp(`${a.full_name}, ${a.birth_year}, ${place(a).name.en} — same person\\?`));

  await first.locator('button', { hasText: `The same person: enrol ${a.full_name}` }).click();
  await second.locator('button', { hasText: 'A different person: register as new' }).click();
  await page.locator('button', { hasText: 'Import and enrol' }).click();
  await page.locator('.import-summary', { hasText: 'Enrolled: 2. Not enrolled: 0.' }).waitFor();
  await first.locator('.status-enrolled').waitFor();
  await second.locator('.status-enrolled').waitFor();

  // The person confirmed is enrolled themselves; the other row is a new person of that name.
  const after = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
  assert.equal(after.length, enrolments.length + 2);
  assert.equal(after.filter((e) => e.participant_id === a.id).length, 1);
  assert.equal(after.filter((e) => e.participant_id === b.id).length, 0);
  const added = after.filter((e) => e.participant_name === b.full_name && !here.has(e.participant_id));
  assert.equal(added.length, 1);
  assert.notEqual(added[0].participant_id, b.id);
  await page.context().close();
});

test('on the cohort page a trainer adds a session, issues certificates and gives a learner an access code', async () => {
  const planning = (await nura.get(`/cohorts/${cohort.id}`)).json.course_id;
  const target = (await nura.get('/cohorts')).json.items.find((c) => c.id !== cohort.id && c.course_id === planning);
  assert.ok(target, 'trainer.nura has one inclusive-planning cohort only');
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/app/cohorts/${target.id}`);
  await page.locator('#sessions-heading .meta').waitFor();

  // A session: the time typed on the device is sent as UTC.
  const topic = 'Қорытынды кездесу';
  await page.locator('summary', { hasText: 'Add a session' }).click();
  await page.locator('input[name="starts_at"]').fill('2026-03-14T10:00');
  await page.locator('input[name="duration_minutes"]').fill('180');
  await page.locator('input[name="topic"]').fill(topic);
  await page.locator('button', { hasText: /^Add$/ }).click();
  // 2026 is after the demo cohort's dates: the page asks first.
  await page.locator('button', { hasText: 'Yes, add it on this date' }).click();
  await page.getByText('Session added.').waitFor();
  const expectedStart = await page.evaluate(() => new Date('2026-03-14T10:00').toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const sessions = (await nura.get(`/cohorts/${target.id}/sessions`)).json.items;
  const added = sessions.filter((s) => s.topic === topic);
  assert.equal(added.length, 1);
  assert.equal(added[0].starts_at, expectedStart);
  assert.equal(added[0].duration_minutes, 180);
  await page.locator(`a[href="/app/sessions/${added[0].id}?cohort=${target.id}"]`).waitFor();

  // Certificates: everyone who qualified holds a valid one afterwards; who did not is told why.
  const before = (await nura.get(`/cohorts/${target.id}/eligibility`)).json.items;
  // (Someone certified before the new session may fall below the rule now: they keep theirs.)
  const qualified = before.filter((row) => row.completed || row.certificate_id);
  const notQualified = before.filter((row) => !row.completed && !row.certificate_id);
  assert.ok(notQualified.length > 0, 'the demo cohort has nobody who did not qualify');
  await page.locator('button', { hasText: 'Issue certificates' }).click();
  const result = page.locator('.issue-result');
  await result.waitFor();
  assert.match(await result.innerText(), new RegExp(`${notQualified.length} (person|people) did not qualify`));
  for (const row of notQualified) {
    assert.match(await result.innerText(), new RegExp(`${row.participant_name}: Attended ${row.attended} of ${row.sessions_total} sessions, needs ${row.required}`));
  }
  const certificates = (await nura.get(`/cohorts/${target.id}/certificates`)).json.items.filter((c) => c.status === 'valid');
  assert.deepEqual(
    certificates.map((c) => c.enrolment_id).sort(),
    qualified.map((row) => row.enrolment_id).sort(),
  );
  const pdf = page.locator(`.certificate-list a[href="/api/v1/certificates/${certificates[0].id}/pdf"]`);
  assert.notEqual(await pdf.getAttribute('download'), null);

  // An access code, shown large, that signs the person in once.
  const person = qualified[0].participant_name;
  await page.getByRole('button', { name: `Access code: ${person}` }).click();
  const code = (await page.locator('.access-code').innerText()).trim();
  await page.locator('.access-code-card').scrollIntoViewIfNeeded();
  await screenshot(page, 'trainer-access-code-en');
  assert.match(code, /\S{6,}/);
  const redeem = await fetch(`${service.url}/api/v1/auth/code`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  assert.equal(redeem.status, 200);
  assert.equal((await redeem.json()).account.role, 'learner');
  await page.locator('button', { hasText: 'Done, close' }).click();
  assert.equal(await page.locator('.access-code').count(), 0);
  await page.context().close();
});

test("another trainer's cohort is not found, in the browser and through the API", async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'en');
  for (const suffix of ['', '/register', '/import']) {
    await page.goto(`${service.url}/app/cohorts/${otherCohort.id}${suffix}`);
    await page.locator('h1', { hasText: 'Page not found' }).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(otherCohort.place));
  }
  assert.equal((await nura.get(`/cohorts/${otherCohort.id}`)).status, 404);
  assert.equal((await nura.get(`/cohorts/${otherCohort.id}/enrolments`)).status, 404);
  assert.equal((await nura.get(`/cohorts/${otherCohort.id}/eligibility`)).status, 404);
  // And its own cohort is there (the check above is not just a broken page).
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  await page.locator('h1', { hasText: courseTitles.get(cohort.course_id).en }).waitFor();
  await page.context().close();
});

test('an administrator sees every cohort and opens any of them', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'admin');
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/app/cohorts`);
  await page.locator('h1', { hasText: 'All cohorts' }).waitFor();
  const all = (await (await apiAs(service, 'admin')).get('/cohorts')).json.items;
  await page.locator('.cohort-list > li').nth(all.length - 1).waitFor();
  assert.equal(await page.locator('.cohort-list > li').count(), all.length);
  await page.locator(`a[href="/app/cohorts/${otherCohort.id}"]`).click();
  await page.locator('h1', { hasText: courseTitles.get(otherCohort.course_id).en }).waitFor();
  await page.locator('#enrolments-heading .meta').waitFor();
  await page.context().close();
});

test('the cohorts list, a cohort, the register and import pages in kk, ru and en', async () => {
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await signIn(page, service, 'trainer.nura');
  const headings = { kk: 'Топтарым', ru: 'Мои группы', en: 'My cohorts' };
  for (const lang of ['kk', 'ru', 'en']) {
    await chooseLanguage(page, lang);
    await page.goto(`${service.url}/app/cohorts`);
    await page.locator('h1', { hasText: headings[lang] }).waitFor();
    await page.locator(`.cohort-list li:has(a[href="/app/cohorts/${cohort.id}"]) .meta`).nth(1).waitFor();
    await screenshot(page, `trainer-cohorts-${lang}`);

    await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
    await page.locator('h1', { hasText: courseTitles.get(cohort.course_id)[lang] }).waitFor();
    await page.locator('#enrolments-heading .meta').waitFor();
    await page.locator('#sessions-heading .meta').waitFor();
    await page.locator('ul.eligibility').waitFor();
    await screenshot(page, `trainer-cohort-${lang}`);

    await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
    await page.locator('select[name="locality_id"]').waitFor();
    await screenshot(page, `trainer-register-${lang}`);

    await page.goto(`${service.url}/app/cohorts/${cohort.id}/import`);
    await page.locator('textarea[name="csv_text"]').waitFor();
    await screenshot(page, `trainer-import-${lang}`);
  }
  // Nothing on the page is wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the import page is ${overflow} px wider than the screen`);
  await page.context().close();
});
