// Corrections of a cohort's sessions on a 360 × 740 phone, in Kazakh (and one check in Russian): a
// trainer cancels a session with a reason (it shows cancelled, the server has it cancelled, and the
// person who met the rule only thanks to it no longer does), its sheet says it is cancelled and
// takes no marks, the trainer restores it, moves a session and changes its topic; an edit made on a
// version someone else changed meanwhile shows what changed (412) and overwrites nothing; without a
// connection the buttons say they need one; a person is withdrawn with a reason and leaves the
// sheet and the eligibility; an administrator reads the cohort's and the sessions' histories with
// old and new values (and a person's, on their page); another trainer finds none of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import common from '../../plugin/web/src/i18n/common.js';
import trainerMessages from '../../plugin/web/src/pages/trainer/messages.js';
import attendanceMessages from '../../plugin/web/src/pages/attendance/messages.js';
import uiMessages from '../../plugin/web/src/ui/messages.js';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const kTrainer = 'trainer.nura';
const kOtherTrainer = 'trainer.glubokoe';
const locales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

let service;
let browser;
let trainer; // API client of kTrainer
let admin; // API client of the administrator
let cohort; // a cohort kTrainer opened for this test
let sessions; // its five sessions, in order
let keen; // {name, enrolment}: present at the first four sessions, so exactly at the rule
let leaving; // {name, participant, enrolment}: withdrawn later

/** A text in `lang` as the app fills it. */
function text(lang, key, params = {}) {
  const table = { ...common[lang], ...uiMessages[lang], ...trainerMessages[lang], ...attendanceMessages[lang] };
  const template = table[key];
  assert.ok(template, `no text ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => String(params[name] ?? whole));
}

/** Waits for `locator`; when it does not come, says what the page showed instead. */
async function shown(page, locator, what) {
  await locator.waitFor().catch(async (error) => {
    const body = await page.evaluate(() => document.body.innerText.slice(0, 1200)).catch(() => '(no page)');
    throw new Error(`${what} did not show; the page shows:\n${body}`, { cause: error });
  });
}

/** PATCH with If-Match, as an edit must be sent: {status, json}. */
async function patchAt(client, path, body, etag) {
  const response = await fetch(`${service.url}/api/v1${path}`, {
    method: 'PATCH',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${client.token}`, 'If-Match': etag },
    body: JSON.stringify(body),
  });
  const answer = await response.text();
  return { status: response.status, json: answer ? JSON.parse(answer) : null };
}

/** GET then PATCH on the version it answered (what another phone does meanwhile). */
async function patchNow(client, path, body) {
  const read = await client.get(path);
  assert.equal(read.status, 200, read.text);
  const answer = await patchAt(client, path, body, read.headers.get('etag'));
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  return answer.json;
}

async function eligibilityOf(enrolmentId) {
  const answer = await trainer.get(`/cohorts/${cohort.id}/eligibility`);
  assert.equal(answer.status, 200, answer.text);
  return answer.json.items.find((item) => item.enrolment_id === enrolmentId) ?? null;
}

async function sessionNow(id) {
  const answer = await trainer.get(`/sessions/${id}`);
  assert.equal(answer.status, 200, answer.text);
  return answer.json;
}

before(async () => {
  service = await startService({ prefix: 'corrections' });
  browser = await launchBrowser();
  trainer = await apiAs(service, kTrainer);
  admin = await apiAs(service, 'admin');
  // A course whose rule a person can miss by one session: below 100 % and not "every session".
  const course = (await trainer.get('/courses')).json.items.find(
    (c) => c.rule.min_attendance_percent > 0 && c.rule.min_attendance_percent <= 80 && !c.rule.require_all,
  );
  assert.ok(course, 'no course with a rule of 80 % or less');
  const locality = (await trainer.get('/cohorts')).json.items[0].locality_id;
  const created = await trainer.post('/cohorts', {
    course_id: course.id,
    locality_id: locality,
    place: 'Нұра, әкімдік мәжіліс залы',
    starts_on: '2019-10-01',
    ends_on: '2019-10-05',
    language: 'kk',
  });
  assert.equal(created.status, 201, created.text);
  cohort = created.json;
  sessions = [];
  for (let day = 1; day <= 5; day += 1) {
    const session = await trainer.post(`/cohorts/${cohort.id}/sessions`, {
      starts_at: `2019-10-0${day}T04:00:00Z`,
      duration_minutes: 240,
      topic: `Ауыл жоспары: ${day}-кездесу`,
    });
    assert.equal(session.status, 201, session.text);
    sessions.push(session.json);
  }
  const enrol = async (full_name, gender, birth_year) => {
    const person = await trainer.post('/participants', {
      full_name,
      gender,
      birth_year,
      locality_id: locality,
      affiliation: 'community_member',
      vulnerable: [],
      consent: true,
      not_duplicate: true,
    });
    assert.equal(person.status, 201, person.text);
    const enrolment = await trainer.post(`/cohorts/${cohort.id}/enrolments`, { participant_id: person.json.id });
    assert.equal(enrolment.status, 201, enrolment.text);
    return { name: full_name, participant: person.json.id, enrolment: enrolment.json.id };
  };
  keen = await enrol('Әсел Жұмабекқызы', 'female', 1988);
  leaving = await enrol('Дәурен Сейітұлы', 'male', 1995);
  const required = (await eligibilityOf(keen.enrolment)).required;
  assert.equal(required, 4, `the rule asks for ${required} of 5 sessions, not 4`);
  for (const [index, session] of sessions.entries()) {
    const put = await trainer.put(`/sessions/${session.id}/attendance`, {
      marks: [
        { enrolment_id: keen.enrolment, status: index < 4 ? 'present' : 'absent' },
        { enrolment_id: leaving.enrolment, status: 'present' },
      ],
    });
    assert.equal(put.status, 200, put.text);
  }
  const met = await eligibilityOf(keen.enrolment);
  assert.deepEqual([met.completed, met.attended, met.sessions_total], [true, 4, 5], 'met the rule exactly');
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** A phone signed in as `login`, in `lang`, on the cohort's page with its sessions shown. */
async function cohortPage(login, lang) {
  const page = await newPage(browser, { locale: locales[lang] });
  await signIn(page, service, login);
  await chooseLanguage(page, lang);
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  await shown(page, page.locator(`li[data-session="${sessions[0].id}"]`), 'the sessions list');
  await page.waitForFunction((code) => document.documentElement.lang === code, lang);
  return page;
}

test('kk: a session is cancelled with a reason, counts nowhere, its sheet takes no marks, and it is restored', async () => {
  const page = await cohortPage(kTrainer, 'kk');
  const first = sessions[0];
  const row = page.locator(`li[data-session="${first.id}"]`);
  await row.locator(`#session-cancel-${first.id}`).click();
  const form = row.locator('form.reason-form');
  await shown(page, form.locator('textarea[name="reason"]'), 'the reason field');

  // A reason of spaces only is no reason: refused, with the field's own words, and nothing changes.
  await form.locator('textarea[name="reason"]').fill('   ');
  await form.locator('button[type="submit"]').click();
  await shown(page, form.getByText(text('kk', 'trainer.session.cancelInvalid')), 'the message for a missing reason');
  assert.equal((await sessionNow(first.id)).cancelled, null, 'not cancelled without a reason');

  const reason = 'Әкімдікте кезектен тыс жиналыс: зал бос емес';
  await form.locator('textarea[name="reason"]').fill(reason);
  await form.locator('button[type="submit"]', { hasText: text('kk', 'trainer.session.cancel') }).click();
  await shown(page, page.locator(`li[data-session="${first.id}"][data-cancelled="true"]`), 'the row as cancelled');
  assert.match(await row.locator('.session-cancel-reason').innerText(), new RegExp(`${text('kk', 'trainer.session.cancelledBadge')}.*${reason}`));
  await shown(page, row.getByText(text('kk', 'trainer.session.done.cancelled')), 'the confirmation');
  await page
    .waitForFunction((id) => document.activeElement?.id === id, `session-restore-${first.id}`, { timeout: 10000 })
    .catch(async () => assert.fail(`the focus is not on Restore but on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`));
  await screenshot(page, 'corrections-session-cancelled-kk');

  // On the server: cancelled with the reason; the held sessions and who met the rule follow.
  const cancelled = await sessionNow(first.id);
  assert.equal(cancelled.cancelled?.reason, reason);
  const after = await eligibilityOf(keen.enrolment);
  assert.deepEqual([after.completed, after.attended, after.sessions_total], [false, 3, 4], 'the cancelled session counts nowhere');
  await shown(page, page.locator('#sessions-heading .meta[data-held="4"][data-cancelled="1"]'), 'four sessions held, one cancelled');
  const keenRow = page.locator('.eligibility li', { hasText: keen.name });
  await shown(page, keenRow.locator('.badge-bad'), `${keen.name} no longer meeting the rule`);

  // Its sheet says it is cancelled and takes no marks; the server refuses them too.
  await row.locator(`a[href^="/app/sessions/${first.id}"]`).click();
  await shown(page, page.locator('.att-cancelled h2', { hasText: text('kk', 'attendance.cancelled.title') }), 'the cancelled sheet');
  assert.match(await page.locator('.att-cancelled').innerText(), new RegExp(reason));
  await page.locator('button.att-row').first().waitFor();
  assert.equal(await page.locator('button.att-row:not([disabled])').count(), 0, 'no row can be tapped');
  assert.equal(await page.locator('button.att-all').count(), 0, 'no "all present"');
  assert.equal(await page.locator('button.att-save').isDisabled(), true);
  const refused = await trainer.put(`/sessions/${first.id}/attendance`, { marks: [{ enrolment_id: keen.enrolment, status: 'absent' }] });
  assert.equal(refused.status, 409);
  await screenshot(page, 'corrections-sheet-cancelled-kk');

  // Restored: it counts again, with its marks.
  await page.locator('.att-heading a[href^="/app/cohorts/"]').click();
  await shown(page, page.locator(`#session-restore-${first.id}`), 'Restore');
  await page.locator(`#session-restore-${first.id}`).click();
  await shown(page, page.locator(`li[data-session="${first.id}"][data-cancelled="false"]`), 'the row as held again');
  await shown(page, page.locator(`li[data-session="${first.id}"]`).getByText(text('kk', 'trainer.session.done.restored')), 'the confirmation');
  assert.equal((await sessionNow(first.id)).cancelled, null);
  const restored = await eligibilityOf(keen.enrolment);
  assert.deepEqual([restored.completed, restored.attended, restored.sessions_total], [true, 4, 5]);
  await shown(page, page.locator('#sessions-heading .meta[data-held="5"][data-cancelled="0"]'), 'five sessions held');
  await shown(page, page.locator('.eligibility li', { hasText: keen.name }).locator('.badge-ok'), `${keen.name} meeting the rule again`);
  await page.context().close();
});

test('kk: a session is moved and its topic changed; an edit on a version changed meanwhile shows what changed and overwrites nothing', async () => {
  const page = await cohortPage(kTrainer, 'kk');
  const second = sessions[1];
  const row = page.locator(`li[data-session="${second.id}"]`);
  await row.locator(`#session-edit-${second.id}`).click();
  const form = row.locator('form.session-form');
  await shown(page, form.locator('input[name="topic"]'), 'the edit form');
  assert.equal(await form.locator('input[name="topic"]').inputValue(), second.topic);
  const movedTo = '2019-10-02T15:30';
  const expected = await page.evaluate((local) => new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z'), movedTo);
  await form.locator('input[name="starts_at"]').fill(movedTo);
  await form.locator('input[name="topic"]').fill('Ауыл жоспары: жұмыс топтары');
  await form.locator('button[type="submit"]').click();
  await shown(page, row.getByText(text('kk', 'trainer.session.done.saved')), 'the confirmation');
  const moved = await sessionNow(second.id);
  assert.equal(moved.starts_at, expected);
  assert.equal(moved.topic, 'Ауыл жоспары: жұмыс топтары');
  assert.equal(moved.duration_minutes, 240, 'what was not touched stays');
  await shown(page, row.locator('.session-topic', { hasText: 'Ауыл жоспары: жұмыс топтары' }), 'the new topic in the row');

  // Opened here, then changed on another phone, then saved here: refused, and shown.
  const third = sessions[2];
  const thirdRow = page.locator(`li[data-session="${third.id}"]`);
  await thirdRow.locator(`#session-edit-${third.id}`).click();
  const staleForm = thirdRow.locator('form.session-form');
  await shown(page, staleForm.locator('input[name="topic"]'), 'the edit form');
  const theirs = 'Бюджет: тыңдаулар';
  await patchNow(trainer, `/sessions/${third.id}`, { topic: theirs });
  await staleForm.locator('input[name="duration_minutes"]').fill('180');
  await staleForm.locator('button[type="submit"]').click();
  const stale = thirdRow.locator('.session-stale');
  await shown(page, stale.locator('h3', { hasText: text('kk', 'trainer.session.stale.title') }), 'the stale message');
  const missed = stale.locator('li[data-field="topic"]');
  assert.equal(await missed.locator('.field-name').innerText(), text('kk', 'history.field.session.topic'));
  assert.equal(await missed.locator('.old').innerText(), third.topic);
  assert.equal(await missed.locator('.new').innerText(), theirs);
  assert.ok(await stale.getByText(text('kk', 'trainer.session.stale.edit')).isVisible());
  await page
    .waitForFunction(() => document.activeElement?.classList.contains('session-stale'), null, { timeout: 10000 })
    .catch(async () => assert.fail(`the focus is not on the message but on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`));
  await screenshot(page, 'corrections-session-stale-kk');
  await shown(page, thirdRow.locator('.session-topic', { hasText: theirs }), 'the row as the session is now');
  const kept = await sessionNow(third.id);
  assert.deepEqual([kept.topic, kept.duration_minutes], [theirs, 240], 'nothing was overwritten');
  // The form now stands on the current version: their topic, and the duration typed here.
  assert.equal(await staleForm.locator('input[name="topic"]').inputValue(), theirs);
  assert.equal(await staleForm.locator('input[name="duration_minutes"]').inputValue(), '180');
  await staleForm.locator('button[type="submit"]').click();
  await shown(page, thirdRow.getByText(text('kk', 'trainer.session.done.saved')), 'the confirmation after saving again');
  const both = await sessionNow(third.id);
  assert.deepEqual([both.topic, both.duration_minutes], [theirs, 180], 'saved again on the current version');
  await page.context().close();
});

test('kk: without a connection the correction buttons are off and say why', async () => {
  const page = await cohortPage(kTrainer, 'kk');
  const edit = page.locator(`#session-edit-${sessions[3].id}`);
  assert.equal(await edit.isDisabled(), false);
  await page.context().setOffline(true);
  await shown(page, page.locator('.needs-connection').first(), 'the note that corrections need a connection');
  assert.equal((await page.locator('.needs-connection').first().innerText()).trim(), text('kk', 'trainer.needsConnection'));
  assert.equal(await edit.isDisabled(), true, 'Edit is off');
  assert.equal(await page.locator(`#session-cancel-${sessions[3].id}`).isDisabled(), true, 'Cancel is off');
  const note = await edit.getAttribute('aria-describedby');
  assert.ok(note && (await page.locator(`#${note}`).isVisible()), 'the button points at the note');
  await page.context().setOffline(false);
  await page.locator('.needs-connection').first().waitFor({ state: 'detached' });
  assert.equal(await edit.isDisabled(), false, 'back on with the connection');
  await page.context().close();
});

test('ru: a cancelled session is shown with its reason, and its sheet says so', async () => {
  const page = await cohortPage(kTrainer, 'ru');
  const fourth = sessions[3];
  const row = page.locator(`li[data-session="${fourth.id}"]`);
  await row.locator(`#session-cancel-${fourth.id}`).click();
  const reason = 'Тренер заболел, занятие перенесут';
  await row.locator('textarea[name="reason"]').fill(reason);
  await row.locator('form.reason-form button[type="submit"]', { hasText: text('ru', 'trainer.session.cancel') }).click();
  await shown(page, page.locator(`li[data-session="${fourth.id}"][data-cancelled="true"]`), 'the row as cancelled');
  assert.match(await row.locator('.session-cancel-reason').innerText(), new RegExp(`${text('ru', 'trainer.session.cancelledBadge')}.*${reason}`));
  assert.equal((await sessionNow(fourth.id)).cancelled?.reason, reason);
  await row.locator(`a[href^="/app/sessions/${fourth.id}"]`).click();
  await shown(page, page.locator('.att-cancelled h2', { hasText: text('ru', 'attendance.cancelled.title') }), 'the cancelled sheet in Russian');
  await page.context().close();
  await patchNow(trainer, `/sessions/${fourth.id}`, { cancelled: null });
});

test('kk: a person withdrawn with a reason leaves the sheet and the eligibility', async () => {
  const page = await cohortPage(kTrainer, 'kk');
  const item = page.locator(`.enrolment-list li[data-enrolment="${leaving.enrolment}"]`);
  await shown(page, item, 'the person in the list');
  await item.getByRole('button', { name: `${text('kk', 'trainer.withdraw.action')}: ${leaving.name}` }).click();
  await item.locator('textarea[name="reason"]').fill('Басқа ауданға көшіп кетті');
  await item.locator('form.reason-form button[type="submit"]').click();
  await shown(page, page.locator(`.enrolment-list li.withdrawn[data-enrolment="${leaving.enrolment}"]`), 'the person as withdrawn');
  const enrolment = await trainer.get(`/enrolments/${leaving.enrolment}`);
  assert.equal(enrolment.json.withdrawn?.reason, 'Басқа ауданға көшіп кетті');
  const sheet = await trainer.get(`/sessions/${sessions[4].id}/attendance`);
  assert.deepEqual(sheet.json.rows.map((r) => r.enrolment_id), [keen.enrolment], 'not on the sheet');
  assert.equal(await eligibilityOf(leaving.enrolment), null, 'not in the eligibility');
  await page.locator('.eligibility li', { hasText: leaving.name }).waitFor({ state: 'detached' });
  await page.locator(`a[href^="/app/sessions/${sessions[4].id}"]`).click();
  // The copy kept on the phone may show first; the sheet read from the server replaces it.
  await page.locator(`button.att-row[data-enrolment="${keen.enrolment}"]`).waitFor();
  await page.locator(`button.att-row[data-enrolment="${leaving.enrolment}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(await page.locator('button.att-row .att-name').allInnerTexts(), [keen.name], 'the sheet on the phone');
  await page.context().close();
});

test("kk: an administrator reads the cohort's and the sessions' histories with old and new values", async () => {
  const oldPlace = cohort.place;
  const newPlace = 'Нұра, мәдениет үйі';
  await patchNow(admin, `/cohorts/${cohort.id}`, { place: newPlace });
  const page = await cohortPage('admin', 'kk');
  await page.locator('a.cohort-history').click();
  await shown(page, page.locator('h1', { hasText: text('kk', 'trainer.history.cohort') }), "the cohort's history");
  const place = page.locator('.history li[data-action="edited"] li[data-field="place"]');
  await shown(page, place, 'the change of place');
  assert.equal(await place.locator('.field-name').innerText(), text('kk', 'history.field.cohort.place'));
  assert.deepEqual([await place.locator('.old').innerText(), await place.locator('.new').innerText()], [oldPlace, newPlace]);
  await screenshot(page, 'corrections-cohort-history-kk');

  // The first session: cancelled with its reason, then restored.
  await page.locator(`a[href="/app/sessions/${sessions[0].id}/history"]`).click();
  await shown(page, page.locator('h1', { hasText: text('kk', 'trainer.history.session') }), "the session's history");
  const cancelledChange = page.locator('.history li[data-action="cancelled"]');
  await shown(page, cancelledChange, 'the cancellation');
  assert.match(await cancelledChange.locator('p').first().innerText(), new RegExp(text('kk', 'history.action.session.cancelled')));
  const field = cancelledChange.locator('li[data-field="cancelled"]');
  assert.equal(await field.locator('.field-name').innerText(), text('kk', 'history.field.session.cancelled'));
  assert.deepEqual([await field.locator('.old').innerText(), await field.locator('.new').innerText()], ['—', 'Әкімдікте кезектен тыс жиналыс: зал бос емес']);
  assert.equal(await page.locator('.history li[data-action="restored"]').count(), 1);
  assert.match(await page.locator('.history li[data-action="restored"] p').first().innerText(), new RegExp(text('kk', 'history.action.session.restored')));

  // The second session, reached from its row: moved and re-titled.
  await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
  await shown(page, page.locator(`li[data-session="${sessions[1].id}"] a[href="/app/sessions/${sessions[1].id}/history"]`), 'the history link of the row');
  await page.locator(`li[data-session="${sessions[1].id}"] a[href="/app/sessions/${sessions[1].id}/history"]`).click();
  const topic = page.locator('.history li[data-action="edited"] li[data-field="topic"]');
  await shown(page, topic, 'the change of topic');
  assert.deepEqual([await topic.locator('.old').innerText(), await topic.locator('.new').innerText()], [sessions[1].topic, 'Ауыл жоспары: жұмыс топтары']);
  const start = page.locator('.history li[data-action="edited"] li[data-field="starts_at"]');
  assert.equal(await start.locator('.field-name').innerText(), text('kk', 'history.field.session.starts_at'));
  const [oldStart, newStart] = [await start.locator('.old').innerText(), await start.locator('.new').innerText()];
  assert.notEqual(oldStart, newStart);
  // Written as a date and time, not as the API's ISO text.
  assert.match(newStart, /2019/, `the new start: ${newStart}`);
  assert.doesNotMatch(newStart, /\dT\d|Z$/, `the new start is not ISO text: ${newStart}`);

  // The same history list on a person's page: their withdrawal, with its reason.
  await page.goto(`${service.url}/app/people/${leaving.participant}`);
  const withdrawal = page.locator('.history li[data-action="withdrawn"] li[data-field="withdrawn"]');
  await shown(page, withdrawal, "the withdrawal in the person's history");
  assert.equal(await withdrawal.locator('.field-name').innerText(), text('kk', 'history.field.enrolment.withdrawn'));
  assert.deepEqual([await withdrawal.locator('.old').innerText(), await withdrawal.locator('.new').innerText()], ['—', 'Басқа ауданға көшіп кетті']);
  await page.context().close();
});

test("another trainer finds neither the session's sheet, its history nor the cohort", async () => {
  const other = await apiAs(service, kOtherTrainer);
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await signIn(page, service, kOtherTrainer);
  const lang = await page.evaluate(() => document.documentElement.lang);
  const titles = ['kk', 'ru', 'en'].map((code) => common[code]['notFound.title']);
  for (const path of [`/app/sessions/${sessions[0].id}`, `/app/sessions/${sessions[0].id}/history`, `/app/cohorts/${cohort.id}`]) {
    await page.goto(`${service.url}${path}`);
    await shown(page, page.getByRole('heading', { level: 1 }).filter({ hasText: new RegExp(`^(${titles.join('|')})$`) }), `not found at ${path} (${lang})`);
    assert.equal(await page.locator('button.att-row, li[data-session]').count(), 0, `nothing of it at ${path}`);
  }
  assert.equal((await other.get(`/sessions/${sessions[0].id}`)).status, 404);
  const read = await trainer.get(`/sessions/${sessions[0].id}`);
  const refused = await patchAt(other, `/sessions/${sessions[0].id}`, { cancelled: { reason: 'не моё' } }, read.headers.get('etag'));
  assert.equal(refused.status, 404);
  assert.equal((await sessionNow(sessions[0].id)).cancelled, null, 'nothing changed');
  await page.context().close();
});
