// Ready for the field, on a 360 × 740 phone in Kazakh and Russian: after a refused form the focus
// is on the first field in error; the attendance sheet shows at least three people without
// scrolling, and prints everyone; a session outside its cohort's dates is asked about before it
// is added; the dashboard names the period in the words of the PDF export; the login page's demo
// note shows only while the demo is loaded; a track has the service's one name on every page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import common from '../../plugin/web/src/i18n/common.js';
import messages from '../../plugin/web/src/pages/trainer/messages.js';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const kTrainer = 'trainer.glubokoe';
const kLocales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

let service;
let browser;
let trainer; // API client of trainer.glubokoe
let cohort; // a cohort of trainer.glubokoe with at least 8 people
let sessionId; // a session of that cohort
let names; // the names on its sheet
let scratch; // a directory for PDF files

before(async () => {
  service = await startService({ prefix: 'fixes', settings: { 'web.login_note': 'demo' } });
  browser = await launchBrowser();
  trainer = await apiAs(service, kTrainer);
  for (const c of (await trainer.get('/cohorts')).json.items) {
    if ((await trainer.get(`/cohorts/${c.id}/enrolments`)).json.items.length >= 8) {
      cohort = (await trainer.get(`/cohorts/${c.id}`)).json;
      break;
    }
  }
  assert.ok(cohort, `${kTrainer} has a cohort with at least 8 people`);
  sessionId = (await trainer.get(`/cohorts/${cohort.id}/sessions`)).json.items[0].id;
  names = (await trainer.get(`/sessions/${sessionId}/attendance`)).json.rows.map((row) => row.participant_name);
  scratch = mkdtempSync(join(tmpdir(), 'qatysu-fixes-'));
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A phone page signed in as `login`, reading `lang`. */
async function phone(login, lang) {
  const page = await newPage(browser, { locale: kLocales[lang] });
  await signIn(page, service, login);
  await chooseLanguage(page, lang);
  return page;
}

/** What has the focus: its name attribute, else its tag and text. */
async function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.getAttribute('name') || `${element?.tagName.toLowerCase()}:${element?.textContent.trim()}`;
  });
}

/** What has the focus once it has moved to `expected` (the page moves it in an effect after the
 * render that shows the element), or after 5 s whatever has it then. */
async function focusedOnceMovedTo(page, expected) {
  await page
    .waitForFunction((wanted) => {
      const element = document.activeElement;
      const now = element?.getAttribute('name') || `${element?.tagName.toLowerCase()}:${element?.textContent.trim()}`;
      return now === wanted;
    }, expected, { timeout: 5000 })
    .catch(() => {});
  return focused(page);
}

/** The text pdftotext reads from `bytes`, its white space collapsed. */
function pdfText(bytes, name) {
  const file = join(scratch, name);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('a refused form puts the focus on its first field in error', () => {
  for (const lang of ['kk', 'ru']) {
    test(`registering a person (${lang})`, async () => {
      const page = await phone(kTrainer, lang);
      await page.goto(`${service.url}/app/cohorts/${cohort.id}/register`);
      const submit = page.locator('form.form button[type="submit"]');
      await submit.click();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'full_name');
      assert.equal(await page.locator('input[name="full_name"]').getAttribute('aria-invalid'), 'true');
      // The name given: the next blank field takes the focus.
      await page.locator('input[name="full_name"]').fill('Әлия Серікқызы');
      await submit.click();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'gender');
      assert.equal(await focused(page), 'gender');
      await page.context().close();
    });

    test(`the dashboard's period (${lang})`, async () => {
      const page = await phone('admin', lang);
      await page.goto(`${service.url}/app/dashboard`);
      await page.locator('input[name="from"]').fill('2019-12-31');
      await page.locator('input[name="to"]').fill('2019-01-01');
      await page.locator('form.dashboard-filters button[type="submit"]').click();
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'to');
      assert.equal(await page.locator('input[name="to"]').getAttribute('aria-invalid'), 'true');
      await page.context().close();
    });
  }

  test('a session the service refuses (ru)', async () => {
    const page = await phone(kTrainer, 'ru');
    await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
    await page.locator('#sessions-heading .meta').waitFor();
    await page.locator('summary', { hasText: messages.ru['trainer.session.add'] }).click();
    await page.locator('input[name="starts_at"]').fill(`${cohort.starts_on}T10:00`);
    // 0 minutes passes the browser's own check once the minimum is lifted, so the service refuses.
    await page.locator('input[name="duration_minutes"]').evaluate((input) => input.removeAttribute('min'));
    await page.locator('input[name="duration_minutes"]').fill('0');
    await page.locator('input[name="topic"]').focus();
    await page.locator('details form button[type="submit"]').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'duration_minutes');
    await page.context().close();
  });
});

describe('the attendance sheet on a phone', () => {
  for (const lang of ['kk', 'ru']) {
    test(`shows at least three people without scrolling (${lang})`, async () => {
      const page = await phone(kTrainer, lang);
      await page.goto(`${service.url}/app/sessions/${sessionId}`);
      await page.locator('.att-row').first().waitFor();
      await page.locator('.att-heading .att-when').waitFor();
      const seen = await page.evaluate(() => {
        const bar = document.querySelector('.att-bar').getBoundingClientRect();
        const bottom = Math.min(window.innerHeight, bar.top);
        return {
          scrolled: window.scrollY,
          rows: [...document.querySelectorAll('.att-row')].filter((row) => {
            const box = row.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= bottom;
          }).length,
        };
      });
      await screenshot(page, `fixes-sheet-${lang}`);
      assert.equal(seen.scrolled, 0);
      assert.ok(seen.rows >= 3, `only ${seen.rows} whole rows above the save bar`);
      await page.context().close();
    });

    test(`prints every person on the sheet (${lang})`, async () => {
      const page = await phone(kTrainer, lang);
      await page.goto(`${service.url}/app/sessions/${sessionId}`);
      await page.locator('.att-row').first().waitFor();
      await page.emulateMedia({ media: 'print' });
      // In print nothing stands over the list: no sticky bar, no menu.
      const print = await page.evaluate(() => ({
        bar: getComputedStyle(document.querySelector('.att-bar')).position,
        save: getComputedStyle(document.querySelector('.att-save')).display,
      }));
      assert.notEqual(print.bar, 'sticky');
      assert.equal(print.save, 'none');
      const text = pdfText(await page.pdf({ format: 'A4', printBackground: true }), `sheet-${lang}.pdf`);
      const missing = names.filter((name) => !text.includes(name.replace(/\s+/g, ' ')));
      assert.deepEqual(missing, [], `not printed:\n${missing.join('\n')}\n--- printed:\n${text}`);
      await page.context().close();
    });
  }
});

describe('a session outside its cohort’s dates', () => {
  for (const lang of ['kk', 'ru']) {
    test(`is asked about before it is added (${lang})`, async () => {
      const texts = messages[lang];
      const page = await phone(kTrainer, lang);
      await page.goto(`${service.url}/app/cohorts/${cohort.id}`);
      await page.locator('#sessions-heading .meta').waitFor();
      const count = async () => (await trainer.get(`/cohorts/${cohort.id}/sessions`)).json.items.length;
      const before = await count();
      await page.locator('summary', { hasText: texts['trainer.session.add'] }).click();
      const topic = `Қосымша кездесу ${lang}`;
      await page.locator('input[name="starts_at"]').fill('2030-03-14T10:00');
      await page.locator('input[name="topic"]').fill(topic);
      await page.locator('details form button[type="submit"]').click();
      const question = page.locator('.session-outside');
      await question.locator('h3', { hasText: texts['trainer.session.outside.title'] }).waitFor();
      assert.equal(await focusedOnceMovedTo(page, `h3:${texts['trainer.session.outside.title']}`), `h3:${texts['trainer.session.outside.title']}`);
      assert.equal(await count(), before, 'nothing is sent before the answer');
      await screenshot(page, `fixes-session-outside-${lang}`);

      // "Change the date" goes back to the date.
      await question.locator('button', { hasText: texts['trainer.session.outside.change'] }).click();
      assert.equal(await focused(page), 'starts_at');
      assert.equal(await question.count(), 0);

      // Asked again, and confirmed: added as typed.
      await page.locator('details form button[type="submit"]').click();
      await question.locator('button', { hasText: texts['trainer.session.outside.confirm'] }).click();
      await page.getByText(texts['trainer.session.added']).waitFor();
      assert.equal(await count(), before + 1);
      const added = (await trainer.get(`/cohorts/${cohort.id}/sessions`)).json.items.filter((s) => s.topic === topic);
      assert.equal(added.length, 1);
      assert.match(added[0].starts_at, /^2030-03-1[34]T/);

      // Within the cohort's dates nothing is asked.
      await page.locator('input[name="starts_at"]').fill(`${cohort.starts_on}T15:00`);
      await page.locator('input[name="topic"]').fill(`${topic} 2`);
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/cohorts/${cohort.id}/sessions`) && r.request().method() === 'POST'),
        page.locator('details form button[type="submit"]').click(),
      ]);
      assert.equal(await question.count(), 0);
      assert.equal(await count(), before + 2);
      await page.context().close();
    });
  }
});

describe('the period in words', () => {
  for (const lang of ['kk', 'ru']) {
    test(`the dashboard and the PDF name it alike (${lang})`, async () => {
      const admin = await apiAs(service, 'admin');
      const page = await phone('admin', lang);
      await page.goto(`${service.url}/app/dashboard`);
      const scope = page.locator('.scope span').first();
      await scope.waitFor();
      const shown = (await scope.innerText()).trim();
      const expected = {
        kk: 'Кезең: бағдарламаның бүкіл мерзімі, 2017 ж. 01 ақп. – 2020 ж. 31 қаң.',
        ru: 'Период: весь срок программы, 1 февр. 2017 г. – 31 янв. 2020 г.',
      }[lang];
      assert.equal(shown, expected);
      const href = await page.locator('a[data-format="pdf"]').getAttribute('href');
      const pdf = await fetch(new URL(href, service.url), { headers: { Authorization: `Bearer ${admin.token}` } });
      assert.equal(pdf.status, 200);
      const text = pdfText(Buffer.from(await pdf.arrayBuffer()), `totals-${lang}.pdf`);
      assert.ok(text.includes(expected), `the PDF does not say "${expected}":\n${text}`);
      await page.context().close();
    });
  }
});

describe('the demo note on the login page', () => {
  /** Whether the login page in `lang` says where the demo accounts are. */
  async function saysDemo(url, lang) {
    const page = await newPage(browser, { locale: kLocales[lang] });
    await page.goto(`${url}/app/login`);
    await page.locator('input[name="login"]').waitFor();
    const says = (await page.locator('main').innerText()).includes(common[lang]['login.demo']);
    await page.context().close();
    return says;
  }

  test('shows while the demo is loaded, and not once its accounts are gone (kk, ru)', async () => {
    for (const lang of ['kk', 'ru']) assert.equal(await saysDemo(service.url, lang), true, lang);
    const admin = await apiAs(service, 'admin');
    const learner = (await admin.get('/accounts?role=learner')).json.items.find((a) => a.login === 'learner.demo');
    assert.ok(learner, 'the demo learner account');
    assert.equal((await admin.patch(`/accounts/${learner.id}`, { disabled: true })).status, 200);
    try {
      for (const lang of ['kk', 'ru']) assert.equal(await saysDemo(service.url, lang), false, lang);
    } finally {
      await admin.patch(`/accounts/${learner.id}`, { disabled: false });
    }
  });

  test('a service configured for the note but without the demo does not show it (kk, ru)', async () => {
    const bare = await startService({ prefix: 'fixesbare', demo: false, settings: { 'web.login_note': 'demo' } });
    try {
      for (const lang of ['kk', 'ru']) assert.equal(await saysDemo(bare.url, lang), false, lang);
    } finally {
      await bare.stop();
    }
  });
});

describe('a track has one name', () => {
  test('a course page, the programme targets and the dashboard name a track alike (ru, kk)', async () => {
    const admin = await apiAs(service, 'admin');
    const programme = (await admin.get('/programmes')).json.items.find((p) => p.code === 'LSG-EKZ');
    const created = await admin.post('/courses', {
      programme_id: programme.id,
      track: 'womens_leadership',
      title: { kk: 'Әйелдер көшбасшылығы', ru: 'Женское лидерство', en: "Women's leadership" },
      hours: 16,
      rule: { min_attendance_percent: 80 },
    });
    assert.equal(created.status, 201, created.text);
    for (const lang of ['ru', 'kk']) {
      const name = created.json.track_label[lang];
      assert.ok(name && name !== 'womens_leadership', `the service names the track: ${name}`);
      const page = await phone('admin', lang);
      await page.goto(`${service.url}/app/manage/courses?programme=${programme.id}`);
      const item = page.locator('li', { hasText: created.json.title[lang] });
      await item.waitFor();
      assert.ok((await item.innerText()).includes(name), `the course list says: ${await item.innerText()}`);
      await page.goto(`${service.url}/app/manage/programmes/${programme.id}`);
      const targetOption = page.locator('select[name^="targets["][name$="].track"] option[value="womens_leadership"]').first();
      if ((await targetOption.count()) > 0) assert.equal((await targetOption.innerText()).trim(), name);
      await page.goto(`${service.url}/app/dashboard`);
      const option = page.locator('select[name="track"] option[value="womens_leadership"]');
      await option.waitFor({ state: 'attached' });
      assert.equal((await option.innerText()).trim(), name);
      await page.context().close();
    }
  });
});
