// Accessibility of every main page, in each language, on a phone: axe-core's WCAG 2.1 A and AA rules
// (labels, names, roles, colour contrast, language attributes…) find nothing; and the keyboard alone
// gets from the top of a page to its controls with a visible focus ring.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { accessibilityViolations, apiAs, chooseLanguage, languages, launchBrowser, newPage, signIn, startService } from './harness.mjs';

let service;
let browser;
const ids = {};

before(async () => {
  service = await startService({ prefix: 'a11y' });
  browser = await launchBrowser();
  const trainer = await apiAs(service, 'trainer.nura');
  const cohorts = (await trainer.get('/cohorts')).json.items;
  ids.cohort = cohorts[0].id;
  ids.session = (await trainer.get(`/cohorts/${ids.cohort}/sessions`)).json.items[0].id;
  const learner = await apiAs(service, 'learner.demo');
  ids.certificate = (await learner.get('/me/certificates')).json.items[0].id;
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** Opens each path signed in as `login`, in kk, ru and en (chosen on the first path). */
async function checkPages(login, paths) {
  const page = await newPage(browser, { bypassCSP: true });
  if (login) await signIn(page, service, login);
  const found = [];
  for (const lang of languages) {
    for (const [index, path] of paths.entries()) {
      await page.goto(`${service.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      if (index === 0) {
        // Signed in, the choice is also stored on the account: wait for that before moving on.
        const stored = login ? page.waitForResponse((r) => r.url().endsWith('/api/v1/me/language')) : null;
        await chooseLanguage(page, lang);
        await stored;
      }
      for (const violation of await accessibilityViolations(page)) {
        found.push(`${path} [${lang}] ${violation.impact} ${violation.id}: ${violation.help}\n    ${violation.nodes.join('\n    ')}`);
      }
    }
  }
  await page.context().close();
  assert.deepEqual(found, [], found.join('\n'));
}

test('the login page meets WCAG 2.1 AA in each language', async () => {
  await checkPages(null, ['/app/login']);
});

test("the trainer's pages meet WCAG 2.1 AA in each language", async () => {
  await checkPages('trainer.nura', [
    '/app/cohorts',
    `/app/cohorts/${ids.cohort}`,
    `/app/cohorts/${ids.cohort}/register`,
    `/app/cohorts/${ids.cohort}/import`,
    `/app/sessions/${ids.session}`,
  ]);
});

test("the learner's pages meet WCAG 2.1 AA in each language", async () => {
  await checkPages('learner.demo', ['/app/my', `/app/my/certificates/${ids.certificate}`]);
});

test("the administrator's pages meet WCAG 2.1 AA in each language", async () => {
  await checkPages('admin', [
    '/app/dashboard',
    '/app/manage',
    '/app/manage/programmes',
    '/app/manage/localities',
    '/app/manage/courses',
    '/app/manage/cohorts',
    '/app/manage/accounts',
  ]);
});

test('the keyboard reaches the skip link first, then the controls, each with a visible focus ring', async () => {
  const page = await newPage(browser);
  await page.goto(`${service.url}/app/login`);
  await page.locator('input[name="login"]').waitFor();
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  const seen = [];
  // The frame (brand, three language buttons), then both sign-in forms: nine stops.
  for (let i = 0; i < 9; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      const style = getComputedStyle(element);
      return {
        name: element.getAttribute('name') || element.textContent.trim(),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    seen.push(focused.name);
    assert.ok(focused.ring, `no visible focus on ${focused.name}`);
  }
  assert.ok(seen.includes('login') && seen.includes('password') && seen.includes('code'), `tabbed through: ${seen.join(', ')}`);
  // Enter in the form signs in, without the mouse.
  await page.locator('input[name="login"]').fill('trainer.nura');
  await page.locator('input[name="password"]').fill(service.accounts['trainer.nura']);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/app/cohorts');
  await page.context().close();
});
