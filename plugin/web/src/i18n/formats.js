// Numbers and dates per language, from the browser's Intl, with a fallback for Kazakh.
// Some browsers (Debian's chromium, Google Chrome) accept 'kk-KZ' but carry no Kazakh data and
// format with the root locale: "2018 M11 5", "12,345.5". Detected once; Kazakh is then formatted
// from CLDR's Kazakh patterns by hand: "2018 ж. 05 қар.", "12 345,5", "82%".
const kazakhMonths = ['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'];
export const kazakhIntlWorks = (() => {
  try {
    const month = new Intl.DateTimeFormat('kk-KZ', { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2018, 10, 5));
    return /қар/.test(month);
  } catch {
    return false;
  }
})();

export function kazakhFormats() {
  // Russian groups and separates decimals as Kazakh does (narrow no-break space, comma).
  const digits = new Intl.NumberFormat('ru-RU');
  const whole = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
  const clock = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit' });
  const day = (d, utc) => {
    const year = utc ? d.getUTCFullYear() : d.getFullYear();
    const month = utc ? d.getUTCMonth() : d.getMonth();
    const date = utc ? d.getUTCDate() : d.getDate();
    return `${year} ж. ${String(date).padStart(2, '0')} ${kazakhMonths[month]}`;
  };
  return {
    number: (n) => digits.format(n),
    percent: (x) => `${whole.format(x * 100)}%`,
    date: (d) => day(d, true),
    dateTime: (d) => `${day(d, false)}, ${clock.format(d)}`,
    time: (d) => clock.format(d),
  };
}


/** number, percent, date (a Date, shown as its UTC day), dateTime and time for `lang`. */
export function makeFormats(lang, locale) {
  if (lang === 'kk' && !kazakhIntlWorks) return kazakhFormats();
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  return {
    number: (n) => numberFormat.format(n),
    percent: (x) => percentFormat.format(x),
    date: (d) => dateFormat.format(d),
    dateTime: (d) => dateTimeFormat.format(d),
    time: (d) => timeFormat.format(d),
  };
}
