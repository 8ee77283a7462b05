// Kazakh numbers and dates when the browser has no Kazakh data (Debian's chromium): CLDR's
// Kazakh patterns by hand. And the same answers as full ICU where it has them (node).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kazakhFormats, kazakhIntlWorks, makeFormats } from '../src/i18n/formats.js';

const day = new Date('2018-11-05T00:00:00Z');

test('Kazakh by hand: "2018 ж. 05 қар.", "12 345,5", "82%"', () => {
  const kk = kazakhFormats();
  assert.equal(kk.date(day), '2018 ж. 05 қар.');
  assert.equal(kk.date(new Date('2019-01-31T23:30:00Z')), '2019 ж. 31 қаң.');
  assert.match(kk.number(12345.5), /^12\s345,5$/u);
  assert.equal(kk.percent(0.823), '82%');
  assert.match(kk.time(new Date(2019, 5, 11, 9, 5)), /^09:05$/);
  assert.match(kk.dateTime(new Date(2019, 5, 11, 14, 30)), /^2019 ж\. 11 мау\., 14:30$/);
});

test("node's full ICU has Kazakh and gives the same date and number as the fallback", () => {
  assert.equal(kazakhIntlWorks, true);
  assert.equal(makeFormats('kk', 'kk-KZ').date(day), kazakhFormats().date(day));
  assert.equal(makeFormats('kk', 'kk-KZ').number(12345.5), kazakhFormats().number(12345.5));
});

test('Russian and English come from Intl', () => {
  assert.match(makeFormats('ru', 'ru-RU').number(12345.5), /^12\s345,5$/u);
  assert.equal(makeFormats('en', 'en-GB').number(12345.5), '12,345.5');
  assert.equal(makeFormats('en', 'en-GB').date(day), '5 Nov 2018');
});
