// An administrator corrects, on a 360 px phone in Russian or Kazakh, what was made, from the
// management pages where they find it: renames a course and changes its hours (only those fields
// are sent, with the If-Match of the GET), changes a completion rule and sees, before saving, whom
// it makes or stops qualifying per cohort (the API's dry run), moves a locality under another
// parent, corrects a cohort's place and a programme's donor. Each is checked on the server and in
// the entity's history (old and new value). An edit made stale by someone else's change meanwhile
// is refused with what they changed, in the reader's language, overwrites nothing, and is saved
// once re-applied on the current version. A value the server refuses is marked next to its field.
// A trainer sees no edit button for programmes, courses or localities, and the API refuses them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import common from '../../plugin/web/src/i18n/common.js';
import manageMessages from '../../plugin/web/src/pages/manage/messages.js';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';


/** "old → new" of one field of a history entry, as the page shows the two values. */
async function changed(entry, field) {
  const row = entry.locator(`li[data-field="${field}"]`);
  return `${(await row.locator('.old').innerText()).trim()} → ${(await row.locator('.new').innerText()).trim()}`;
}
let service;
let browser;
let admin;

const locales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** A text of the management pages in `lang`, filled like the app fills it. */
function text(lang, key, params = {}) {
  const template = { ...common[lang], ...manageMessages[lang] }[key];
  assert.ok(template, `no text ${key} in ${lang}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => String(params[name] ?? whole));
}

before(async () => {
  service = await startService({ prefix: 'corrmanage' });
  browser = await launchBrowser();
  admin = await apiAs(service, 'admin');
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** A PATCH as `client` (an apiAs client) naming `ifMatch`, as another administrator's edit. */
async function patchAs(client, path, body, ifMatch) {
  const response = await fetch(`${service.url}/api/v1${path}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', Authorization: `Bearer ${client.token}`, 'If-Match': ifMatch },
    body: JSON.stringify(body),
  });
  const answer = await response.text();
  return { status: response.status, json: answer ? JSON.parse(answer) : null, etag: response.headers.get('ETag') };
}

/** Waits for `locator`; when it does not come, fails saying what the page showed instead. */
async function shows(page, locator, what) {
  try {
    await locator.first().waitFor({ timeout: 60000 });
  } catch {
    const main = await page.locator('main').innerText().catch(() => '(no page)');
    throw new Error(`${what} did not show; the page showed:\n${main.slice(0, 3000)}`);
  }
}

/** The administrator on a phone at `path`, in `lang`; every PATCH the page sends is kept in `page.patches`. */
async function adminPhone(path, lang) {
  const page = await newPage(browser, { locale: locales[lang] });
  await signIn(page, service, 'admin');
  await page.goto(`${service.url}${path}`);
  await page.locator('h1').waitFor();
  await chooseLanguage(page, lang);
  page.patches = [];
  page.on('request', (request) => {
    if (request.method() === 'PATCH') page.patches.push({ url: request.url(), body: request.postDataJSON(), ifMatch: request.headers()['if-match'] });
  });
  return page;
}

/** The `.field` block around the control named `name` inside `scope`. */
const fieldOf = (scope, name) => scope.locator('.field', { has: scope.page().locator(`[name="${name}"]`) });

/** The edit form under an item (`item` its locator), after its Edit button was pressed and it is filled. */
async function openEditor(page, item, lang, name, filledName) {
  await item.getByRole('button', { name: `${text(lang, 'manage.edit.edit')} ${name}`, exact: true }).click();
  const form = item.locator('form.manage-edit');
  await shows(page, form.locator(`[name="${filledName}"]`), `the edit form of ${name}`);
  return form;
}

/** The history under an item, opened by its History button, with the change of `version` listed. */
async function openHistory(page, item, lang, name) {
  await item.getByRole('button', { name: `${text(lang, 'manage.edit.history')} ${name}`, exact: true }).click();
  const list = item.locator('.manage-history ol.history');
  await shows(page, list, `the history of ${name}`);
  return list;
}

const courseOf = async (track) => (await admin.get('/courses')).json.items.find((c) => c.track === track);

test('ru, phone: the admin renames a course and changes its hours; a refused value is marked at its field; only the changes are sent', async () => {
  const course = await courseOf('entrepreneurship');
  const before_ = await admin.get(`/courses/${course.id}`);
  const page = await adminPhone('/app/manage/courses', 'ru');
  const item = page.locator(`[data-course="${course.id}"]`);
  await shows(page, item, 'the course in the list');
  const form = await openEditor(page, item, 'ru', course.title.ru, 'title.ru');

  // Filled with what the server holds.
  assert.equal(await form.locator('[name="title.kk"]').inputValue(), course.title.kk);
  assert.equal(await form.locator('[name="title.ru"]').inputValue(), course.title.ru);
  assert.equal(await form.locator('[name="title.en"]').inputValue(), course.title.en);
  assert.equal(Number(await form.locator('[name="hours"]').inputValue()), course.hours);
  assert.equal(await form.locator('[name="min_attendance_percent"]').inputValue(), String(course.rule.min_attendance_percent));

  // Nothing changed: nothing is sent.
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  await shows(page, form.getByRole('status').filter({ hasText: text('ru', 'manage.edit.unchanged') }), 'the nothing-changed notice');
  assert.deepEqual(page.patches, []);

  // Hours the server refuses: marked at the field, which takes the focus; nothing saved.
  await form.locator('[name="hours"]').fill('0');
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  const hours = fieldOf(form, 'hours');
  await shows(page, hours.locator('.error-text'), 'the message at the hours field');
  assert.equal(await hours.locator('.error-text').innerText(), text('ru', 'manage.err.hours'));
  assert.equal(await form.locator('[name="hours"]').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'hours');
  assert.equal((await admin.get(`/courses/${course.id}`)).json.hours, course.hours);

  const renamed = 'Основы предпринимательства для сельских жителей';
  await form.locator('[name="title.ru"]').fill(renamed);
  await form.locator('[name="hours"]').fill('40');
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('ru', 'manage.edit.saved', { name: renamed }) }), 'the saved announcement');
  // The form closed and the focus went back to the course's Edit button.
  assert.equal(await item.locator('form.manage-edit').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('edit-button')), true);
  await shows(page, item.locator('.manage-item-title').filter({ hasText: renamed }), 'the new title in the list');

  // Sent: a merge patch of the two changes, based on the version the GET answered.
  const sent = page.patches.filter((p) => p.url.endsWith(`/api/v1/courses/${course.id}`));
  assert.equal(sent.length, 2, JSON.stringify(page.patches));
  assert.deepEqual(sent[1].body, { title: { ru: renamed }, hours: 40 });
  assert.equal(sent[1].ifMatch, before_.headers.get('etag'));

  const now = await admin.get(`/courses/${course.id}`);
  assert.deepEqual(now.json.title, { ...course.title, ru: renamed });
  assert.equal(now.json.hours, 40);
  assert.deepEqual(now.json.rule, course.rule);
  assert.notEqual(now.headers.get('etag'), before_.headers.get('etag'));

  const history = await openHistory(page, item, 'ru', renamed);
  const entry = history.locator('li[data-action="edited"]').first();
  assert.equal(await changed(entry, 'title.ru'), `${course.title.ru} → ${renamed}`);
  assert.equal(await changed(entry, 'hours'), `${course.hours} → 40`);
  await screenshot(page, 'corrections-course-history-ru');
  await page.context().close();
});

test('kk, phone: a new completion rule shows, before it is saved, whom it changes per cohort, as the dry run says; saved once confirmed', async () => {
  const course = await courseOf('inclusive_planning');
  assert.equal(course.rule.min_attendance_percent, 80);
  // What the API says the new rule would change.
  const dry = await patchAs(admin, `/courses/${course.id}?dry_run=true`, { rule: { min_attendance_percent: 90 } }, '*');
  assert.equal(dry.status, 200);
  const expected = dry.json.rule_changes;
  const sum = (key) => expected.reduce((total, change) => total + change[key], 0);
  assert.ok(sum('stops_being_eligible') > 0, 'the demo data has nobody the new rule affects');

  const page = await adminPhone('/app/manage/courses', 'kk');
  const item = page.locator(`[data-course="${course.id}"]`);
  await shows(page, item, 'the course in the list');
  const form = await openEditor(page, item, 'kk', course.title.kk, 'min_attendance_percent');
  await form.locator('[name="min_attendance_percent"]').fill('90');
  await form.getByRole('button', { name: text('kk', 'manage.edit.save') }).click();

  const review = form.locator('[data-review]');
  await shows(page, review.locator('[data-rule-total]'), 'the preview of the new rule');
  // Focus on the preview's heading, so a screen reader reads it first.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H3');
  const total = review.locator('[data-rule-total]');
  assert.equal(Number(await total.getAttribute('data-becomes')), sum('becomes_eligible'));
  assert.equal(Number(await total.getAttribute('data-stops')), sum('stops_being_eligible'));
  assert.equal(Number(await total.getAttribute('data-holding')), sum('holding_certificates'));
  assert.equal(
    await total.innerText(),
    text('kk', 'manage.rule.total', { becomes: sum('becomes_eligible'), stops: sum('stops_being_eligible'), holding: sum('holding_certificates') }),
  );
  const affected = expected.filter((c) => c.becomes_eligible > 0 || c.stops_being_eligible > 0);
  const shown = await review.locator('li[data-cohort]').evaluateAll((items) =>
    items.map((li) => ({ cohort_id: Number(li.dataset.cohort), becomes_eligible: Number(li.dataset.becomes), stops_being_eligible: Number(li.dataset.stops), holding_certificates: Number(li.dataset.holding) })),
  );
  assert.deepEqual(shown, affected);
  const first = review.locator(`li[data-cohort="${affected[0].cohort_id}"]`);
  assert.match(await first.innerText(), new RegExp(text('kk', 'manage.rule.stops', { count: affected[0].stops_being_eligible })));
  const cohort = (await admin.get(`/cohorts/${affected[0].cohort_id}`)).json;
  assert.match(await first.innerText(), new RegExp(cohort.place));
  await screenshot(page, 'corrections-rule-preview-kk');

  // Only a dry run so far: the rule on the server is the old one.
  assert.deepEqual(page.patches.map((p) => new URL(p.url).search), ['?dry_run=true']);
  assert.equal((await admin.get(`/courses/${course.id}`)).json.rule.min_attendance_percent, 80);

  await form.getByRole('button', { name: text('kk', 'manage.edit.confirm') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('kk', 'manage.edit.saved', { name: course.title.kk }) }), 'the saved announcement');
  assert.deepEqual(page.patches.map((p) => new URL(p.url).search), ['?dry_run=true', '']);
  assert.deepEqual(page.patches[1].body, { rule: { min_attendance_percent: 90 } });
  assert.deepEqual((await admin.get(`/courses/${course.id}`)).json.rule, { ...course.rule, min_attendance_percent: 90 });

  const history = await openHistory(page, item, 'kk', course.title.kk);
  assert.equal(await changed(history.locator('li[data-action="edited"]').last(), 'rule.min_attendance_percent'), '80 → 90');
  await page.context().close();
});

test('ru, phone: the admin moves a locality under another district and gives it its KATO code', async () => {
  const all = [];
  for (const region of (await admin.get('/localities')).json.items) {
    all.push(region);
    for (const district of (await admin.get(`/localities?parent=${region.id}`)).json.items) {
      all.push(district);
      all.push(...(await admin.get(`/localities?parent=${district.id}`)).json.items);
    }
  }
  const byEn = (en) => all.find((l) => l.name.en === en);
  const region = byEn('East Kazakhstan Region');
  const from = byEn('Glubokoe District');
  const to = byEn('Shemonaikha District');
  const moved = byEn('Kozhokhovo rural district');
  assert.equal(moved.parent_id, from.id);

  const page = await adminPhone('/app/manage/localities', 'ru');
  const node = (locality) => page.locator(`[data-locality="${locality.id}"]`);
  await node(region).locator('.manage-toggle').first().click();
  await node(from).locator('.manage-toggle').first().click();
  await shows(page, node(moved), 'the rural district in the tree');
  const form = await openEditor(page, node(moved), 'ru', moved.name.ru, 'name.ru');

  // Offered: the top level and the places of a higher kind, never itself or a place of its kind.
  const offered = await form.locator('select[name="parent_id"] option').evaluateAll((options) => options.map((o) => o.value));
  assert.equal(offered[0], '');
  assert.ok(offered.includes(String(to.id)) && offered.includes(String(region.id)));
  for (const locality of all.filter((l) => ['settlement', 'rural_district', 'village'].includes(l.kind))) {
    assert.ok(!offered.includes(String(locality.id)), `${locality.name.en} is offered as a parent`);
  }
  assert.equal(await form.locator('select[name="parent_id"]').inputValue(), String(from.id));

  // A wrong code is marked at its field.
  await form.locator('[name="kato"]').fill('6340');
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  await shows(page, fieldOf(form, 'kato').locator('.error-text'), 'the message at the KATO field');
  assert.equal(await fieldOf(form, 'kato').locator('.error-text').innerText(), text('ru', 'manage.err.kato'));
  assert.equal((await admin.get(`/localities/${moved.id}`)).json.parent_id, from.id);

  await form.locator('select[name="parent_id"]').selectOption(String(to.id));
  await form.locator('[name="kato"]').fill('634057100');
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('ru', 'manage.localities.moved', { name: moved.name.ru }) }), 'the moved announcement');
  assert.deepEqual(page.patches.at(-1).body, { parent_id: to.id, kato: '634057100' });

  const now = (await admin.get(`/localities/${moved.id}`)).json;
  assert.equal(now.parent_id, to.id);
  assert.equal(now.kato, '634057100');
  assert.deepEqual(now.name, moved.name);
  assert.ok((await admin.get(`/localities?parent=${to.id}`)).json.items.some((l) => l.id === moved.id));
  assert.ok(!(await admin.get(`/localities?parent=${from.id}`)).json.items.some((l) => l.id === moved.id));
  // The tree shows it in its new place, opened there.
  await shows(page, node(to).locator(`[data-locality="${moved.id}"]`), 'the locality under its new district');
  assert.equal(await node(from).locator(`[data-locality="${moved.id}"]`).count(), 0);

  const history = await openHistory(page, node(to).locator(`[data-locality="${moved.id}"]`), 'ru', moved.name.ru);
  const entry = history.locator('li[data-action="edited"]').first();
  assert.equal(await changed(entry, 'parent_id'), `${from.id} → ${to.id}`);
  assert.equal(await changed(entry, 'kato'), '— → 634057100');
  await screenshot(page, 'corrections-locality-ru');
  await page.context().close();
});

test('kk, phone: the admin corrects a cohort’s place; the history shows the old and the new place', async () => {
  const cohort = (await admin.get('/cohorts')).json.items.find((c) => c.language === 'kk');
  const page = await adminPhone('/app/manage/cohorts', 'kk');
  const item = page.locator(`[data-cohort="${cohort.id}"]`);
  await shows(page, item, 'the cohort in the list');
  const title = (await item.locator('.manage-item-title').innerText()).trim();
  const form = await openEditor(page, item, 'kk', `${title}, ${cohort.place}`, 'place');
  assert.equal(await form.locator('[name="place"]').inputValue(), cohort.place);
  assert.equal(await form.locator('[name="starts_on"]').inputValue(), cohort.starts_on);
  assert.equal(await form.locator('select[name="locality_id"]').inputValue(), String(cohort.locality_id));
  const checked = await form.locator('input[name="trainer_ids"]:checked').evaluateAll((boxes) => boxes.map((b) => Number(b.value)));
  assert.deepEqual(checked.sort(), [...cohort.trainer_ids].sort());

  const place = 'Ауылдық округ әкімдігі, кіші мәжіліс залы';
  await form.locator('[name="place"]').fill(place);
  await form.getByRole('button', { name: text('kk', 'manage.edit.save') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('kk', 'manage.edit.saved', { name: `${title}, ${place}` }) }), 'the saved announcement');
  assert.deepEqual(page.patches.at(-1).body, { place });
  const now = (await admin.get(`/cohorts/${cohort.id}`)).json;
  assert.deepEqual(now, { ...cohort, place });

  const history = await openHistory(page, item, 'kk', `${title}, ${place}`);
  assert.equal(await changed(history.locator('li[data-action="edited"]').first(), 'place'), `${cohort.place} → ${place}`);
  await page.context().close();
});

test('kk, phone: the admin corrects a programme’s donor and youth band on its page', async () => {
  const programme = (await admin.get('/programmes')).json.items.find((p) => p.code === 'LSG-EKZ');
  const page = await adminPhone(`/app/manage/programmes/${programme.id}`, 'kk');
  const form = await openEditor(page, page.locator('main'), 'kk', programme.code, 'donor');
  assert.equal(await form.locator('[name="donor"]').inputValue(), programme.donor);
  assert.equal(await form.locator('[name="organisations[0].en"]').inputValue(), programme.organisations[0].en);
  await form.locator('[name="donor"]').fill('Еуропалық Одақ');
  await form.locator('[name="youth.to"]').fill('29');
  await form.getByRole('button', { name: text('kk', 'manage.edit.save') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('kk', 'manage.edit.saved', { name: programme.code }) }), 'the saved announcement');
  assert.deepEqual(page.patches.at(-1).body, { donor: 'Еуропалық Одақ', youth: { to: 29 } });
  assert.deepEqual((await admin.get(`/programmes/${programme.id}`)).json, { ...programme, donor: 'Еуропалық Одақ', youth: { from: 14, to: 29 } });
  assert.match(await page.locator('.manage-facts').innerText(), /Еуропалық Одақ/);
  const history = await openHistory(page, page.locator('main'), 'kk', programme.code);
  const entry = history.locator('li[data-action="edited"]').first();
  assert.equal(await changed(entry, 'donor'), `${programme.donor} → Еуропалық Одақ`);
  assert.equal(await changed(entry, 'youth.to'), '35 → 29');
  await page.context().close();
});

test('ru, phone: an edit made stale meanwhile is refused with what changed, overwrites nothing, and is saved once re-applied', async () => {
  const course = await courseOf('study_visit');
  const page = await adminPhone('/app/manage/courses', 'ru');
  const item = page.locator(`[data-course="${course.id}"]`);
  await shows(page, item, 'the course in the list');
  const form = await openEditor(page, item, 'ru', course.title.ru, 'hours');
  const mine = { ru: 'Учебная поездка по местному самоуправлению (Болгария)', hours: '44' };
  await form.locator('[name="title.ru"]').fill(mine.ru);
  await form.locator('[name="hours"]').fill(mine.hours);

  // Meanwhile another administrator changes the hours and the English title.
  const other = await apiAs(service, 'admin');
  const read = await other.get(`/courses/${course.id}`);
  const theirs = await patchAs(other, `/courses/${course.id}`, { hours: 42, title: { en: 'Study visit to Bulgaria' } }, read.headers.get('etag'));
  assert.equal(theirs.status, 200);

  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  const notice = form.locator('[data-stale]');
  await shows(page, notice, 'the notice of a change made meanwhile');
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-stale')), true);
  const said = await notice.innerText();
  assert.match(said, new RegExp(text('ru', 'manage.edit.stale')));
  assert.match(await notice.locator('[data-field="hours"]').innerText(), new RegExp(`${text('ru', 'manage.courses.hours')}: 42`));
  assert.match(await notice.locator('[data-field="hours"]').innerText(), new RegExp(text('ru', 'manage.edit.yours', { value: '44' })));
  assert.match(await notice.locator('[data-field="title.en"]').innerText(), /Study visit to Bulgaria/);
  await screenshot(page, 'corrections-stale-ru');

  // Nothing of the stale edit was written.
  const kept = (await admin.get(`/courses/${course.id}`)).json;
  assert.equal(kept.hours, 42);
  assert.deepEqual(kept.title, { ...course.title, en: 'Study visit to Bulgaria' });

  // The form stands on the current version: their hours and title, my Russian title kept.
  assert.equal(await form.locator('[name="hours"]').inputValue(), '42');
  assert.equal(await form.locator('[name="title.en"]').inputValue(), 'Study visit to Bulgaria');
  assert.equal(await form.locator('[name="title.ru"]').inputValue(), mine.ru);

  // Re-applied: my hours again, saved on their version; their English title stays.
  await form.locator('[name="hours"]').fill(mine.hours);
  await form.getByRole('button', { name: text('ru', 'manage.edit.save') }).click();
  await shows(page, page.getByRole('status').filter({ hasText: text('ru', 'manage.edit.saved', { name: mine.ru }) }), 'the saved announcement');
  assert.deepEqual(page.patches.at(-1).body, { title: { ru: mine.ru }, hours: 44 });
  assert.equal(page.patches.at(-1).ifMatch, theirs.etag);
  const now = (await admin.get(`/courses/${course.id}`)).json;
  assert.equal(now.hours, 44);
  assert.deepEqual(now.title, { kk: course.title.kk, ru: mine.ru, en: 'Study visit to Bulgaria' });

  const history = await openHistory(page, item, 'ru', mine.ru);
  const entries = history.locator('li[data-action="edited"]');
  assert.equal(await entries.count(), 2);
  // Newest first: mine on top of theirs.
  assert.equal(await changed(entries.nth(0), 'hours'), '42 → 44');
  assert.equal(await changed(entries.nth(1), 'hours'), `${course.hours} → 42`);
  await page.context().close();
});

test('a trainer sees no edit button for programmes, courses or localities, and the API refuses their edits', async () => {
  const page = await newPage(browser, { locale: 'ru-RU' });
  await signIn(page, service, 'trainer.nura');
  for (const path of ['/app/manage/programmes', '/app/manage/programmes/1', '/app/manage/courses', '/app/manage/localities']) {
    await page.goto(`${service.url}${path}`);
    await page.locator('h1').waitFor();
    assert.equal(await page.locator('main .edit-button, main .history-button, main form').count(), 0, `${path} offers a trainer an edit`);
    assert.equal(await page.getByRole('button', { name: new RegExp(`^(${text('ru', 'manage.edit.edit')}|${text('kk', 'manage.edit.edit')}|Edit)`) }).count(), 0);
  }
  const trainer = await apiAs(service, 'trainer.nura');
  const course = await courseOf('entrepreneurship');
  const locality = (await admin.get('/localities')).json.items[0];
  assert.equal((await patchAs(trainer, `/courses/${course.id}`, { hours: 1 }, '*')).status, 403);
  assert.equal((await patchAs(trainer, `/programmes/1`, { donor: 'Someone' }, '*')).status, 403);
  assert.equal((await patchAs(trainer, `/localities/${locality.id}`, { kato: '111111111' }, '*')).status, 403);
  assert.equal((await admin.get(`/courses/${course.id}`)).json.hours, course.hours);
  assert.equal((await admin.get('/localities')).json.items[0].kato, locality.kato);
  await page.context().close();
});
