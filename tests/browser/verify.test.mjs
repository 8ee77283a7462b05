// The public verification page, as someone with no account sees it after scanning a certificate's
// QR code on a phone: valid in Kazakh, Russian and English (through the page's own language
// links), revoked with its reason once an administrator revokes the certificate, and "not found"
// for a wrong token, exactly like an unknown serial.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiAs, launchBrowser, newPage, screenshot, startService } from './harness.mjs';

// What the server-rendered page (plugin/src/api/verify_page.cpp) says in each language.
const says = {
  kk: { valid: 'Сертификат жарамды', revoked: 'Сертификат кері қайтарылған', notFound: 'Сертификат табылмады' },
  ru: { valid: 'Сертификат действителен', revoked: 'Сертификат отозван', notFound: 'Сертификат не найден' },
  en: { valid: 'This certificate is valid', revoked: 'This certificate has been revoked', notFound: 'Certificate not found' },
};
const reason = 'Аты-жөні қате жазылған: Мұқанова емес, Мұқанқызы';

let service;
let browser;
let admin;
let certificate;

before(async () => {
  service = await startService({ prefix: 'verify' });
  browser = await launchBrowser();
  admin = await apiAs(service, 'admin');
  const learner = await apiAs(service, 'learner.demo');
  const own = (await learner.get('/me/certificates')).json.items.filter((c) => c.status === 'valid');
  assert.ok(own.length > 0, 'the demo learner holds a valid certificate');
  const answer = await admin.get(`/certificates/${own[0].id}`);
  assert.equal(answer.status, 200, answer.text);
  certificate = answer.json;
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** The QR code's text is the verify URL plus a signed fragment a browser never sends. */
function qrUrl() {
  assert.ok(certificate.qr_payload.startsWith(`${certificate.verify_url}#`), certificate.qr_payload);
  assert.ok(certificate.verify_url.startsWith(`${service.url}/verify/`), certificate.verify_url);
  return certificate.qr_payload;
}

/** A phone with no account: its own context, 360 × 740, a Kazakh browser. */
async function phone() {
  return newPage(browser, { viewport: { width: 360, height: 740 }, locale: 'kk-KZ' });
}

/** The page reads in `lang`, shows `status`, the person and the serial, and fits the phone. */
async function expectPage(page, lang, status) {
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
  const banner = page.locator('p.status');
  assert.equal((await banner.textContent()).replace(/^[✔✘]\s*/u, '').trim(), says[lang][status]);
  const body = await page.locator('body').textContent();
  assert.ok(body.includes(certificate.full_name), `the page names ${certificate.full_name}`);
  assert.ok(body.includes(certificate.serial), `the page shows ${certificate.serial}`);
  assert.ok(body.includes(certificate.course_title[lang]), `the course in ${lang}: ${certificate.course_title[lang]}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling on a 360 px phone (page is ${width} px wide)`);
  assert.deepEqual(page.outsideRequests, []);
}

/** Opens the QR URL, then each language through the page's own links; screenshots each. */
async function checkEveryLanguage(page, status) {
  const response = await page.goto(qrUrl());
  assert.equal(response.status(), 200);
  await expectPage(page, 'kk', status);
  await screenshot(page, `verify-${status}-kk`);
  for (const lang of ['ru', 'en']) {
    await Promise.all([page.waitForURL((url) => url.searchParams.get('lang') === lang), page.locator(`a[hreflang="${lang}"]`).click()]);
    await expectPage(page, lang, status);
    await screenshot(page, `verify-${status}-${lang}`);
  }
}

test('the QR URL opens a page that says the certificate is valid, in kk, ru and en', async () => {
  const page = await phone();
  try {
    await checkEveryLanguage(page, 'valid');
    assert.equal(await page.locator('p.status.valid').count(), 1);
  } finally {
    await page.context().close();
  }
});

test('after revocation the same URL says revoked, with the reason, in kk, ru and en', async () => {
  const revoked = await admin.post(`/certificates/${certificate.id}/revoke`, { reason });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal(revoked.json.status, 'revoked');
  const page = await phone();
  try {
    await checkEveryLanguage(page, 'revoked');
    for (const lang of ['kk', 'ru', 'en']) {
      await page.goto(`${certificate.verify_url}&lang=${lang}`);
      assert.equal(await page.locator('p.status.revoked').count(), 1);
      assert.equal(await page.locator('p.status.valid').count(), 0);
      const body = await page.locator('body').textContent();
      assert.ok(body.includes(reason), `the ${lang} page gives the reason "${reason}"`);
    }
  } finally {
    await page.context().close();
  }
});

test('a wrong token is not found, exactly like an unknown serial', async () => {
  const page = await phone();
  try {
    const url = new URL(certificate.verify_url);
    const token = url.searchParams.get('t');
    // The same length and alphabet, one character different.
    const wrong = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    url.searchParams.set('t', wrong);
    const response = await page.goto(url.href);
    assert.equal(response.status(), 404);
    assert.equal((await page.locator('p.status').textContent()).trim(), says.kk.notFound);
    const body = await page.locator('body').textContent();
    assert.ok(!body.includes(certificate.full_name), 'a wrong token reveals no name');
    await screenshot(page, 'verify-not-found-kk');

    const unknown = new URL(certificate.verify_url);
    unknown.pathname = '/verify/NO-SUCH-SERIAL-000';
    const other = await page.goto(unknown.href);
    assert.equal(other.status(), 404);
    assert.equal((await page.locator('p.status').textContent()).trim(), says.kk.notFound);
  } finally {
    await page.context().close();
  }
});
