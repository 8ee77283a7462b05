// Corrections of people by an administrator on a 360 × 740 phone, in Russian (one check in
// Kazakh): two records of one invented person, registered twice by a trainer with conflicting
// marks for a session they share, are found in the likely duplicates, compared side by side and
// merged with the conflicting mark chosen (the totals count the person once), and the merge is
// undone from the person's history; a person is exported, withdraws consent and is erased from
// their personal data page (gone from every answer that named them, their certificate revoked as
// "erased at the holder's request"); a stale correction of a name shows what changed meanwhile.
// The pages meet WCAG 2.1 AA in each language; trainers and learners find none of them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { accessibilityViolations, allLocalities, apiAs, chooseLanguage, languages, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const run = promisify(execFile);

let service;
let browser;
let admin; // API client of the administrator
let nura; // API client of trainer.nura
let cohorts; // trainer.nura's cohorts
let settlement; // Нұра кенті
let downloads;

before(async () => {
  service = await startService({ prefix: 'corrpeople' });
  browser = await launchBrowser();
  admin = await apiAs(service, 'admin');
  nura = await apiAs(service, 'trainer.nura');
  cohorts = (await nura.get('/cohorts')).json.items;
  assert.ok(cohorts.length >= 3, 'trainer.nura has fewer than three cohorts');
  settlement = (await allLocalities(nura)).find((l) => l.name.kk === 'Нұра кенті');
  assert.ok(settlement, 'the demo has no Нұра кенті');
  downloads = mkdtempSync(join(tmpdir(), 'qatysu-corrections-people-'));
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** A request with headers apiAs does not send (If-Match): {status, json, headers}. */
async function send(client, method, path, body, headers = {}) {
  const response = await fetch(`${service.url}/api/v1${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${client.token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Registers an invented person as trainer.nura; `again` registers a second record of them. */
async function register(full_name, birth_year, { again = false, phone = null } = {}) {
  const body = { full_name, gender: 'female', birth_year, locality_id: settlement.id, affiliation: 'community_member', vulnerable: ['youth'], phone, consent: true };
  const answer = await nura.post('/participants', again ? { ...body, not_duplicate: true } : body);
  assert.equal(answer.status, 201, answer.text);
  return answer.json;
}

async function enrol(cohortId, participantId) {
  const answer = await nura.post(`/cohorts/${cohortId}/enrolments`, { participant_id: participantId });
  assert.ok([200, 201].includes(answer.status), answer.text);
  return answer.json;
}

async function mark(sessionId, enrolmentId, status) {
  const answer = await nura.put(`/sessions/${sessionId}/attendance`, { marks: [{ enrolment_id: enrolmentId, status }] });
  assert.equal(answer.status, 200, answer.text);
}

async function sessionsOf(cohortId) {
  return (await nura.get(`/cohorts/${cohortId}/sessions`)).json.items;
}

/** The programme's totals as the API counts them: {enrolled, reached}. */
async function totals() {
  const answer = await admin.get('/totals?programme=LSG-EKZ');
  assert.equal(answer.status, 200, answer.text);
  return { enrolled: answer.json.total.enrolled, reached: answer.json.total.reached };
}

/** Waits for `locator`; when it does not come, says what the page showed instead. */
async function shown(page, locator, what) {
  await locator.waitFor().catch(async (error) => {
    const text = await page.evaluate(() => document.body.innerText.slice(0, 600));
    throw new Error(`${what} did not appear on ${page.url()}: the page shows ${JSON.stringify(text)}`, { cause: error });
  });
  return locator;
}

/** A phone signed in as `login`, reading Russian. */
async function phone(login = 'admin', lang = 'ru') {
  const page = await newPage(browser, { locale: lang === 'kk' ? 'kk-KZ' : 'ru-RU' });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.pageErrors = errors;
  await signIn(page, service, login);
  await chooseLanguage(page, lang);
  return page;
}

async function fitsPhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide on a 360 px phone`);
}

// ---------------------------------------------------------------------------------------------

test('two records of one person are found, compared, merged with the conflicting mark chosen, counted once, and the merge is undone from the history', async () => {
  const name = 'Сейтқалиева Меруерт Жұмабайқызы';
  const [shared, other] = cohorts;
  const first = await register(name, 1979);
  const second = await register(name, 1979, { again: true });
  const keptEnrolment = await enrol(shared.id, first.id);
  const twinEnrolment = await enrol(shared.id, second.id);
  const twinOther = await enrol(other.id, second.id);
  const [meeting, nextMeeting] = await sessionsOf(shared.id);
  await mark(meeting.id, keptEnrolment.id, 'absent');
  await mark(meeting.id, twinEnrolment.id, 'present');
  await mark(nextMeeting.id, twinEnrolment.id, 'late');
  await mark((await sessionsOf(other.id))[0].id, twinOther.id, 'present');
  const before = await totals();

  const page = await phone();
  await page.locator('nav a[href="/app/people/duplicates"]', { hasText: 'Дубликаты' }).click();
  await shown(page, page.locator('h1', { hasText: 'Возможные дубликаты' }), 'the duplicates heading');
  const pair = page.locator(`li[data-pair="${first.id}-${second.id}"]`);
  // The pair is among the most likely (same spelling, same place); more pages are read if not.
  await shown(page, page.locator('ul.duplicates > li').first(), 'the first pair');
  while ((await pair.count()) === 0) {
    const more = page.locator('button', { hasText: 'Ещё' });
    assert.ok((await more.count()) > 0, `the pair ${first.id}-${second.id} is not in the duplicates list`);
    const listed = await page.locator('ul.duplicates > li').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('ul.duplicates > li').length > n, listed);
  }
  assert.match(await pair.innerText(), /имя написано одинаково · тот же населённый пункт/);
  await fitsPhone(page);
  await pair.locator('a', { hasText: 'Сравнить и объединить' }).click();

  // Both records, each with its cohorts and marks.
  const kept = await shown(page, page.locator('[data-side="kept"]'), 'the kept record');
  const merged = page.locator('[data-side="other"]');
  assert.match(await kept.locator('h2').innerText(), new RegExp(`Остаётся: ${name} \\(№${first.id}\\)`));
  assert.match(await merged.locator('h2').innerText(), new RegExp(`Объединяется: ${name} \\(№${second.id}\\)`));
  assert.equal(await kept.locator('[data-enrolment]').count(), 1);
  assert.equal(await merged.locator('[data-enrolment]').count(), 2);
  assert.match(await kept.locator(`[data-enrolment="${keptEnrolment.id}"]`).innerText(), new RegExp(`№${meeting.id} не был\\(а\\)`));
  assert.match(await merged.locator(`[data-enrolment="${twinEnrolment.id}"]`).innerText(), new RegExp(`№${meeting.id} был\\(а\\)`));
  await fitsPhone(page);

  // The conflicting mark must be chosen before merging.
  const conflict = page.locator(`fieldset[data-session="${meeting.id}"]`);
  assert.match(await conflict.locator('legend').innerText(), new RegExp(`группа ${shared.id}, занятие №${meeting.id}: какая отметка верна\\?`));
  const mergeButton = page.locator('button.button-primary', { hasText: 'Объединить' });
  assert.ok(await mergeButton.isDisabled(), 'the merge is offered before the conflict is resolved');
  await conflict.locator('input[value="present"]').check();
  await screenshot(page, 'admin-merge-ru');
  await mergeButton.click();
  const confirm = await shown(page, page.locator('.confirm'), 'the merge confirmation');
  assert.match(await confirm.innerText(), new RegExp(`Объединить «${name}» \\(№${second.id}\\) с «${name}» \\(№${first.id}\\)\\?`));
  await confirm.locator('button', { hasText: 'Объединить' }).click();
  await shown(page, page.locator('.notice-success', { hasText: 'Объединено.' }), 'the merge notice');

  // One person with both enrolments and the mark chosen; the totals count them once.
  assert.equal((await admin.get(`/participants/${second.id}`)).json.merged_into, first.id);
  const record = (await admin.get(`/participants/${first.id}/record`)).json;
  assert.deepEqual(record.enrolments.map((e) => e.cohort_id).sort(), [shared.id, other.id].sort());
  const marksOfShared = record.marks.filter((m) => m.session_id === meeting.id);
  assert.deepEqual(marksOfShared.map((m) => m.status), ['present']);
  const found = (await admin.get(`/participants?q=${encodeURIComponent(name)}`)).json.items.map((p) => p.id);
  assert.deepEqual(found, [first.id]);
  const afterMerge = await totals();
  assert.equal(afterMerge.enrolled, before.enrolled - 1, 'two records of one person are enrolled once');
  assert.equal(afterMerge.reached, before.reached);

  // Undone from the kept person's history: both records as they were.
  await page.locator('a', { hasText: 'Страница человека' }).click();
  const change = await shown(page, page.locator('.history li[data-action="merged"]'), 'the merge in the history');
  await change.locator('button', { hasText: 'Отменить объединение' }).click();
  await shown(page, page.locator('[role="status"]', { hasText: 'Объединение отменено' }), 'the undo notice');
  assert.equal((await admin.get(`/participants/${second.id}`)).json.merged_into, null);
  assert.equal((await admin.get(`/participants/${first.id}/record`)).json.enrolments.length, 1);
  const twin = (await admin.get(`/participants/${second.id}/record`)).json;
  assert.deepEqual(twin.enrolments.map((e) => e.cohort_id).sort(), [shared.id, other.id].sort());
  const restored = (await admin.get(`/participants/${first.id}/record`)).json.marks.filter((m) => m.session_id === meeting.id);
  assert.deepEqual(restored.map((m) => m.status), ['absent']);
  assert.deepEqual(await totals(), before);
  assert.deepEqual(page.pageErrors, []);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('a person is exported, withdraws consent and is erased from their personal data page, and no answer names them again', async () => {
  const name = 'Оспанова Ботагөз Тұрсынқызы';
  const courses = new Map((await admin.get('/courses')).json.items.map((c) => [c.id, c]));
  const cohort = cohorts.slice(2).find((c) => courses.get(c.course_id)?.gives_certificate);
  assert.ok(cohort, 'trainer.nura has no third cohort giving certificates');
  const person = await register(name, 1987, { phone: '+7 701 555 0142' });
  const enrolment = await enrol(cohort.id, person.id);
  for (const meeting of await sessionsOf(cohort.id)) await mark(meeting.id, enrolment.id, 'present');
  const issued = await nura.post(`/cohorts/${cohort.id}/certificates`);
  assert.equal(issued.status, 200, issued.text);
  const certificate = (await nura.get(`/cohorts/${cohort.id}/certificates`)).json.items.find((c) => c.participant_id === person.id);
  assert.ok(certificate, 'no certificate was issued to the person');
  const code = (await nura.post(`/participants/${person.id}/access-code`)).json.code;
  assert.ok(code, 'no access code for the person');

  /** Whether any answer that listed the person still names them. */
  const named = async () => {
    const searches = [];
    for (const client of [admin, nura]) {
      for (const q of [name, 'Оспанова Ботагөз', 'Ботагөз']) {
        searches.push(...(await client.get(`/participants?q=${encodeURIComponent(q)}&limit=200`)).json.items);
      }
    }
    const enrolments = (await nura.get(`/cohorts/${cohort.id}/enrolments`)).json.items;
    const zip = join(downloads, `cohort-${cohort.id}-${Date.now()}.zip`);
    const response = await fetch(`${service.url}/api/v1/cohorts/${cohort.id}/certificates.zip`, { headers: { Authorization: `Bearer ${admin.token}` } });
    assert.equal(response.status, 200);
    writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    const listing = (await run('unzip', ['-Z1', zip])).stdout.split('\n');
    return {
      search: searches.some((p) => p.id === person.id || p.full_name.includes('Ботагөз')),
      enrolments: enrolments.some((e) => e.participant_name.includes('Ботагөз')),
      zip: listing.some((file) => file.startsWith(certificate.serial) || /Botag/i.test(file)),
    };
  };
  assert.deepEqual(await named(), { search: true, enrolments: true, zip: true }, 'the person is not where the checks look');
  const before = await totals();

  // From the cohort's people, the person's page, then their personal data.
  const page = await phone();
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  await (await shown(page, page.locator(`.enrolment-list a.person-name[href="/app/people/${person.id}"]`), 'the person in the cohort')).click();
  await shown(page, page.locator('h1', { hasText: name }), "the person's page");
  await page.locator('a', { hasText: 'Персональные данные: выгрузка, согласие, удаление' }).click();
  await shown(page, page.locator('h1', { hasText: `Персональные данные: ${name}` }), 'the personal data page');
  assert.equal(await page.locator('[data-fact="consent"]').innerText(), 'дано');
  assert.equal(await page.locator('[data-fact="erasure"]').innerText(), 'данные не удалялись');
  await shown(page, page.locator('.retention li', { hasText: 'LSG-EKZ: срок хранения не задан, контакты хранятся.' }), 'the retention of the programme');
  await fitsPhone(page);

  // The export: JSON in the person's language, PDF in the language chosen.
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('a.export-json').click()]);
  const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert.equal(exported.person.full_name, name);
  assert.ok(exported.person.phone, 'the export has no phone');
  assert.ok(exported.certificates.some((c) => c.serial === certificate.serial), 'the export has no certificate');
  await page.locator('select[name="export_lang"]').selectOption('kk');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('a.export-pdf').click()]);
  assert.equal(pdf.suggestedFilename(), `person-${person.id}-kk.pdf`);
  assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1'), '%PDF-');
  const exports = (await admin.get(`/participants/${person.id}/history`)).json.items.filter((c) => c.action === 'exported');
  assert.equal(exports.length, 2, 'each export is in the history');

  // Consent withdrawn, with a reason.
  await page.locator('button', { hasText: 'Записать отзыв согласия' }).click();
  const withdrawal = await shown(page, page.locator('form.rights-confirm'), 'the withdrawal question');
  assert.match(await withdrawal.locator('h3').innerText(), new RegExp(`Записать, что ${name} отозвал\\(а\\) согласие`));
  await withdrawal.locator('textarea[name="consent_reason"]').fill('заявление от 01.12.2026');
  await withdrawal.locator('button', { hasText: 'Да, записать' }).click();
  await shown(page, page.locator('.rights-done', { hasText: 'Отзыв согласия записан.' }), 'the withdrawal notice');
  assert.ok((await admin.get(`/participants/${person.id}/data-rights`)).json.consent_withdrawn_at, 'the withdrawal is not recorded');
  await shown(page, page.locator('[data-fact="consent"]', { hasText: 'отозвано' }), 'the consent withdrawn');

  // Erasure: the confirmation names the person and says what happens; grounds and an explicit
  // confirmation are required.
  await page.locator('button', { hasText: 'Удалить данные человека…' }).click();
  const erase = await shown(page, page.locator('section.erase form'), 'the erasure confirmation');
  assert.equal(await erase.locator('h3').innerText(), `Удалить данные: ${name}?`);
  const what = await erase.locator('.erase-what').innerText();
  for (const said of ['Имя заменяется прочерком', 'телефон и эл. почта удаляются', 'год рождения обобщается', 'Показатели для донора не меняются', '«удалено по просьбе владельца»', 'Учётная запись слушателя закрывается', 'Отменить это нельзя']) {
    assert.ok(what.includes(said), `the confirmation does not say "${said}": ${what}`);
  }
  await erase.locator('button', { hasText: 'Удалить данные безвозвратно' }).click();
  await shown(page, erase.locator('.field-error', { hasText: 'Укажите основание удаления' }), 'the missing grounds');
  await shown(page, erase.locator('.field-error', { hasText: 'Подтвердите, что понимаете' }), 'the missing confirmation');
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'erase_reason');
  assert.equal((await admin.get(`/participants/${person.id}/data-rights`)).json.erased_at, null, 'erased without grounds');
  await erase.locator('textarea[name="erase_reason"]').fill('письменное заявление от 01.12.2026');
  assert.match(await erase.locator('label', { has: page.locator('input[name="erase_understood"]') }).innerText(), new RegExp(`данные ${name} будут удалены безвозвратно`));
  await erase.locator('input[name="erase_understood"]').check();
  await screenshot(page, 'admin-erase-confirm-ru');
  await erase.locator('button', { hasText: 'Удалить данные безвозвратно' }).click();
  const done = await shown(page, page.locator('.rights-done', { hasText: 'Данные удалены.' }), 'the erasure notice');
  assert.match(await done.innerText(), /Сертификатов отозвано: 1\./);
  assert.match(await done.innerText(), /Учётная запись слушателя закрыта\./);
  await shown(page, page.locator('h1', { hasText: `Персональные данные записи №${person.id}` }), 'the erased record');
  assert.match(await page.locator('[data-fact="erasure"]').innerText(), /^данные удалены /);
  assert.equal(await page.locator('section.erase').count(), 0, 'an erased person is offered erasure again');
  await fitsPhone(page);

  // On the server: erased, the certificate revoked for that reason, the account closed, the
  // name in no answer, the totals as they were.
  const now = (await admin.get(`/participants/${person.id}`)).json;
  assert.equal(now.full_name, '—');
  assert.equal(now.phone, null);
  assert.equal(now.birth_year, 1980);
  assert.ok((await admin.get(`/participants/${person.id}/data-rights`)).json.erased_at);
  const verify = await fetch(certificate.verify_url.replace('/verify/', '/api/v1/verify/'));
  const verified = await verify.json();
  assert.equal(verified.status, 'revoked');
  assert.equal(verified.full_name, '—');
  const checker = await newPage(browser, { locale: 'ru-RU' });
  await checker.goto(certificate.verify_url);
  const sheet = await checker.locator('body').innerText();
  assert.ok(sheet.includes("erased at the holder's request"), `the verification page does not give the reason: ${sheet.slice(0, 400)}`);
  assert.ok(!sheet.includes('Ботагөз'), 'the verification page still names the person');
  await checker.context().close();
  assert.deepEqual(await named(), { search: false, enrolments: false, zip: false });
  const redeem = await fetch(`${service.url}/api/v1/auth/code`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
  assert.equal(redeem.status, 401, 'the closed account still signs in with its code');
  assert.deepEqual(await totals(), before);
  assert.deepEqual(page.pageErrors, []);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test("a correction of a name made on a stale version shows what changed meanwhile, keeps what was typed, and saves on the new version", async () => {
  const name = 'Мұхаметжанова Салтанат';
  const person = await register(name, 1992);
  const page = await phone();
  await page.goto(`${service.url}/app/people/${person.id}`);
  await (await shown(page, page.locator('a', { hasText: 'Исправить сведения' }), 'the edit link')).click();
  await shown(page, page.locator('h1', { hasText: `Исправление: ${name}` }), 'the edit page');
  const form = page.locator('form.person-edit');
  assert.equal(await form.locator('input[name="full_name"]').inputValue(), name);
  assert.equal(await form.locator('select[name="locality_id"]').inputValue(), String(settlement.id));
  assert.ok(await form.locator('input[name="vulnerable"][value="youth"]').isChecked());
  await fitsPhone(page);

  // A birth year the service refuses: its message next to the field, nothing saved.
  await form.locator('input[name="birth_year"]').fill('1850');
  await form.locator('button[type="submit"]').click();
  await shown(page, form.locator('.field-error', { has: page.locator('input[name="birth_year"]') }), 'the birth year refused');
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'birth_year');
  assert.equal((await admin.get(`/participants/${person.id}`)).json.birth_year, 1992);
  await form.locator('input[name="birth_year"]').fill('1992');

  // Someone else corrects the name and adds a phone while the page is open.
  const read = await send(admin, 'GET', `/participants/${person.id}`);
  const meanwhile = await send(admin, 'PATCH', `/participants/${person.id}`, { full_name: 'Мухаметжанова Салтанат', phone: '+7 702 555 0177' }, { 'If-Match': read.headers.get('ETag') });
  assert.equal(meanwhile.status, 200, JSON.stringify(meanwhile.json));
  const typed = 'Мұхаметжанова Салтанат Ерланқызы';
  await form.locator('input[name="full_name"]').fill(typed);
  await form.locator('button[type="submit"]').click();
  const stale = await shown(page, page.locator('.stale-notice'), 'the stale notice');
  const said = await stale.innerText();
  assert.match(said, /Пока вы исправляли, запись изменили:/);
  assert.match(said, new RegExp(`Имя: ${name} → Мухаметжанова Салтанат`));
  assert.match(said, /Телефон: — → \+?7/);
  assert.match(said, new RegExp(`«Имя»: в записи теперь «Мухаметжанова Салтанат», в форме оставлено ваше «${typed}»`));
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('stale-notice')), true, 'the focus is not on the notice');
  // Re-based: the phone is the record's now, the name is what was typed; nothing overwritten yet.
  assert.equal(await form.locator('input[name="full_name"]').inputValue(), typed);
  assert.equal(await form.locator('input[name="phone"]').inputValue(), meanwhile.json.phone);
  assert.equal((await admin.get(`/participants/${person.id}`)).json.full_name, 'Мухаметжанова Салтанат');
  await screenshot(page, 'admin-edit-stale-ru');
  await form.locator('button[type="submit"]').click();
  await shown(page, page.locator('.edit-status', { hasText: 'Сохранено.' }), 'the saved notice');
  const saved = (await admin.get(`/participants/${person.id}`)).json;
  assert.equal(saved.full_name, typed);
  assert.equal(saved.phone, meanwhile.json.phone);
  const edits = (await admin.get(`/participants/${person.id}/history`)).json.items.filter((c) => c.action === 'edited');
  assert.equal(edits.length, 2);
  assert.deepEqual(edits[1].fields.map((f) => f.field), ['full_name']);

  // In Kazakh: the personal data page says what is recorded.
  await chooseLanguage(page, 'kk');
  await page.goto(`${service.url}/app/people/${person.id}/data`);
  await shown(page, page.locator('h1', { hasText: `Дербес деректер: ${typed}` }), 'the personal data page in Kazakh');
  assert.equal(await page.locator('[data-fact="consent"]').innerText(), 'берілген');
  assert.equal(await page.locator('[data-fact="erasure"]').innerText(), 'жойылмаған');
  await shown(page, page.locator('button', { hasText: 'Адамның деректерін жою…' }), 'the erasure in Kazakh');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test("a person's page, its correction and its personal data (with both confirmations open) meet WCAG 2.1 AA in each language", async () => {
  const person = await register('Әбдірахманова Жансая', 1995);
  const page = await newPage(browser, { bypassCSP: true });
  await signIn(page, service, 'admin');
  const found = [];
  const check = async (where) => {
    for (const violation of await accessibilityViolations(page)) {
      found.push(`${where} ${violation.impact} ${violation.id}: ${violation.help}\n    ${violation.nodes.join('\n    ')}`);
    }
  };
  for (const lang of languages) {
    await page.goto(`${service.url}/app/people/${person.id}`);
    await shown(page, page.locator('h1'), "the person's page");
    // The choice is also stored on the account: wait for that before the next page reads it.
    const stored = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/language'));
    await chooseLanguage(page, lang);
    await stored;
    for (const path of [`/app/people/${person.id}`, `/app/people/${person.id}/edit`, `/app/people/${person.id}/data`]) {
      await page.goto(`${service.url}${path}`);
      await shown(page, page.locator('h1'), `the heading of ${path}`);
      await page.waitForLoadState('networkidle');
      await check(`${path} [${lang}]`);
    }
    // Both confirmations, the erasure's refused once (its errors next to its fields).
    await page.locator('section[aria-labelledby="withdraw-heading"] button').click();
    await page.locator('section.erase button').click();
    await page.locator('section.erase button[type="submit"]').click();
    await shown(page, page.locator('section.erase .field-error').first(), 'the erasure refused');
    await check(`/app/people/${person.id}/data, confirmations [${lang}]`);
  }
  await page.context().close();
  assert.deepEqual(found, [], found.join('\n'));
});

test('a trainer and a learner find no people pages, and the API refuses them', async () => {
  const person = (await admin.get(`/participants?q=${encodeURIComponent('Мұхаметжанова')}`)).json.items[0];
  assert.ok(person, 'the person of the previous test is gone');
  for (const login of ['trainer.nura', 'learner.demo']) {
    const page = await phone(login);
    const asked = [];
    page.on('request', (request) => {
      if (/\/api\/v1\/participants\/\d+\/(data-rights|record|history|export)/.test(request.url())) asked.push(request.url());
    });
    assert.equal(await page.locator('nav a[href="/app/people/duplicates"]').count(), 0, `${login} has the duplicates in the menu`);
    for (const path of [`/app/people/${person.id}`, `/app/people/${person.id}/edit`, `/app/people/${person.id}/data`, '/app/people/duplicates', `/app/people/${person.id}/merge/1`]) {
      await page.goto(`${service.url}${path}`);
      await shown(page, page.locator('h1', { hasText: 'Страница не найдена' }), `the not-found page of ${path} for ${login}`);
      assert.equal(await page.locator('a.export-json, form.person-edit, section.erase').count(), 0);
    }
    assert.deepEqual(asked, [], `${login}'s pages asked for a person's data`);
    const client = await apiAs(service, login);
    for (const path of ['/data-rights', '/export?format=json', '/record', '/history']) {
      assert.equal((await client.get(`/participants/${person.id}${path}`)).status, 403, `${login} GET ${path}`);
    }
    assert.equal((await client.post(`/participants/${person.id}/erase`, { reason: 'не по праву' })).status, 403, `${login} erases`);
    assert.equal((await client.post(`/participants/${person.id}/consent-withdrawal`, {})).status, 403, `${login} withdraws consent`);
    await page.context().close();
  }
  assert.equal((await admin.get(`/participants/${person.id}/data-rights`)).json.erased_at, null);
});
