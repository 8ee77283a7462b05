// The same person typed another way, on a 360 × 740 phone: a trainer who registers
// 'Ахметов Талғат' and then 'Ахметов Талгат' (г typed for ғ), 'Талғат Ахметов' (given name first)
// and 'Talgat Akhmetov' (a passport's Latin) is asked the duplicate question each time, in Kazakh
// and in Russian, and the person stays one; the search for a person finds them however the name
// is typed and enrols them from there. A given name with only the father's name (-қызы, -овна)
// and a ё spelled yo are asked about too; a CSV file's locality is found however it is typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allLocalities, apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

let service;
let browser;
let nura; // API client of trainer.nura
let cohort; // a cohort of trainer.nura
let settlement; // the locality "Нұра кенті"
let year; // a birth year no demo person called Ахметов Талғат has

const name = 'Ахметов Талғат';

before(async () => {
  service = await startService({ prefix: 'duplicates' });
  browser = await launchBrowser();
  nura = await apiAs(service, 'trainer.nura');
  const admin = await apiAs(service, 'admin');
  settlement = (await allLocalities(nura)).find((l) => l.name.kk === 'Нұра кенті');
  assert.ok(settlement, 'the demo has no Нұра кенті');
  cohort = (await nura.get('/cohorts')).json.items[0];
  assert.ok(cohort, 'trainer.nura has no cohort');
  const namesakes = (await admin.get(`/participants?q=${encodeURIComponent(name)}&limit=200`)).json.items;
  const taken = new Set(namesakes.map((p) => p.birth_year));
  year = 1958;
  while (taken.has(year)) year += 1;
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** A phone signed in as trainer.nura, on the cohort's register page, in `lang`. */
async function openRegister(locale, lang) {
  const page = await newPage(browser, { locale });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, lang);
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
  await page.locator('input[name="full_name"]').waitFor();
  return page;
}

/** Fills the register form (the page must be open) with Ахметов Талғат's details, typed `typed`. */
async function fillPerson(page, typed) {
  await page.locator('input[name="full_name"]').fill(typed);
  await page.locator('select[name="gender"]').selectOption('male');
  await page.locator('input[name="birth_year"]').fill(String(year));
  await page.locator('select[name="locality_id"]').selectOption(String(settlement.id));
  await page.locator('select[name="affiliation"]').selectOption('community_member');
  await page.locator('input[name="consent"]').check();
}

/** A birth year no one whose name has `word` was born in. */
async function freeYear(word) {
  const taken = new Set((await nura.get(`/participants?q=${encodeURIComponent(word)}&limit=200`)).json.items.map((p) => p.birth_year));
  let free = 1961;
  while (taken.has(free)) free += 1;
  return free;
}

/** The people called Ахметов Талғат born in `year`, as the server holds them. */
async function people() {
  const found = (await nura.get(`/participants?q=${encodeURIComponent('Талғат Ахметов')}&limit=200`)).json.items;
  return found.filter((p) => p.birth_year === year);
}

test('in Kazakh: Ахметов Талгат and Талғат Ахметов next to Ахметов Талғат are each asked about, and the person stays one', async () => {
  const page = await openRegister('kk-KZ', 'kk');

  await fillPerson(page, name);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.register-done', { hasText: `${name} осы топқа қосылды.` }).waitFor();
  const [registered] = await people();
  assert.ok(registered, 'the first registration stored nobody');

  for (const typed of ['Ахметов Талгат', 'Талғат Ахметов']) {
    await page.locator('button', { hasText: 'Тағы біреуін тіркеу' }).click();
    await fillPerson(page, typed);
    await page.locator('form button[type="submit"]').click();
    const warning = page.locator('.duplicate-warning');
    await warning.waitFor();
    assert.match(await warning.innerText(), new RegExp(`${name}, ${year}, Нұра кенті — сол адам ба\\?`), typed);
    if (typed === 'Ахметов Талгат') await screenshot(page, 'trainer-duplicate-typed-kk');
    await warning.locator('button', { hasText: 'Иә, осы адамды топқа қосу' }).click();
    // The one registered before, already in the cohort; the name as it was stored.
    await page.locator('.register-done', { hasText: `${name} бұл топта бұрыннан бар.` }).waitFor();
  }
  const stored = await people();
  assert.deepEqual(stored.map((p) => p.id), [registered.id]);
  assert.deepEqual(Buffer.from(stored[0].full_name, 'utf8'), Buffer.from(name, 'utf8'));
  const enrolments = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
  assert.equal(enrolments.filter((e) => e.participant_id === registered.id).length, 1);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('in Russian: a Latin spelling is asked about too, and the search finds the person however the name is typed', async () => {
  const page = await openRegister('ru-RU', 'ru');
  const [registered] = await people();
  assert.ok(registered, 'the Kazakh test registered nobody');

  await fillPerson(page, 'Talgat Akhmetov');
  await page.locator('form button[type="submit"]').click();
  const warning = page.locator('.duplicate-warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), new RegExp(`${name}, ${year}, ${settlement.name.ru} — это тот же человек\\?`));
  await screenshot(page, 'trainer-duplicate-latin-ru');
  await warning.locator('button', { hasText: 'Да, записать этого человека' }).click();
  await page.locator('.register-done', { hasText: `${name}: уже был(а) записан(а) в эту группу.` }).waitFor();
  assert.deepEqual((await people()).map((p) => p.id), [registered.id]);

  // The search for a person: typed on a Russian keyboard with the given name first.
  await page.locator('button', { hasText: 'Зарегистрировать ещё одного' }).click();
  await page.locator('.find-person summary').click();
  await page.locator('input[name="person_search"]').fill('Талгат Ахметов');
  await page.locator('.find-person .find-submit').click();
  // The demo has namesakes of other years: this one is told apart by the year shown.
  const result = page.locator('.find-result', { hasText: name }).filter({ hasText: String(year) });
  await result.waitFor();
  assert.match(await result.innerText(), new RegExp(settlement.name.ru));
  await screenshot(page, 'trainer-find-person-ru');
  await result.locator('button', { hasText: `Записать в группу: ${name}` }).click();
  await result.locator('[role="status"]', { hasText: `${name}: уже был(а) записан(а) в эту группу.` }).waitFor();

  // Nobody for a name nobody has; the 360 px page does not scroll sideways.
  await page.locator('input[name="person_search"]').fill('Zzyzx Qwerty');
  await page.locator('.find-person .find-submit').click();
  await page.locator('.find-none', { hasText: 'Zzyzx Qwerty' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide`);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('in Russian: a given name with only the father\'s name, and ё spelled yo, are asked about too', async () => {
  const page = await openRegister('ru-RU', 'ru');
  for (const [stored, typed, gender] of [
    ['Айгерім Нұрланқызы', 'Айгерим Нурлановна', 'female'],
    ['Пётр Соколов', 'Pyotr Sokolov', 'male'],
  ]) {
    const born = await freeYear(stored.split(' ')[0]);
    const fill = async (written) => {
      await page.locator('input[name="full_name"]').fill(written);
      await page.locator('select[name="gender"]').selectOption(gender);
      await page.locator('input[name="birth_year"]').fill(String(born));
      await page.locator('select[name="locality_id"]').selectOption(String(settlement.id));
      await page.locator('select[name="affiliation"]').selectOption('community_member');
      await page.locator('input[name="consent"]').check();
      await page.locator('form button[type="submit"]').click();
    };
    await fill(stored);
    await page.locator('.register-done', { hasText: stored }).waitFor();
    await page.locator('button', { hasText: 'Зарегистрировать ещё одного' }).click();
    await fill(typed);
    const warning = page.locator('.duplicate-warning');
    await warning.waitFor();
    assert.match(await warning.innerText(), new RegExp(`${stored}, ${born}, ${settlement.name.ru} — это тот же человек\\?`), typed);
    await warning.locator('button', { hasText: 'Да, записать этого человека' }).click();
    await page.locator('.register-done', { hasText: `${stored}: уже был(а) записан(а) в эту группу.` }).waitFor();
    const found = (await nura.get(`/participants?q=${encodeURIComponent(stored)}&limit=200`)).json.items.filter((p) => p.birth_year === born);
    assert.deepEqual(found.map((p) => p.full_name), [stored], typed);
    await page.locator('button', { hasText: 'Зарегистрировать ещё одного' }).click();
  }
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('a CSV import asks per row too: the person typed another way is counted as already in the cohort, not as added, and "Нура" and "НУРА КЕНТИ" find посёлок Нура', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  await chooseLanguage(page, 'en');
  await page.goto(`${service.url}/app/cohorts/${cohort.id}/import`);
  const csv = [
    'full_name,gender,birth_year,locality,affiliation,consent',
    `Талгат Ахметов,male,${year},Нура,community_member,yes`,
    `Сағырбаев Құрманғазы,male,${year},Нура,community_member,yes`,
    `Сағырбаева Гүлнар,female,${year},НУРА КЕНТИ,community_member,yes`,
  ].join('\n');
  await page.locator('textarea[name="csv_text"]').fill(csv);
  await page.locator('button', { hasText: 'Read the rows' }).click();
  await page.locator('.import-row[data-line="4"]').waitFor();
  await page.locator('button', { hasText: 'Import and enrol' }).click();
  const summary = page.locator('.import-summary', { hasText: 'Enrolled: 2. Not enrolled: 0.' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /Already in the cohort: 1\./);
  await page.locator('.import-row[data-line="2"] .status-already_enrolled').waitFor();
  await page.locator('.import-row[data-line="3"] .status-enrolled').waitFor();
  await page.locator('.import-row[data-line="4"] .status-enrolled').waitFor();
  await screenshot(page, 'trainer-import-already-en');

  // Still one Ахметов Талғат; the new person lives in посёлок Нура.
  assert.equal((await people()).length, 1);
  const enrolments = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
  const added = enrolments.find((e) => e.participant_name === 'Сағырбаев Құрманғазы');
  assert.ok(added, 'the new person was not enrolled');
  assert.equal((await nura.get(`/participants/${added.participant_id}`)).json.locality_id, settlement.id);
  // "НУРА КЕНТИ", typed on a Russian keyboard, is Нұра кенті too.
  const typedPlace = enrolments.find((e) => e.participant_name === 'Сағырбаева Гүлнар');
  assert.ok(typedPlace, 'the person of НУРА КЕНТИ was not enrolled');
  assert.equal((await nura.get(`/participants/${typedPlace.participant_id}`)).json.locality_id, settlement.id);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});
