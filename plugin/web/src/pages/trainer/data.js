// What the trainer's pages share: the course and locality catalogues (loaded once per page load,
// they change rarely), the participant fields' allowed values, idempotency keys, and the
// mapping of a 422 answer to texts next to the fields.
import { api } from '../../api.js';

export const genders = ['female', 'male', 'undisclosed'];
export const affiliations = [
  'local_government',
  'civil_society',
  'community_member',
  'entrepreneur',
  'public_servant',
  'other',
];
export const vulnerableGroups = [
  'disability',
  'youth',
  'mother_of_many_children',
  'single_parent',
  'pensioner',
  'unemployed',
];

let coursesPromise = null;
let localitiesPromise = null;

/** Every course as a Map id → course (GET /courses), fetched once; `fresh` fetches again (what is
 * kept for offline use must be read through the service worker, which a first answer may have
 * come before). */
export function loadCourses({ fresh = false } = {}) {
  if (!coursesPromise || fresh) {
    coursesPromise = api('/courses').then(
      (answer) => new Map(answer.items.map((course) => [course.id, course])),
      (error) => {
        coursesPromise = null;
        throw error;
      },
    );
  }
  return coursesPromise;
}

/**
 * The locality tree, walked level by level (GET /localities answers the roots, `?parent=` the
 * children): {list: [locality with depth, in tree order], byId: Map}. Fetched once.
 */
export function loadLocalities({ fresh = false } = {}) {
  if (!localitiesPromise || fresh) {
    localitiesPromise = walkLocalities().catch((error) => {
      localitiesPromise = null;
      throw error;
    });
  }
  return localitiesPromise;
}

async function walkLocalities() {
  const byId = new Map();
  const children = new Map();
  let level = (await api('/localities')).items;
  const roots = level;
  // A tree deeper than region → district → rural district → village → … stops at 8 levels.
  for (let depth = 0; level.length > 0 && depth < 8; depth++) {
    for (const locality of level) byId.set(locality.id, { ...locality, depth });
    const answers = await Promise.all(level.map((l) => api(`/localities?parent=${l.id}`)));
    const next = [];
    level.forEach((parent, i) => {
      children.set(parent.id, answers[i].items);
      next.push(...answers[i].items);
    });
    level = next.filter((l) => !byId.has(l.id));
  }
  const list = [];
  const visit = (nodes) => {
    for (const node of nodes) {
      const entry = byId.get(node.id);
      if (!entry || list.includes(entry)) continue;
      list.push(entry);
      visit(children.get(node.id) || []);
    }
  };
  visit(roots);
  return { list, byId };
}

/** "Инклюзивті жоспарлау" — the cohort's course title in the reader's language. */
export function courseTitle(i18n, courses, cohort) {
  const course = courses?.get(cohort.course_id);
  return course ? i18n.pick(course.title) : `#${cohort.course_id}`;
}

/** A fresh Idempotency-Key: 128 random bits in hex (crypto.getRandomValues works without TLS). */
export function newIdempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A 422's field problems as texts in the reader's language: field → text. A field we have a
 * text for gets it; any other keeps the server's words. "vulnerable[2]" counts as "vulnerable".
 */
export function fieldErrors(t, error) {
  const out = {};
  for (const problem of error?.problem?.errors || []) {
    const field = String(problem.field || '').replace(/\[\d+\]$/, '');
    const key = `trainer.err.${field}`;
    const text = t(key);
    out[field] = text === key ? problem.message : text;
  }
  return out;
}

/** Text typed by a person, as the server should store it: NFC, trimmed. */
export function clean(text) {
  return String(text ?? '').normalize('NFC').trim();
}
