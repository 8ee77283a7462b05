// The attendance sheet on a trainer's phone (360 × 740): marks made with one tap, saved in one PUT,
// kept on the device while the connection is gone (and across a reload), sent when it returns, and
// the server then holds exactly the marks made; a row changed on another device is not
// overwritten; another trainer's session is not found. Screenshots in kk, ru and en.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import common from '../../plugin/web/src/i18n/common.js';
import messages from '../../plugin/web/src/pages/attendance/messages.js';
import { SheetStore, countMarks, cycle, forgetSavedSheets, memoryStorage, nextStatus } from '../../plugin/web/src/pages/attendance/store.js';
import { apiAs, chooseLanguage, launchBrowser, newPage, screenshot, signIn, startService } from './harness.mjs';

const kTrainer = 'trainer.glubokoe';
const kOtherTrainer = 'trainer.nura';

/** A text of the page in `lang`, filled like the app fills it (numbers as plain digits). */
function text(lang, key, params = {}) {
  const template = messages[lang][key] ?? common[lang][key];
  assert.ok(template, `no text ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => String(params[name] ?? whole));
}

/** A plural text as the app picks it (Intl.PluralRules of the language). */
function plural(lang, key, count) {
  const locale = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[lang];
  const form = new Intl.PluralRules(locale).select(count);
  return text(lang, messages[lang][`${key}.${form}`] ? `${key}.${form}` : `${key}.other`, { count });
}

const row = (enrolment_id, status = null, marked_at = null) => ({
  enrolment_id,
  participant_id: enrolment_id + 100,
  participant_name: `Person ${enrolment_id}`,
  status,
  marked_at,
  marked_by: marked_at ? 7 : null,
});

describe('the marks kept on the device (store.js)', () => {
  test('one tap moves a mark along the cycle, the first marks present', () => {
    assert.equal(nextStatus(null), 'present');
    assert.deepEqual(cycle.map(nextStatus), ['absent', 'late', 'excused', 'present']);
  });

  test('marks survive a new store on the same storage and count as shown', () => {
    const storage = memoryStorage();
    const store = new SheetStore(9, storage);
    store.setServerRows([row(1), row(2), row(3, 'late', 't0')]);
    store.tap(1);
    store.tap(2);
    store.tap(2);
    const again = new SheetStore(9, storage);
    assert.equal(again.pendingCount, 2);
    assert.equal(again.statusOf(1), 'present');
    assert.equal(again.statusOf(2), 'absent');
    assert.deepEqual(countMarks(again), { total: 3, marked: 3, present: 1, late: 1, excused: 0, absent: 1 });
    assert.equal(new SheetStore(10, storage).pendingCount, 0, 'another session has its own marks');
    assert.equal(new SheetStore(9, storage, 77).pendingCount, 0, "another account never sees (or sends) these marks");
  });

  test('a mark tapped again while its request was on the way is not dropped by the answer', () => {
    const store = new SheetStore(9, memoryStorage());
    store.setServerRows([row(1), row(2)]);
    store.tap(1);
    store.tap(2);
    const { marks, seqs } = store.plan([row(1), row(2)]);
    assert.deepEqual(marks, [
      { enrolment_id: 1, status: 'present' },
      { enrolment_id: 2, status: 'present' },
    ]);
    store.tap(2); // absent, while the PUT is on its way
    store.confirm(seqs, [row(1, 'present', 't1'), row(2, 'present', 't1')]);
    assert.equal(store.pendingCount, 1);
    assert.equal(store.statusOf(2), 'absent');
    assert.deepEqual(store.plan([row(1, 'present', 't1'), row(2, 'present', 't1')]).marks, [{ enrolment_id: 2, status: 'absent' }]);
  });

  test('a row changed on the server after the mark was made becomes a conflict, not an overwrite', () => {
    const store = new SheetStore(9, memoryStorage());
    store.setServerRows([row(1, 'present', 't0'), row(2, 'present', 't0')]);
    store.tap(1); // absent, based on present at t0
    store.tap(2); // absent
    const { marks } = store.plan([row(1, 'excused', 't5'), row(2, 'present', 't0')]);
    assert.deepEqual(marks, [{ enrolment_id: 2, status: 'absent' }]);
    assert.deepEqual(
      store.conflicts.map((c) => [c.enrolment_id, c.mine, c.theirs]),
      [[1, 'absent', 'excused']],
    );
    store.settle(1, true);
    assert.deepEqual(store.plan([row(1, 'excused', 't5'), row(2, 'absent', 't6')]).marks, [{ enrolment_id: 1, status: 'absent' }]);
  });

  test('signing out forgets the sheets with nothing left to send, and keeps the others', () => {
    const storage = memoryStorage();
    storage.setItem('qatysu.lang', 'kk');
    const saved = new SheetStore(1, storage);
    saved.setServerRows([row(1, 'present', 't0')]);
    const waiting = new SheetStore(2, storage);
    waiting.setServerRows([row(1)]);
    waiting.tap(1);
    assert.equal(forgetSavedSheets(storage), 1);
    assert.equal(new SheetStore(1, storage).rows, null);
    assert.equal(new SheetStore(2, storage).statusOf(1), 'present');
    assert.equal(storage.getItem('qatysu.lang'), 'kk');
  });

  test('a request whose answer was lost is recognised as ours, not as a conflict', () => {
    const store = new SheetStore(9, memoryStorage());
    store.setServerRows([row(1)]);
    store.tap(1); // present
    store.plan([row(1)]); // sent, the answer never came
    store.tap(1); // absent
    const { marks } = store.plan([row(1, 'present', 't1')]);
    assert.deepEqual(marks, [{ enrolment_id: 1, status: 'absent' }]);
    assert.equal(store.conflicts.length, 0);
  });
});

describe('the attendance sheet in the browser', () => {
  let service;
  let browser;
  let trainer;
  let sessionId;
  let otherSessionId;
  let sheetRows;
  let cohortId;

  before(async () => {
    service = await startService({ prefix: 'attendance' });
    browser = await launchBrowser();
    trainer = await apiAs(service, kTrainer);
    // A new session of one of the trainer's cohorts, so every mark on it is one this test made.
    const cohorts = (await trainer.get('/cohorts')).json.items;
    let cohort = null;
    for (const c of cohorts) {
      const enrolments = (await trainer.get(`/cohorts/${c.id}/enrolments`)).json.items;
      if (enrolments.length >= 8) {
        cohort = c;
        break;
      }
    }
    assert.ok(cohort, `${kTrainer} has a cohort with at least 8 people`);
    cohortId = cohort.id;
    const created = await trainer.post(`/cohorts/${cohort.id}/sessions`, {
      starts_at: '2019-06-11T04:00:00Z',
      duration_minutes: 180,
      topic: 'Ауылдың даму жоспары: қорытынды кездесу',
    });
    assert.equal(created.status, 201, created.text);
    sessionId = created.json.id;
    const sheet = await trainer.get(`/sessions/${sessionId}/attendance`);
    assert.equal(sheet.status, 200, sheet.text);
    sheetRows = sheet.json.rows;
    assert.ok(sheetRows.every((r) => r.status === null));

    const other = await apiAs(service, kOtherTrainer);
    const theirCohort = (await other.get('/cohorts')).json.items[0];
    otherSessionId = (await other.get(`/cohorts/${theirCohort.id}/sessions`)).json.items[0].id;
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
  });

  /** The server's statuses of the session's sheet: {enrolment_id: status|null}. */
  async function serverMarks(id = sessionId) {
    const sheet = await trainer.get(`/sessions/${id}/attendance`);
    assert.equal(sheet.status, 200, sheet.text);
    return Object.fromEntries(sheet.json.rows.map((r) => [r.enrolment_id, r.status]));
  }

  /** Taps a person's row until it shows `status`; answers how many taps it took. */
  async function markAs(page, enrolmentId, status, { keyboard = false } = {}) {
    const button = page.locator(`button.att-row[data-enrolment="${enrolmentId}"]`);
    let taps = 0;
    while ((await button.getAttribute('data-status')) !== status) {
      assert.ok(taps < cycle.length, `${status} never came up on row ${enrolmentId}`);
      const before = (await button.getAttribute('data-status')) || null;
      if (keyboard) {
        await button.focus();
        await page.keyboard.press(taps % 2 === 0 ? 'Enter' : 'Space');
      } else {
        await button.click();
      }
      await assert.doesNotReject(
        page.waitForFunction(
          ([id, expected]) => document.querySelector(`button.att-row[data-enrolment="${id}"]`)?.dataset.status === expected,
          [enrolmentId, nextStatus(before)],
          { timeout: 5000 },
        ),
      );
      taps += 1;
    }
    return taps;
  }

  /** A screenshot of the whole sheet as a phone tall enough to hold it would show it (on the
   * 360 × 740 screen the Save bar stays at the bottom while the rows scroll under it, which a
   * stitched full-page picture would show across the middle of the list). */
  async function shot(page, name) {
    const viewport = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
    await screenshot(page, name);
    await page.setViewportSize(viewport);
  }

  /** Waits for the save line to be in `state` (and to say `words`, when given); a timeout says
   * what the line said instead, and whether the browser thought it was online. */
  async function waitForSaveState(page, state, timeout = 30000, words = null) {
    const line = words === null ? page.locator(`.att-save-state[data-state="${state}"]`)
      : page.locator(`.att-save-state[data-state="${state}"]`, { hasText: words });
    try {
      await line.waitFor({ timeout });
    } catch (error) {
      const seen = await page.evaluate(() => {
        const now = document.querySelector('.att-save-state');
        return { state: now?.dataset.state ?? null, text: now?.textContent ?? null, online: navigator.onLine };
      });
      throw new Error(`the save line never showed ${state} ${words ?? ''}: it shows ${JSON.stringify(seen)}`, { cause: error });
    }
  }

  test('a trainer marks, saves, loses the connection, marks more, and the server holds exactly the marks made', async () => {
    const page = await newPage(browser, { locale: 'kk-KZ' });
    const context = page.context();
    const puts = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().includes('/attendance')) puts.push(request.postDataJSON());
    });
    await signIn(page, service, kTrainer);
    await page.goto(`${service.url}/app/sessions/${sessionId}`);
    const rows = page.locator('button.att-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), sheetRows.length);

    // Names exactly as stored, in rows a thumb can hit, each saying who and in what state.
    for (let i = 0; i < sheetRows.length; i += 1) {
      const button = rows.nth(i);
      assert.equal(await button.locator('.att-name').textContent(), sheetRows[i].participant_name);
      const box = await button.boundingBox();
      assert.ok(box.height >= 56, `row ${i} is ${box.height}px tall`);
      assert.ok(box.width >= 300, `row ${i} is ${box.width}px wide`);
      // The button's name is what it shows: the person, then the mark in words.
      const name = `${sheetRows[i].participant_name} ${text('kk', 'attendance.status.unmarked')}`;
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
    }
    await page.getByText(text('kk', 'attendance.cycle')).waitFor();
    await page.getByText('Ауылдың даму жоспары: қорытынды кездесу').waitFor();

    const expected = Object.fromEntries(sheetRows.map((r) => [r.enrolment_id, null]));
    const id = (i) => sheetRows[i].enrolment_id;
    const mark = async (i, status, options) => {
      await markAs(page, id(i), status, options);
      expected[id(i)] = status;
    };

    // Online: three marks, one of them by keyboard; the count follows each tap.
    await mark(0, 'present');
    await mark(1, 'absent');
    await mark(2, 'late', { keyboard: true });
    const count = page.locator('.att-count');
    assert.equal(await count.getAttribute('data-marked'), '3');
    assert.equal(await count.getAttribute('data-present'), '1');
    await page.getByText(text('kk', 'attendance.count', { marked: 3, total: sheetRows.length, present: 1 })).waitFor();
    await waitForSaveState(page, 'pending', 30000, plural('kk', 'attendance.pending', 3));
    // The change was announced politely.
    const announced = page.locator('p.visually-hidden[aria-live="polite"]');
    assert.equal(
      await announced.textContent(),
      text('kk', 'attendance.announce', { name: sheetRows[2].participant_name, status: text('kk', 'attendance.status.late') }),
    );

    await page.locator('button.att-save').click();
    await waitForSaveState(page, 'saved');
    assert.equal(puts.length, 1, 'one save is one PUT');
    assert.deepEqual(await serverMarks(), expected);
    await shot(page, 'attendance-sheet-kk');

    // The connection goes: requests to the server fail.
    await context.setOffline(true);
    await page.route('**/api/**', (route) => route.abort());
    await mark(3, 'present');
    await mark(4, 'excused');
    await mark(0, 'late'); // an earlier mark changed
    await page.getByText(plural('kk', 'attendance.waiting', 3)).waitFor();
    assert.equal(await page.locator('button.att-row[data-pending="true"]').count(), 3);
    assert.equal(await page.locator('.att-save-state').getAttribute('data-state'), 'waiting');
    await shot(page, 'attendance-sheet-pending-kk');

    // A reload while the server is still out of reach (the app itself comes from the browser's
    // connection to the hall's router; the API does not answer) keeps the marks.
    await context.setOffline(false);
    await page.reload();
    await rows.first().waitFor();
    await page.getByText(plural('kk', 'attendance.waiting', 3)).waitFor();
    for (const i of [0, 3, 4]) {
      const button = page.locator(`button.att-row[data-enrolment="${id(i)}"]`);
      assert.equal(await button.getAttribute('data-status'), expected[id(i)]);
      assert.equal(await button.getAttribute('data-pending'), 'true');
    }
    assert.equal(await page.locator(`button.att-row[data-enrolment="${id(1)}"]`).getAttribute('data-status'), 'absent');
    await page.getByText(text('kk', 'attendance.fromDevice').split('(')[0].trim()).waitFor();
    await context.setOffline(true);
    await mark(5, 'present');
    await page.getByText(plural('kk', 'attendance.waiting', 4)).waitFor();
    assert.deepEqual(
      await serverMarks(),
      { ...expected, [id(0)]: 'present', [id(3)]: null, [id(4)]: null, [id(5)]: null },
      'nothing reached the server while it was out of reach',
    );

    // The connection returns: the marks go by themselves.
    await page.unroute('**/api/**');
    await context.setOffline(false);
    await waitForSaveState(page, 'saved', 60000);
    await page.getByText(text('kk', 'attendance.allSaved')).first().waitFor();
    assert.equal(await page.locator('button.att-row[data-pending="true"]').count(), 0);
    assert.deepEqual(await serverMarks(), expected, 'the server holds exactly the marks made');
    const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), `qatysu.attendance.${trainer.account.id}.${sessionId}`);
    assert.deepEqual(kept.pending, {}, 'nothing is left waiting on the device');
    // One PUT per save: the first save's three marks, then the four made without a connection
    // (the changed one with its newest status), nothing that was already on the server.
    assert.equal(puts.length, 2, JSON.stringify(puts));
    const byId = (a, b) => a.enrolment_id - b.enrolment_id;
    assert.deepEqual(
      puts[1].marks.sort(byId),
      [0, 3, 4, 5].map((i) => ({ enrolment_id: id(i), status: expected[id(i)] })).sort(byId),
    );

    // The same sheet in Russian and English.
    for (const lang of ['ru', 'en']) {
      await chooseLanguage(page, lang);
      const marked = Object.values(expected).filter(Boolean).length;
      const present = Object.values(expected).filter((s) => s === 'present').length;
      await page.getByText(text(lang, 'attendance.count', { marked, total: sheetRows.length, present })).waitFor();
      await page.getByRole('button', { name: text(lang, 'attendance.allPresent') }).waitFor();
      await shot(page, `attendance-sheet-${lang}`);
    }
    assert.deepEqual(page.outsideRequests, []);
    await page.context().close();
  });

  test('All present marks everyone not yet marked; a row changed on another device is shown, not overwritten', async () => {
    const page = await newPage(browser, { locale: 'en-GB' });
    await signIn(page, service, kTrainer);
    const created = await trainer.post(`/cohorts/${cohortId}/sessions`, {
      starts_at: '2019-06-12T04:00:00Z',
      duration_minutes: 120,
      topic: 'Budget hearing',
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id;
    // As the cohort page links it: the cohort named, so the heading needs no search.
    await page.goto(`${service.url}/app/sessions/${id}?cohort=${cohortId}`);
    await page.locator('button.att-row').first().waitFor();
    await page.getByText('Budget hearing').waitFor();
    const rows = (await trainer.get(`/sessions/${id}/attendance`)).json.rows;
    await markAs(page, rows[0].enrolment_id, 'absent');
    await page.getByRole('button', { name: text('en', 'attendance.allPresent') }).click();
    await page.getByText(text('en', 'attendance.count', { marked: rows.length, total: rows.length, present: rows.length - 1 })).waitFor();
    await page.locator('button.att-save').click();
    await waitForSaveState(page, 'saved');
    const expected = Object.fromEntries(rows.map((r, i) => [r.enrolment_id, i === 0 ? 'absent' : 'present']));
    assert.deepEqual(await serverMarks(id), expected);

    // Marked here present → absent, while an administrator marks the same person excused.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await markAs(page, rows[1].enrolment_id, 'absent');
    await markAs(page, rows[2].enrolment_id, 'absent');
    const admin = await apiAs(service, 'admin');
    const put = await admin.put(`/sessions/${id}/attendance`, { marks: [{ enrolment_id: rows[1].enrolment_id, status: 'excused' }] });
    assert.equal(put.status, 200, put.text);
    await page.locator('button.att-save').click();
    const conflict = page.locator('.att-conflicts');
    await conflict.waitFor();
    await conflict.getByText(rows[1].participant_name, { exact: false }).waitFor();
    await waitForSaveState(page, 'conflict');
    await shot(page, 'attendance-sheet-conflict-en');
    expected[rows[2].enrolment_id] = 'absent';
    expected[rows[1].enrolment_id] = 'excused';
    assert.deepEqual(await serverMarks(id), expected, "the other device's newer mark stays");

    await conflict.getByRole('button', { name: text('en', 'attendance.conflict.keepMine') }).click();
    await conflict.waitFor({ state: 'detached' });
    await waitForSaveState(page, 'saved');
    expected[rows[1].enrolment_id] = 'absent';
    assert.deepEqual(await serverMarks(id), expected, 'kept on purpose, it is sent');
    await page.context().close();
  });

  test('a sheet never opened on this device says the server is out of reach, and opens on Retry', async () => {
    const page = await newPage(browser, { locale: 'ru-RU' });
    await signIn(page, service, kTrainer);
    await page.route('**/api/**', (route) => route.abort());
    await page.goto(`${service.url}/app/sessions/${sessionId}`);
    const lang = await page.evaluate(() => document.documentElement.lang);
    const alert = page.getByRole('alert');
    await alert.getByText(common[lang]['error.offline']).waitFor();
    await page.unroute('**/api/**');
    await alert.getByRole('button', { name: common[lang]['common.retry'] }).click();
    await page.locator('button.att-row').first().waitFor();
    assert.equal(await page.locator('button.att-row').count(), sheetRows.length);
    await page.context().close();
  });

  test("another trainer's session is not found, in the page and in the API", async () => {
    const page = await newPage(browser, { locale: 'kk-KZ' });
    await signIn(page, service, kTrainer);
    await page.goto(`${service.url}/app/sessions/${otherSessionId}`);
    // The account's language is remembered and may arrive after the page first drew: wait for the
    // heading in any language, then check the page says not found in the language it settled on.
    const titles = ['kk', 'ru', 'en'].map((code) => common[code]['notFound.title']);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: new RegExp(`^(${titles.join('|')})$`) }).waitFor();
    const lang = await page.evaluate(() => document.documentElement.lang);
    await page.getByRole('heading', { level: 1, name: common[lang]['notFound.title'] }).waitFor();
    await page.getByRole('alert').getByText(common[lang]['error.notFound']).waitFor();
    assert.equal(await page.locator('button.att-row').count(), 0);
    const answer = await trainer.get(`/sessions/${otherSessionId}/attendance`);
    assert.equal(answer.status, 404);
    const write = await trainer.put(`/sessions/${otherSessionId}/attendance`, { marks: [] });
    assert.equal(write.status, 404);
    await page.context().close();
  });
});
