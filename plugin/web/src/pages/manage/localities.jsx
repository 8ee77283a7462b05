// /app/manage/localities: the locality tree (region → district → settlement / rural district →
// village), opened branch by branch (GET /localities?parent=), names in the reader's language
// with their KATO codes; a new locality is added at the top or inside a chosen one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Loading } from '../../ui/components.jsx';
import { FormOutcome, LocalizedFields, ManagePage, childKinds, clean, useForm } from './shared.jsx';

const empty = { kind: 'region', 'name.kk': '', 'name.ru': '', 'name.en': '', kato: '' };

export default function Localities() {
  const i18n = useI18n();
  const { t } = i18n;
  // Children by parent id ('root' for the top): {items, error, loading}.
  const [branches, setBranches] = useState({});
  const [open, setOpen] = useState(() => new Set());
  const [parent, setParent] = useState(null);
  const form = useForm(empty);
  const formHeading = useRef(null);

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
                {expandable && (
                  <button type="button" class="button button-secondary" onClick={() => addInside(locality)}>
                    <span aria-hidden="true">+ </span>
                    {t('manage.localities.addInside')}
                    <span class="visually-hidden"> {name}</span>
                  </button>
                )}
              </div>
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
