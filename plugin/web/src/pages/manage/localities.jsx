// /app/manage/localities: the locality tree (region → district → settlement / rural district →
// village), opened branch by branch (GET /localities?parent=), names in the reader's language
// with their KATO codes; a new locality is added at the top or inside a chosen one. Each can be
// renamed, moved under another parent and given its KATO code, and its history read.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { Editor, ItemActions, ItemHistory, useItemPanels } from './edit.jsx';
import { FormOutcome, LocalityOptions, LocalizedFields, ManagePage, StatusLine, childKinds, clean, loadLocalityTree, useForm } from './shared.jsx';

const empty = { kind: 'region', 'name.kk': '', 'name.ru': '', 'name.en': '', kato: '' };
const editFields = ['parent_id', 'name', 'kato', 'kind'];

/** A locality's name and KATO code as the API takes them (empty code: none). */
function nameAndKato(v) {
  const kato = clean(v.kato);
  return { name: { kk: clean(v['name.kk']), ru: clean(v['name.ru']), en: clean(v['name.en']) }, kato: kato === '' ? null : kato };
}

/** What an edit may change of a locality: its parent (none: the top level), name and KATO code; its kind stays. */
function localityBody(v) {
  return { parent_id: v.parent_id === '' ? null : Number(v.parent_id), ...nameAndKato(v) };
}

function localityValues(l) {
  return {
    parent_id: l.parent_id === null || l.parent_id === undefined ? '' : String(l.parent_id),
    'name.kk': l.name.kk,
    'name.ru': l.name.ru,
    'name.en': l.name.en,
    kato: l.kato || '',
  };
}

/** The ids from the top of the tree down to `id` (itself included), as far as `tree` knows them. */
function pathTo(tree, id) {
  const chain = [];
  for (let at = id; at !== null && at !== undefined && chain.length < 8; at = tree.byId.get(at)?.parent_id) chain.unshift(at);
  return chain;
}

/**
 * The edit form of a locality: its names, its KATO code, and where it lies: any locality of a
 * higher kind (the rule a new one follows, childKinds), never itself or a place inside it, or the
 * top level. `onSaved(saved, chain)` gets the ids down to its new parent.
 */
function LocalityEditor({ locality, onSaved, onCurrent, onCancel }) {
  const i18n = useI18n();
  const { t } = i18n;
  const tree = useAsync(() => loadLocalityTree(), []);
  if (tree.error) return <ErrorMessage error={tree.error} onRetry={tree.reload} />;
  if (!tree.data) return <Loading />;
  const insideIt = (candidate) => pathTo(tree.data, candidate.id).includes(locality.id);
  const mayHold = (candidate) => childKinds(candidate.kind).includes(locality.kind) && !insideIt(candidate);
  const names = {
    locality: (id) => {
      const found = tree.data.byId.get(id);
      return found && `${i18n.pick(found.name)} (${t(`manage.kind.${found.kind}`)})`;
    },
  };
  return (
    <Editor
      path={`/localities/${locality.id}`}
      label={t('manage.edit.formLabel', { name: i18n.pick(locality.name) })}
      values={localityValues}
      body={localityBody}
      fields={editFields}
      names={names}
      onSaved={(saved) => onSaved(saved, saved.parent_id === null ? [] : pathTo(tree.data, saved.parent_id))}
      onCurrent={onCurrent}
      onCancel={onCancel}
    >
      {(form, current) => (
        <>
          <p>{t('manage.localities.kindFixed', { kind: t(`manage.kind.${current.kind}`) })}</p>
          <LocalizedFields form={form} name="name" legend={t('manage.localities.name')} />
          <Field label={t('manage.localities.parent')} hint={t('manage.localities.parentHint')} error={form.err('parent_id') || form.err('kind')}>
            <select {...form.bind('parent_id')} onChange={(e) => form.set('parent_id', e.currentTarget.value)}>
              <option value="">{t('manage.localities.topLevel')}</option>
              <LocalityOptions tree={tree.data} filter={mayHold} />
            </select>
          </Field>
          <Field label={t('manage.localities.kato')} hint={t('manage.localities.katoHint')} error={form.err('kato')}>
            <input {...form.bind('kato')} inputMode="numeric" autocomplete="off" spellcheck={false} />
          </Field>
        </>
      )}
    </Editor>
  );
}

export default function Localities() {
  const i18n = useI18n();
  const { t } = i18n;
  // Children by parent id ('root' for the top): {items, error, loading}.
  const [branches, setBranches] = useState({});
  const [open, setOpen] = useState(() => new Set());
  const [parent, setParent] = useState(null);
  const form = useForm(empty);
  const formHeading = useRef(null);
  const panels = useItemPanels('locality');

  async function load(key) {
    setBranches((b) => ({ ...b, [key]: { ...(b[key] || {}), loading: true, error: null } }));
    try {
      const answer = await api(`/localities${query({ parent: key === 'root' ? null : key })}`);
      setBranches((b) => ({ ...b, [key]: { items: answer.items, loading: false, error: null } }));
    } catch (error) {
      setBranches((b) => ({ ...b, [key]: { ...(b[key] || {}), loading: false, error } }));
    }
  }

  useEffect(() => {
    load('root');
  }, []);

  function toggle(locality) {
    const next = new Set(open);
    if (next.has(locality.id)) next.delete(locality.id);
    else {
      next.add(locality.id);
      if (!branches[locality.id]) load(locality.id);
    }
    setOpen(next);
  }

  // After an edit: the branch it left and every branch down to where it is now are read again and
  // opened, so the locality is seen (and its Edit button takes the focus back) in its place.
  async function saved(before, after, chain) {
    const keys = new Set([before.parent_id ?? 'root', 'root', ...chain]);
    setOpen((o) => new Set([...o, ...chain]));
    await Promise.all([...keys].map((key) => load(key)));
    const moved = (before.parent_id ?? null) !== (after.parent_id ?? null);
    panels.saved(after.id, (i18n) =>
      moved
        ? i18n.t('manage.localities.moved', { name: i18n.pick(after.name) })
        : i18n.t('manage.edit.saved', { name: i18n.pick(after.name) }),
    );
  }

  function addInside(locality) {
    setParent(locality);
    form.setError(null);
    form.setStatus('');
    form.set('kind', childKinds(locality?.kind)[0]);
    formHeading.current?.scrollIntoView({ block: 'start' });
    formHeading.current?.focus();
  }

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const kato = clean(v.kato);
      const created = await api('/localities', {
        method: 'POST',
        body: {
          parent_id: parent ? parent.id : null,
          kind: v.kind,
          name: { kk: clean(v['name.kk']), ru: clean(v['name.ru']), en: clean(v['name.en']) },
          kato: kato === '' ? null : kato,
        },
      });
      const key = parent ? parent.id : 'root';
      await load(key);
      if (parent) setOpen((o) => new Set([...o, parent.id]));
      return (i18n) => i18n.t('manage.localities.created', { name: i18n.pick(created.name) });
    }, { ...empty, kind: form.values.kind });
  }

  // Called as a function, not a component: a component made inside this one would be a new type
  // on every render and lose the focus of the button just pressed.
  function branch(branchKey) {
    const state = branches[branchKey];
    if (!state || (state.loading && !state.items)) return <Loading />;
    if (state.error) return <ErrorMessage error={state.error} onRetry={() => load(branchKey)} />;
    if (state.items.length === 0) return <p class="meta">{t('manage.localities.empty')}</p>;
    return (
      <ul>
        {state.items.map((locality) => {
          const name = i18n.pick(locality.name);
          const expandable = locality.kind !== 'village';
          const expanded = open.has(locality.id);
          const panel = panels.kindOf(locality.id);
          return (
            <li data-locality={locality.id}>
              <div class="manage-node">
                <div class="manage-node-label">
                  {expandable ? (
                    <button type="button" class="manage-toggle" aria-expanded={expanded ? 'true' : 'false'} onClick={() => toggle(locality)}>
                      <span class="marker" aria-hidden="true">
                        {expanded ? '▾' : '▸'}
                      </span>
                      {name}
                    </button>
                  ) : (
                    <span class="manage-leaf">{name}</span>
                  )}
                  <span class="meta">
                    {t(`manage.kind.${locality.kind}`)}
                    {locality.kato ? ` · ${t('manage.localities.katoShort')} ${locality.kato}` : ` · ${t('manage.localities.noKato')}`}
                  </span>
                </div>
                <div class="manage-node-actions">
                  {expandable && (
                    <button type="button" class="button button-secondary" onClick={() => addInside(locality)}>
                      <span aria-hidden="true">+ </span>
                      {t('manage.localities.addInside')}
                      <span class="visually-hidden"> {name}</span>
                    </button>
                  )}
                  <ItemActions panels={panels} id={locality.id} name={name} />
                </div>
              </div>
              {panel === 'edit' && (
                <LocalityEditor
                  locality={locality}
                  onSaved={(after, chain) => saved(locality, after, chain)}
                  onCurrent={() => load(locality.parent_id ?? 'root')}
                  onCancel={panels.close}
                />
              )}
              {panel === 'history' && <ItemHistory path={`/localities/${locality.id}`} />}
              {expanded && branch(locality.id)}
            </li>
          );
        })}
      </ul>
    );
  }

  const kinds = childKinds(parent?.kind);

  return (
    <ManagePage title={t('manage.localities.title')}>
      <div class="manage-columns">
        <section aria-labelledby="localities-tree">
          <h2 id="localities-tree">{t('manage.localities.tree')}</h2>
          <StatusLine text={panels.announcement} />
          <div class="manage-tree">
            {branch('root')}
          </div>
        </section>
        <section aria-labelledby="localities-new">
          <h2 id="localities-new" tabIndex={-1} ref={formHeading}>
            {t('manage.localities.new')}
          </h2>
          <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
            <p data-parent={parent ? parent.id : ''}>
              {parent
                ? t('manage.localities.inside', { name: i18n.pick(parent.name), kind: t(`manage.kind.${parent.kind}`) })
                : t('manage.localities.atTop')}
            </p>
            {parent && (
              <p>
                <button type="button" class="button button-secondary" onClick={() => addInside(null)}>
                  {t('manage.localities.toTop')}
                </button>
              </p>
            )}
            <Field label={t('manage.localities.kind')} error={form.err('kind') || form.err('parent_id')} required>
              <select {...form.bind('kind')} onChange={(e) => form.set('kind', e.currentTarget.value)}>
                {kinds.map((kind) => (
                  <option value={kind}>{t(`manage.kind.${kind}`)}</option>
                ))}
              </select>
            </Field>
            <LocalizedFields form={form} name="name" legend={t('manage.localities.name')} />
            <Field label={t('manage.localities.kato')} hint={t('manage.localities.katoHint')} error={form.err('kato')}>
              <input {...form.bind('kato')} inputMode="numeric" autocomplete="off" spellcheck={false} />
            </Field>
            <FormOutcome form={form} fields={['kind', 'parent_id', 'name', 'kato']} />
            <button type="submit" class="button button-primary" disabled={form.busy}>
              {t('manage.localities.create')}
            </button>
          </form>
        </section>
      </div>
    </ManagePage>
  );
}
