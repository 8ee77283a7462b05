// Every text of the web app exists in Kazakh, Russian and English, none is empty, and the
// {placeholders} of a text are the same in each language.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function messageFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...messageFiles(path));
    else if (name === 'messages.js' || (dir.endsWith('i18n') && name === 'common.js')) found.push(path);
  }
  return found;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

for (const file of messageFiles(src)) {
  test(`texts of ${file.slice(src.length + 1)} are complete in kk, ru and en`, async () => {
    const bundle = (await import(pathToFileURL(file))).default;
    assert.deepEqual(Object.keys(bundle).sort(), ['en', 'kk', 'ru']);
    const keys = new Set([...Object.keys(bundle.kk), ...Object.keys(bundle.ru), ...Object.keys(bundle.en)]);
    assert.ok(keys.size > 0, 'no texts');
    for (const key of keys) {
      for (const lang of ['kk', 'ru', 'en']) {
        const text = bundle[lang][key];
        assert.equal(typeof text, 'string', `${lang} has no "${key}"`);
        assert.notEqual(text.trim(), '', `${lang} "${key}" is empty`);
        assert.deepEqual(placeholders(text), placeholders(bundle.en[key]), `${lang} "${key}" has other {placeholders} than en`);
      }
    }
  });
}

test('every Kazakh text file is found', () => {
  assert.ok(messageFiles(src).length >= 1);
});
