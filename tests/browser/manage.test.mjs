// The administrator's management pages on the demo data: a locality inside a district, a course,
// a trainer account named in Kazakh and a cohort with trainers are made in the browser and then
// read back from the server; a field the server refuses is marked next to the field and nothing
// is made; the new trainer signs in and sees the cohort; a trainer gets no management page and
// the accounts API answers them 403. Screenshots of the hub, cohorts and accounts in kk, ru, en.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

let service;
let browser;
let admin;

const desktop = { width: 1280, height: 900 };
const newTrainer = { login: 'nurlan.abenov', name: 'Нұрлан Әбенов', password: 'Qatysu-Nurlan-2026' };
const newLocality = {
  kk: 'Жаңа Қарағайлы ауылдық округі',
  ru: 'Новокарагайлинский сельский округ',
  en: 'Zhana Karagaily rural district',
  kato: '634055100',
};
const newCourse = {
  kk: 'Жергілікті бюджетке қатысу',
  ru: 'Участие в местном бюджете',
  en: 'Taking part in the local budget',
  hours: '16',
};
// What the tests make, for the tests after them.
const made = {};

before(async () => {
  service = await startService({ prefix: 'manage' });
  browser = await launchBrowser();
  admin = await apiAs(service, 'admin');
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

async function adminPage(path, lang = 'en') {
  const page = await newPage(browser, { viewport: desktop, locale: 'en-GB' });
  await signIn(page, service, 'admin');
  await page.goto(`${service.url}${path}`);
  await page.locator('h1').waitFor();
  if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await chooseLanguage(page, lang);
  return page;
}

/** The `.field` block around the control named `name`, with its error text. */
const fieldOf = (page, name) => page.locator('.field', { has: page.locator(`[name="${name}"]`) });

async function findDistrict(enName) {
  const regions = (await admin.get('/localities')).json.items;
  for (const region of regions) {
    const districts = (await admin.get(`/localities?parent=${region.id}`)).json.items;
    const district = districts.find((d) => d.name.en === enName);
    if (district) return { region, district };
  }
  throw new Error(`no district ${enName} in the demo data`);
}

test('the hub links every management page, in kk, ru and en', async () => {
  const page = await adminPage('/app/manage', 'kk');
  const links = page.locator('.manage-hub a');
  assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
    '/app/manage/programmes',
    '/app/manage/localities',
    '/app/manage/courses',
    '/app/manage/cohorts',
    '/app/manage/accounts',
  ]);
  const headings = { kk: 'Басқару', ru: 'Управление', en: 'Management' };
  const accountsLink = { kk: 'Тіркелгілер', ru: 'Учётные записи', en: 'Accounts' };
  for (const lang of ['kk', 'ru', 'en']) {
    if (lang !== 'kk') await chooseLanguage(page, lang);
    assert.equal(await page.locator('h1').innerText(), headings[lang]);
    assert.match(await links.nth(4).innerText(), new RegExp(accountsLink[lang]));
    await screenshot(page, `manage-hub-${lang}`);
  }
  await links.nth(2).click();
  await page.waitForURL(/\/app\/manage\/courses$/);
  assert.deepEqual(page.outsideRequests, []);
  await page.context().close();
});

test('the admin creates a programme and sets its targets; the server holds them', async () => {
  const page = await adminPage('/app/manage/programmes');
  await page.locator('input[name="code"]').fill('KZ-YOUTH-2026');
  await page.locator('input[name="title.kk"]').fill('Жастар қатысуы');
  await page.locator('input[name="title.ru"]').fill('Участие молодёжи');
  await page.locator('input[name="title.en"]').fill('Youth participation');
  await page.locator('input[name="donor"]').fill('European Union');
  await page.locator('input[name="starts_on"]').fill('2026-01-01');
  await page.locator('input[name="ends_on"]').fill('2025-12-31');
  await page.locator('input[name="youth.to"]').fill('29');
  await page.getByRole('button', { name: 'Create the programme' }).click();
  await fieldOf(page, 'ends_on').locator('.error-text').waitFor();
  assert.match(await fieldOf(page, 'ends_on').locator('.error-text').innerText(), /cannot be before/);
  assert.equal((await admin.get('/programmes')).json.items.some((p) => p.code === 'KZ-YOUTH-2026'), false);

  await page.locator('input[name="ends_on"]').fill('2027-12-31');
  await page.getByRole('button', { name: 'Create the programme' }).click();
  await page.getByRole('status').filter({ hasText: 'Programme created: KZ-YOUTH-2026' }).waitFor();
  const programme = (await admin.get('/programmes')).json.items.find((p) => p.code === 'KZ-YOUTH-2026');
  assert.ok(programme, 'the programme is not on the server');
  assert.deepEqual(programme.title, { kk: 'Жастар қатысуы', ru: 'Участие молодёжи', en: 'Youth participation' });
  assert.deepEqual(programme.youth, { from: 14, to: 29 });
  assert.equal(programme.starts_on, '2026-01-01');
  assert.equal(programme.ends_on, '2027-12-31');
  await screenshot(page, 'manage-programmes-en');

  await page.locator(`a.button[href="/app/manage/programmes/${programme.id}"]`).click();
  await page.getByRole('button', { name: 'Add a target' }).click();
  await page.locator('select[name="targets[0].measure"]').selectOption('trained');
  await page.locator('select[name="targets[0].track"]').selectOption('inclusive_planning');
  await page.locator('input[name="targets[0].value"]').fill('40');
  await page.getByRole('button', { name: 'Add a target' }).click();
  await page.locator('select[name="targets[1].measure"]').selectOption('reached');
  await page.locator('input[name="targets[1].value"]').fill('0');
  await page.getByRole('button', { name: 'Save the targets' }).click();
  await fieldOf(page, 'targets[1].value').locator('.error-text').waitFor();
  assert.deepEqual((await admin.get(`/programmes/${programme.id}/targets`)).json.targets, []);
  await page.locator('input[name="targets[1].value"]').fill('300');
  await page.getByRole('button', { name: 'Save the targets' }).click();
  await page.getByRole('status').filter({ hasText: 'Targets saved: 2' }).waitFor();
  const targets = (await admin.get(`/programmes/${programme.id}/targets`)).json.targets;
  const byMeasure = Object.fromEntries(targets.map((t) => [t.measure, t]));
  assert.equal(targets.length, 2);
  assert.equal(byMeasure.trained.track, 'inclusive_planning');
  assert.equal(byMeasure.trained.value, 40);
  assert.equal(byMeasure.reached.track ?? null, null);
  assert.equal(byMeasure.reached.value, 300);
  await screenshot(page, 'manage-targets-en');
  await page.context().close();
});

test('the admin adds a locality inside a district; a wrong KATO code is marked and adds nothing', async () => {
  const { region, district } = await findDistrict('Glubokoe District');
  const before_ = (await admin.get(`/localities?parent=${district.id}`)).json.items;
  const page = await adminPage('/app/manage/localities');
  // Opened from the keyboard; the branch opens and the focus stays on its button.
  const toggle = page.getByRole('button', { name: region.name.en, exact: true });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.press('Enter');
  await page.getByRole('button', { name: district.name.en, exact: true }).waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), await toggle.textContent());
  await page.getByRole('button', { name: `Add inside ${district.name.en}`, exact: true }).click();
  assert.match(await page.locator('[data-parent]').innerText(), new RegExp(district.name.en));
  await page.locator('select[name="kind"]').selectOption('rural_district');
  await page.locator('input[name="name.kk"]').fill(newLocality.kk);
  await page.locator('input[name="name.ru"]').fill(newLocality.ru);
  await page.locator('input[name="name.en"]').fill(newLocality.en);
  await page.locator('input[name="kato"]').fill('63405');
  await page.getByRole('button', { name: 'Add the locality' }).click();
  const kato = fieldOf(page, 'kato');
  await kato.locator('.error-text').waitFor();
  assert.match(await kato.locator('.error-text').innerText(), /9 digits/);
  assert.equal(await page.locator('input[name="kato"]').getAttribute('aria-invalid'), 'true');
  assert.equal((await admin.get(`/localities?parent=${district.id}`)).json.items.length, before_.length);

  await page.locator('input[name="kato"]').fill(newLocality.kato);
  await page.getByRole('button', { name: 'Add the locality' }).click();
  await page.getByRole('status').filter({ hasText: `Locality added: ${newLocality.en}` }).waitFor();
  // The new one shows in the tree under its district…
  await page.locator(`[data-locality="${district.id}"]`).getByRole('button', { name: newLocality.en, exact: true }).waitFor();

  // …and the server holds it, exactly as typed.
  const children = (await admin.get(`/localities?parent=${district.id}`)).json.items;
  assert.equal(children.length, before_.length + 1);
  const created = children.find((l) => l.name.en === newLocality.en);
  assert.ok(created, 'the locality is not on the server');
  assert.deepEqual(created.name, { kk: newLocality.kk, ru: newLocality.ru, en: newLocality.en });
  assert.equal(created.kind, 'rural_district');
  assert.equal(created.kato, newLocality.kato);
  assert.equal(created.parent_id, district.id);
  made.locality = created;
  await screenshot(page, 'manage-localities-en');
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshot(page, 'manage-localities-phone-en');
  await page.context().close();
});

test('the admin creates a course; an empty title is marked next to its field and creates nothing', async () => {
  const programme = (await admin.get('/programmes')).json.items.find((p) => p.code === 'LSG-EKZ');
  const count = async () => (await admin.get(`/courses?programme=${programme.id}`)).json.items.length;
  const before_ = await count();
  const page = await adminPage('/app/manage/courses');
  await page.locator('select[name="programme"]').selectOption(String(programme.id));
  await page.locator('select[name="track"]').selectOption('entrepreneurship');
  await page.locator('input[name="title.kk"]').fill(newCourse.kk);
  await page.locator('input[name="title.en"]').fill(newCourse.en);
  await page.locator('input[name="hours"]').fill(newCourse.hours);
  await page.locator('input[name="min_attendance_percent"]').fill('75');
  await page.locator('input[name="excused_counts"]').check();
  await page.getByRole('button', { name: 'Create the course' }).click();

  // The server's answer names title.ru: the message stands under that field, which gets focus.
  const ru = fieldOf(page, 'title.ru');
  await ru.locator('.error-text').waitFor();
  assert.equal(await ru.locator('.error-text').innerText(), 'Please fill this in.');
  assert.equal(await page.locator('input[name="title.ru"]').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'title.ru');
  assert.equal(await fieldOf(page, 'title.kk').locator('.error-text').count(), 0);
  assert.equal(await count(), before_);
  // The message is the reader's: in Kazakh once the page is.
  await chooseLanguage(page, 'kk');
  assert.equal(await ru.locator('.error-text').innerText(), 'Толтырыңыз.');
  await chooseLanguage(page, 'en');

  await page.locator('input[name="title.ru"]').fill(newCourse.ru);
  await page.getByRole('button', { name: 'Create the course' }).click();
  await page.getByRole('status').filter({ hasText: `Course created: ${newCourse.en}` }).waitFor();
  await page.locator('.manage-items .manage-item-title').getByText(newCourse.en).waitFor();

  const courses = (await admin.get(`/courses?programme=${programme.id}`)).json.items;
  assert.equal(courses.length, before_ + 1);
  const created = courses.find((c) => c.title.en === newCourse.en);
  assert.ok(created, 'the course is not on the server');
  assert.deepEqual(created.title, { kk: newCourse.kk, ru: newCourse.ru, en: newCourse.en });
  assert.equal(created.track, 'entrepreneurship');
  assert.equal(Number(created.hours), 16);
  assert.deepEqual(created.rule, { min_attendance_percent: 75, excused_counts: true, require_all: false });
  assert.equal(created.gives_certificate, true);
  made.course = created;
  await screenshot(page, 'manage-courses-en');
  await page.context().close();
});

test('the admin creates a trainer account named in Kazakh; a short password is refused first', async () => {
  const page = await adminPage('/app/manage/accounts');
  await page.locator('input[name="role"][value="trainer"]').check();
  await page.locator('input[name="display_name"]').fill(newTrainer.name);
  await page.locator('input[name="login"]').fill(newTrainer.login);
  await page.locator('input[name="password"]').fill('short');
  await page.getByRole('button', { name: 'Create the account' }).click();
  const password = fieldOf(page, 'password');
  await password.locator('.error-text').waitFor();
  assert.match(await password.locator('.error-text').innerText(), /10 to 256 characters/);
  const trainers = async () => (await admin.get('/accounts?role=trainer&limit=200')).json.items;
  assert.equal((await trainers()).some((a) => a.login === newTrainer.login), false);

  // A login that is taken is refused (409) beside the login field.
  await page.locator('input[name="login"]').fill('trainer.nura');
  await page.locator('input[name="password"]').fill(newTrainer.password);
  await page.getByRole('button', { name: 'Create the account' }).click();
  await fieldOf(page, 'login').locator('.error-text').filter({ hasText: 'already taken' }).waitFor();
  assert.equal(await password.locator('.error-text').count(), 0);
  assert.equal((await trainers()).filter((a) => a.login === 'trainer.nura').length, 1);

  await page.locator('input[name="login"]').fill(newTrainer.login);
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.getByRole('status').filter({ hasText: 'Account created' }).waitFor();
  // Shown exactly as typed (not upper-cased, not transliterated).
  const row = page.locator(`[data-login="${newTrainer.login}"]`);
  assert.equal(await row.locator('.manage-item-title').innerText(), newTrainer.name);

  const created = (await trainers()).find((a) => a.login === newTrainer.login);
  assert.ok(created, 'the account is not on the server');
  assert.equal(created.display_name, newTrainer.name);
  assert.equal(created.display_name.normalize('NFC'), created.display_name);
  assert.equal(created.role, 'trainer');
  assert.equal(created.disabled, false);
  made.trainer = created;
  for (const lang of ['kk', 'ru', 'en']) {
    await chooseLanguage(page, lang);
    assert.equal(await row.locator('.manage-item-title').innerText(), newTrainer.name);
    await screenshot(page, `manage-accounts-${lang}`);
  }
  await page.context().close();
});

test('the admin creates a cohort with a demo trainer and the new one; the server holds it', async () => {
  assert.ok(made.course && made.locality && made.trainer, 'an earlier test failed');
  const nura = (await admin.get('/accounts?role=trainer&limit=200')).json.items.find((a) => a.login === 'trainer.nura');
  const before_ = (await admin.get('/cohorts')).json.items.map((c) => c.id);
  const page = await adminPage('/app/manage/cohorts');
  await page.locator('select[name="course_id"]').selectOption(String(made.course.id));
  await page.locator('select[name="locality_id"]').selectOption(String(made.locality.id));
  await page.locator('input[name="place"]').fill('Ауылдық округ әкімдігінің мәжіліс залы');
  await page.locator('input[name="starts_on"]').fill('2019-04-08');
  await page.locator('input[name="ends_on"]').fill('2019-04-10');
  await page.locator('select[name="language"]').selectOption('kk');
  await page.locator(`input[name="trainer_ids"][value="${nura.id}"]`).check();
  await page.locator(`input[name="trainer_ids"][value="${made.trainer.id}"]`).check();
  await page.getByRole('button', { name: 'Create the cohort' }).click();
  const link = page.getByRole('status').locator('a');
  await link.waitFor();

  const cohorts = (await admin.get('/cohorts')).json.items;
  const created = cohorts.find((c) => !before_.includes(c.id));
  assert.ok(created, 'the cohort is not on the server');
  assert.equal(await link.getAttribute('href'), `/app/cohorts/${created.id}`);
  assert.equal(created.course_id, made.course.id);
  assert.equal(created.locality_id, made.locality.id);
  assert.equal(created.place, 'Ауылдық округ әкімдігінің мәжіліс залы');
  assert.equal(created.starts_on, '2019-04-08');
  assert.equal(created.ends_on, '2019-04-10');
  assert.equal(created.language, 'kk');
  assert.deepEqual([...created.trainer_ids].sort((a, b) => a - b), [nura.id, made.trainer.id].sort((a, b) => a - b));
  made.cohort = created;

  // Listed with its trainers' names, exactly as stored, and linking to its own page.
  const item = page.locator(`[data-cohort="${created.id}"]`);
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(newTrainer.name));
  assert.equal(await item.locator('a').getAttribute('href'), `/app/cohorts/${created.id}`);
  // The announcement follows a change of language like the rest of the page.
  const announced = { kk: /Топ құрылды/, ru: /Группа создана/, en: /Cohort created/ };
  for (const lang of ['kk', 'ru', 'en']) {
    await chooseLanguage(page, lang);
    assert.match(await page.getByRole('status').innerText(), announced[lang]);
    await screenshot(page, `manage-cohorts-${lang}`);
  }
  // Narrowed to one course, the list holds only that course's cohort.
  assert.ok((await page.locator('[data-cohort]').count()) > 1);
  await page.locator('select[name="course-filter"]').selectOption(String(made.course.id));
  assert.deepEqual(await page.locator('[data-cohort]').evaluateAll((items) => items.map((li) => li.dataset.cohort)), [String(created.id)]);
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshot(page, 'manage-cohorts-phone-en');
  await page.context().close();
});

test('the new trainer signs in and sees the new cohort', async () => {
  assert.ok(made.cohort, 'an earlier test failed');
  const api = await apiAs(service, newTrainer.login, newTrainer.password);
  assert.deepEqual((await api.get('/cohorts')).json.items.map((c) => c.id), [made.cohort.id]);
  const page = await newPage(browser, { locale: 'kk-KZ' });
  await signIn(page, service, newTrainer.login, newTrainer.password);
  assert.match(await page.locator('.account').innerText(), new RegExp(newTrainer.name));
  await page.goto(`${service.url}/app/cohorts`);
  await page.locator(`a[href="/app/cohorts/${made.cohort.id}"]`).first().waitFor();
  await page.context().close();
});

test('the admin disables and enables the new trainer and sets a new password', async () => {
  assert.ok(made.trainer, 'an earlier test failed');
  const page = await adminPage('/app/manage/accounts');
  const row = page.locator(`[data-login="${newTrainer.login}"]`);
  await row.getByRole('button', { name: `Disable ${newTrainer.login}` }).click();
  await page.getByRole('status').filter({ hasText: 'is disabled' }).waitFor();
  assert.match(await row.innerText(), /disabled/);
  assert.equal((await admin.get(`/accounts/${made.trainer.id}`)).json.disabled, true);
  await assert.rejects(apiAs(service, newTrainer.login, newTrainer.password));

  await row.getByRole('button', { name: `Enable ${newTrainer.login}` }).click();
  await page.getByRole('status').filter({ hasText: 'enabled again' }).waitFor();
  assert.equal((await admin.get(`/accounts/${made.trainer.id}`)).json.disabled, false);

  // Nobody can lock themselves out: the admin's own row offers no Disable.
  assert.equal(await page.locator('[data-login="admin"]').getByRole('button', { name: /^Disable/ }).count(), 0);

  await row.getByRole('button', { name: `New password ${newTrainer.login}` }).click();
  await row.locator('input[name="new-password"]').fill('too-short');
  await row.getByRole('button', { name: 'Save the password' }).click();
  await row.locator('.error-text').waitFor();
  await apiAs(service, newTrainer.login, newTrainer.password);
  await row.locator('input[name="new-password"]').fill('Qatysu-Nurlan-2027');
  await row.getByRole('button', { name: 'Save the password' }).click();
  await page.getByRole('status').filter({ hasText: 'New password saved' }).waitFor();
  await apiAs(service, newTrainer.login, 'Qatysu-Nurlan-2027');
  await assert.rejects(apiAs(service, newTrainer.login, newTrainer.password));
  await page.context().close();
});

test('a trainer gets no management page, and the accounts API answers them 403', async () => {
  const page = await newPage(browser, { locale: 'en-GB' });
  await signIn(page, service, 'trainer.nura');
  for (const path of ['/app/manage', '/app/manage/accounts', '/app/manage/cohorts']) {
    await page.goto(`${service.url}${path}`);
    await page.locator('h1').waitFor();
    assert.equal(await page.locator('.manage-hub, form').count(), 0, `${path} shows a management page`);
  }
  assert.equal(await page.locator('.topbar nav a[href="/app/manage"]').count(), 0);
  // With the browser's own cookie session…
  const statuses = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const list = await fetch('/api/v1/accounts');
    const create = await fetch('/api/v1/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ login: 'sneaky', display_name: 'Sneaky', role: 'admin', password: 'sneaky-password-1' }),
    });
    return [list.status, create.status];
  });
  assert.deepEqual(statuses, [403, 403]);
  // …and with a bearer token.
  const trainer = await apiAs(service, 'trainer.nura');
  assert.equal((await trainer.get('/accounts')).status, 403);
  assert.equal((await trainer.patch(`/accounts/${trainer.account.id}`, { display_name: 'Other' })).status, 403);
  assert.equal((await admin.get('/accounts?role=admin')).json.items.some((a) => a.login === 'sneaky'), false);
  await page.context().close();
});
