// Texts and formats in Kazakh, Russian and English. Every area of the app keeps its own texts in a
// `messages.js` beside its pages ({kk: {...}, ru: {...}, en: {...}}, the same keys in each) and
// registers them with addMessages() when its module loads; test/messages.test.mjs checks that no
// language misses a key. Numbers, dates and plurals come from the browser's Intl.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import common from './common.js';
import { makeFormats } from './formats.js';

/** The languages offered, each named in itself. */
export const languages = [
  { code: 'kk', name: 'Қазақша' },
  { code: 'ru', name: 'Русский' },
  { code: 'en', name: 'English' },
];
export const languageCodes = languages.map((l) => l.code);
const locales = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

const tables = { kk: {}, ru: {}, en: {} };

/** Adds an area's texts: {kk: {key: text}, ru: {...}, en: {...}}. */
export function addMessages(bundle) {
  for (const code of languageCodes) Object.assign(tables[code], bundle[code] || {});
}
addMessages(common);

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]),
  );
}

/** The best of kk/ru/en for a browser: the first of navigator.languages we have, else Kazakh. */
export function preferredLanguage() {
  const stored = safeStorageGet('qatysu.lang');
  if (languageCodes.includes(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const code = String(tag).slice(0, 2).toLowerCase();
    if (languageCodes.includes(code)) return code;
  }
  return 'kk';
}

export function safeStorageGet(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function safeStorageSet(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or a full disk: the choice lasts for this page only.
  }
}

/**
 * Everything a component needs to speak `lang`: t(key, params), tp(key, count, params) for plurals
 * (keys `key.one`, `key.few`, `key.many`, `key.other`; {count} is filled in, formatted),
 * number/percent/date/dateTime formatters, and pick(object) for the API's {kk, ru, en} titles.
 */
export function makeI18n(lang) {
  const locale = locales[lang] || locales.en;
  const formats = makeFormats(lang, locale);
  const plurals = new Intl.PluralRules(locale);
  const t = (key, params) => fill(tables[lang]?.[key] ?? tables.en[key] ?? key, params);
  const toDate = (value) => (value instanceof Date ? value : new Date(value));
  return {
    lang,
    locale,
    t,
    tp(key, count, params = {}) {
      const form = `${key}.${plurals.select(count)}`;
      const text = tables[lang]?.[form] ?? tables[lang]?.[`${key}.other`] ?? tables.en[`${key}.other`] ?? key;
      return fill(text, { ...params, count: formats.number(count) });
    },
    number: (n) => (n === null || n === undefined ? '—' : formats.number(n)),
    percent: (x) => (x === null || x === undefined ? '—' : formats.percent(x)),
    /** A calendar date ("2018-03-14" or a timestamp), shown as that UTC day. */
    date: (value) => (value ? formats.date(toDate(typeof value === 'string' && value.length === 10 ? `${value}T00:00:00Z` : value)) : '—'),
    dateTime: (value) => (value ? formats.dateTime(toDate(value)) : '—'),
    time: (value) => (value ? formats.time(toDate(value)) : '—'),
    /** The text for this language of an API title {kk, ru, en}, falling back to another language. */
    pick: (titles) => (titles ? titles[lang] || titles.kk || titles.ru || titles.en || '' : ''),
  };
}

export const I18nContext = createContext(makeI18n('kk'));

/** The current language's i18n (see makeI18n) plus setLanguage(code). */
export function useI18n() {
  return useContext(I18nContext);
}
