// Correcting what was made: an entity's edit form, filled from its GET (whose ETag names the version
// the edit is based on) and saved as a JSON merge patch of only the fields changed, with If-Match.
// When someone else changed the entity meanwhile (412), nothing is saved: the form says what they
// changed and is re-based on the current version, keeping the user's own changes where nobody else
// touched the field, so they look again and save again. Never an overwrite unseen.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, versioned } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useTracks } from '../../tracks.js';
import { ErrorMessage, Loading, useAsync } from '../../ui/components.jsx';
import { History } from '../../ui/history.jsx';
import { FormOutcome, trackName, useForm } from './shared.jsx';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The JSON merge patch (RFC 7396) that turns `before` into `after`, over the members `after` has:
 * objects member by member, anything else (arrays too) whole, null where `after` holds none. `{}`
 * when nothing changed.
 */
export function mergePatch(before, after) {
  const patch = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before?.[key];
    if (isObject(value) && isObject(old)) {
      const inner = mergePatch(old, value);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else if (!same(old, value)) {
      patch[key] = value ?? null;
    }
  }
  return patch;
}

/** An object's members by the names the history uses: `{rule: {require_all}}` → `rule.require_all`. */
function flatten(object, prefix = '') {
  const out = {};
  for (const [key, value] of Object.entries(object)) {
    if (isObject(value)) Object.assign(out, flatten(value, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = value;
  }
  return out;
}

/**
 * The form's values on the current version after a 412: the current values (`now`), with what
 * the user typed kept where they changed a field that nobody changed meanwhile. Where both did,
 * the current value stands and the notice shows what the user had entered.
 */
export function rebase(before, typed, now) {
  const out = { ...now };
  for (const key of Object.keys(typed)) {
    if (!same(typed[key], before[key]) && same(now[key], before[key])) out[key] = typed[key];
  }
  return out;
}

// What each field of the API is called on the forms (the history's names: `title.kk`, `rule.…`).
const fieldKeys = {
  title: 'manage.field.title',
  name: 'manage.localities.name',
  donor: 'manage.programmes.donor',
  starts_on: 'manage.field.startsOn',
  ends_on: 'manage.field.endsOn',
  youth: 'manage.programmes.youth',
  'youth.from': 'manage.programmes.youthFrom',
  'youth.to': 'manage.programmes.youthTo',
  organisations: 'manage.programmes.organisations',
  track: 'manage.courses.track',
  hours: 'manage.courses.hours',
  rule: 'manage.courses.rule',
  'rule.min_attendance_percent': 'manage.courses.minPercent',
  'rule.excused_counts': 'manage.courses.excusedCounts',
  'rule.require_all': 'manage.courses.requireAll',
  gives_certificate: 'manage.courses.givesCertificate',
  certificate_language: 'manage.courses.certificateLanguage',
  place: 'manage.cohorts.place',
  language: 'manage.cohorts.language',
  locality_id: 'manage.cohorts.locality',
  trainer_ids: 'manage.cohorts.trainers',
  parent_id: 'manage.localities.parent',
  kato: 'manage.localities.kato',
};

/** A field of the API (`title.kk`, `organisations[1].en`, `place`) in the reader's words. */
export function fieldLabel(t, field) {
  if (fieldKeys[field]) return t(fieldKeys[field]);
  const parts = /^([a-z_]+)(?:\[(\d+)\])?(?:\.(kk|ru|en))?$/.exec(field);
  if (!parts || !fieldKeys[parts[1]]) return field;
  let label = t(fieldKeys[parts[1]]);
  if (parts[2] !== undefined) label = `${label} ${Number(parts[2]) + 1}`;
  if (parts[3]) label = `${label} (${t(`manage.lang.${parts[3]}`)})`;
  return label;
}

/**
 * A field's value in the reader's words. `names` finds what ids stand for: `locality(id)` and
 * `account(id)` answer a name or nothing.
 */
export function valueText(i18n, tracks, field, value, names = {}) {
  const { t } = i18n;
  const base = field.replace(/\[\d+\]/g, '');
  if (value === null || value === undefined || value === '') return base === 'parent_id' ? t('manage.localities.topLevel') : '—';
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (base === 'starts_on' || base === 'ends_on') return i18n.date(value);
  if (base === 'language') return t(`manage.lang.${value}`);
  if (base === 'certificate_language') return t(`manage.certLang.${value}`);
  if (base === 'track') return trackName(i18n, tracks, value);
  if (base === 'locality_id' || base === 'parent_id') return names.locality?.(value) || `#${value}`;
  if (base === 'trainer_ids') {
    return value.length === 0 ? t('manage.cohorts.noTrainers') : value.map((id) => names.account?.(id) || `#${id}`).join(', ');
  }
  if (typeof value === 'number') return i18n.number(value);
  if (Array.isArray(value)) return value.map((item) => valueText(i18n, tracks, '', item, names)).join('; ');
  if (isObject(value)) return 'kk' in value || 'ru' in value || 'en' in value ? i18n.pick(value) : JSON.stringify(value);
  return String(value);
}

/**
 * The edit form of one entity, under the item it edits. `path` is the entity's (`/courses/3`);
 * `values(entity)` the form's values for it and `body(values)` the editable fields as the API
 * takes them (what the create form sends); only what differs between the two is sent. `children`
 * renders the fields: children(form, entity). `label` names the form for screen readers, `fields`
 * are the field names it shows (FormOutcome). `review(patch, etag)`, when given, may answer (a
 * promise of) something to show before saving, rendered by `renderReview(answer)`; saving then
 * needs a second press, on exactly what was reviewed. `onSaved(entity)` after a save,
 * `onCurrent(entity)` when a 412 brought the current version, `onCancel` to close.
 */
export function Editor({ path, label, values, body, fields, names, review, renderReview, onSaved, onCurrent, onCancel, children }) {
  const i18n = useI18n();
  const { t } = i18n;
  const tracks = useTracks();
  // A kept copy (offline) is refused: an edit is based on what the server holds.
  const loaded = useAsync(() => versioned(path, { live: true }), [path]);
  const [base, setBase] = useState(null);
  const [stale, setStale] = useState(null);
  const [reviewed, setReviewed] = useState(null);
  const form = useForm({});
  const reviewHeading = useRef(null);

  useEffect(() => {
    if (!loaded.data) return;
    setBase(loaded.data);
    form.setValues(values(loaded.data.data));
  }, [loaded.data]);

  const patch = base ? mergePatch(body(values(base.data)), body(form.values)) : {};
  // What was reviewed is what is saved: a change made after the review asks for a new one.
  useEffect(() => {
    if (reviewed && !same(reviewed.patch, patch)) setReviewed(null);
  }, [JSON.stringify(patch)]);
  useEffect(() => {
    if (reviewed) reviewHeading.current?.focus();
  }, [reviewed]);

  function submit(event) {
    event.preventDefault();
    const sent = patch;
    form.run(async (typed) => {
      if (Object.keys(sent).length === 0) return (i18n) => i18n.t('manage.edit.unchanged');
      if (review && !(reviewed && same(reviewed.patch, sent))) {
        const answer = await review(sent, base.etag);
        if (answer) {
          setStale(null);
          setReviewed({ patch: sent, answer });
          return (i18n) => i18n.t('manage.edit.review');
        }
      }
      try {
        const response = await api(path, { method: 'PATCH', body: sent, ifMatch: base.etag, raw: true });
        const saved = await response.json();
        setBase({ data: saved, etag: response.headers.get('ETag') });
        form.setValues(values(saved));
        setStale(null);
        setReviewed(null);
        onSaved?.(saved);
        return (i18n) => i18n.t('common.saved');
      } catch (failure) {
        const current = failure.status === 412 ? failure.problem?.current : null;
        if (current) {
          const mine = flatten(sent);
          form.setValues(rebase(values(base.data), typed, values(current)));
          setBase({ data: current, etag: failure.problem.current_etag });
          setStale({ changes: failure.problem.changes || [], mine });
          setReviewed(null);
          onCurrent?.(current);
        }
        throw failure;
      }
    });
  }

  if (loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (!base) return <Loading />;
  const stalled = stale && form.error?.status === 412;
  return (
    <form class="card form manage-edit" ref={form.ref} onSubmit={submit} noValidate aria-label={label}>
      {stalled && <StaleNotice stale={stale} tracks={tracks} names={names} />}
      {children(form, base.data)}
      {reviewed && (
        <div class="manage-review" data-review>
          <h3 tabIndex={-1} ref={reviewHeading}>
            {t('manage.edit.reviewTitle')}
          </h3>
          {renderReview(reviewed.answer)}
        </div>
      )}
      <FormOutcome form={stalled ? { ...form, error: null } : form} fields={fields} />
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={form.busy}>
          {reviewed ? t('manage.edit.confirm') : t('manage.edit.save')}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** What someone else changed meanwhile: each field with its value now, and what the user had entered there. */
function StaleNotice({ stale, tracks, names }) {
  const i18n = useI18n();
  const { t } = i18n;
  // The latest value of each field they changed (changes come oldest first).
  const theirs = new Map();
  for (const change of stale.changes) for (const field of change.fields) theirs.set(field.field, field.new);
  return (
    <div class="notice notice-warning" role="alert" data-stale>
      <p>
        <strong>{t('manage.edit.stale')}</strong>
      </p>
      {theirs.size > 0 && (
        <>
          <p>{t('manage.edit.staleWhat')}</p>
          <ul>
            {[...theirs].map(([field, value]) => (
              <li data-field={field}>
                {fieldLabel(t, field)}: <strong>{valueText(i18n, tracks, field, value, names)}</strong>
                {field in stale.mine && !same(stale.mine[field], value) && (
                  <> {t('manage.edit.yours', { value: valueText(i18n, tracks, field, stale.mine[field], names) })}</>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>{t('manage.edit.staleAgain')}</p>
    </div>
  );
}

/**
 * An item's Edit and History buttons, each opening its panel under the item (one panel of the
 * list at a time: `panels` from useItemPanels). `name` says which item, for screen readers.
 */
export function ItemActions({ panels, id, name }) {
  const { t } = useI18n();
  const open = panels.kindOf(id);
  const toggle = (kind) => panels.open(id, open === kind ? null : kind);
  return (
    <div class="manage-actions">
      <button
        type="button"
        id={panels.buttonId(id)}
        class="button button-secondary edit-button"
        aria-expanded={open === 'edit' ? 'true' : 'false'}
        onClick={() => toggle('edit')}
      >
        {t('manage.edit.edit')}
        <span class="visually-hidden"> {name}</span>
      </button>
      <button
        type="button"
        class="button button-secondary history-button"
        aria-expanded={open === 'history' ? 'true' : 'false'}
        onClick={() => toggle('history')}
      >
        {t('manage.edit.history')}
        <span class="visually-hidden"> {name}</span>
      </button>
    </div>
  );
}

/** An item's history under it (`path` the entity's, `/courses/3`). */
export function ItemHistory({ path }) {
  return (
    <div class="manage-history">
      <History path={`${path}/history`} />
    </div>
  );
}

/**
 * Which item of a list (`scope` names the list) has its edit form or history open: one at a
 * time. `saved(id, text)` closes the form and announces `text` (a function of the i18n), which
 * stays until a panel opens again; it and `close()` give the focus back to the item's Edit button.
 */
export function useItemPanels(scope) {
  const [panel, setPanel] = useState(null);
  const [announcement, setAnnouncement] = useState('');
  const buttonId = (id) => `edit-${scope}-${id}`;
  // The form goes with the button that was pressed in it: the focus goes back to the item's Edit.
  const backTo = (id) => setTimeout(() => document.getElementById(buttonId(id))?.focus(), 0);
  return {
    announcement,
    buttonId,
    kindOf: (id) => (panel && panel.id === id ? panel.kind : null),
    open: (id, kind) => {
      setAnnouncement('');
      setPanel(kind ? { id, kind } : null);
    },
    close: () => {
      if (panel) backTo(panel.id);
      setPanel(null);
    },
    saved: (id, text) => {
      setPanel(null);
      setAnnouncement(() => text);
      backTo(id);
    },
  };
}
