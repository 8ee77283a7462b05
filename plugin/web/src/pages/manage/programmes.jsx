// /app/manage/programmes: the donor programmes, and a new one (code, titles, donor, dates, the
// youth age band of its totals, the organisations its certificates name). Each links to its own
// page, where its targets are set; each can be corrected (everything but its code) and its
// history read.
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { Editor, ItemActions, ItemHistory, useItemPanels } from './edit.jsx';
import { DateRangeFields, FormOutcome, LocalizedFields, ManagePage, StatusLine, clean, numberOrNull, useForm } from './shared.jsx';

const empty = {
  code: '',
  'title.kk': '',
  'title.ru': '',
  'title.en': '',
  donor: '',
  starts_on: '',
  ends_on: '',
  'youth.from': '14',
  'youth.to': '35',
  organisations: [],
};
const formFields = ['code', 'title', 'donor', 'starts_on', 'ends_on', 'youth', 'organisations'];
const localized = (text) => ({ kk: clean(text.kk), ru: clean(text.ru), en: clean(text.en) });

/** A programme's fields as the API takes them (what a new one is made of, and what an edit may change). */
function programmeBody(v) {
  return {
    title: { kk: clean(v['title.kk']), ru: clean(v['title.ru']), en: clean(v['title.en']) },
    donor: clean(v.donor),
    starts_on: v.starts_on,
    ends_on: v.ends_on,
    youth: { from: numberOrNull(v['youth.from']), to: numberOrNull(v['youth.to']) },
    organisations: v.organisations.map(localized),
  };
}

/** The form's values for a programme. */
function programmeValues(p) {
  return {
    'title.kk': p.title.kk,
    'title.ru': p.title.ru,
    'title.en': p.title.en,
    donor: p.donor,
    starts_on: p.starts_on,
    ends_on: p.ends_on,
    'youth.from': String(p.youth.from),
    'youth.to': String(p.youth.to),
    organisations: (p.organisations || []).map((o) => ({ kk: o.kk, ru: o.ru, en: o.en })),
  };
}

/** Every field of a programme but its code, for the new one and for an edit. */
function ProgrammeFields({ form }) {
  const { t } = useI18n();
  return (
    <>
      <LocalizedFields form={form} name="title" legend={t('manage.field.title')} />
      <Field label={t('manage.programmes.donor')} error={form.err('donor')} required>
        <input {...form.bind('donor')} />
      </Field>
      <DateRangeFields form={form} />
      <fieldset>
        <legend>{t('manage.programmes.youth')}</legend>
        <p class="hint">{t('manage.programmes.youthHint')}</p>
        <div class="manage-row">
          <Field label={t('manage.programmes.youthFrom')} error={form.err('youth.from') || form.err('youth')} required>
            <input type="number" inputMode="numeric" min="1" max="120" {...form.bind('youth.from')} />
          </Field>
          <Field label={t('manage.programmes.youthTo')} error={form.err('youth.to')} required>
            <input type="number" inputMode="numeric" min="1" max="120" {...form.bind('youth.to')} />
          </Field>
        </div>
      </fieldset>
      <OrganisationsFields form={form} />
    </>
  );
}

/** The implementing organisations certificates print, each named in kk, ru and en (at most 8). */
function OrganisationsFields({ form }) {
  const { t } = useI18n();
  const rows = form.values.organisations || [];
  const setRow = (index, lang, text) => form.set('organisations', rows.map((row, i) => (i === index ? { ...row, [lang]: text } : row)));
  const listError = (form.error?.fields || {}).organisations;
  return (
    <fieldset class={listError ? 'field-error' : undefined}>
      <legend>{t('manage.programmes.organisations')}</legend>
      <p class="hint">{t('manage.programmes.organisationsHint')}</p>
      {rows.map((row, index) => (
        <fieldset class="manage-localized">
          <legend>{t('manage.programmes.organisation', { n: index + 1 })}</legend>
          {['kk', 'ru', 'en'].map((lang) => (
            <Field label={t(`manage.lang.${lang}`)} error={form.err(`organisations[${index}].${lang}`) || form.err(`organisations[${index}]`)} required>
              <input name={`organisations[${index}].${lang}`} lang={lang} value={row[lang]} onInput={(e) => setRow(index, lang, e.currentTarget.value)} />
            </Field>
          ))}
          <button type="button" class="button button-quiet" onClick={() => form.set('organisations', rows.filter((_, i) => i !== index))}>
            {t('manage.programmes.removeOrganisation')}
            <span class="visually-hidden"> {t('manage.programmes.organisation', { n: index + 1 })}</span>
          </button>
        </fieldset>
      ))}
      {listError && <p class="error-text">{form.err('organisations')}</p>}
      {rows.length < 8 && (
        <button type="button" class="button button-secondary" onClick={() => form.set('organisations', [...rows, { kk: '', ru: '', en: '' }])}>
          {t('manage.programmes.addOrganisation')}
        </button>
      )}
    </fieldset>
  );
}

/** The edit form of a programme: every field but its code (certificate serials are numbered by it). */
export function ProgrammeEditor({ programme, onSaved, onCurrent, onCancel }) {
  const i18n = useI18n();
  return (
    <Editor
      path={`/programmes/${programme.id}`}
      label={i18n.t('manage.edit.formLabel', { name: programme.code })}
      values={programmeValues}
      body={programmeBody}
      fields={formFields}
      onSaved={onSaved}
      onCurrent={onCurrent}
      onCancel={onCancel}
    >
      {(form, current) => (
        <>
          <p>{i18n.t('manage.programmes.codeFixed', { code: current.code })}</p>
          <ProgrammeFields form={form} />
        </>
      )}
    </Editor>
  );
}

export default function Programmes() {
  const i18n = useI18n();
  const { t } = i18n;
  const programmes = useAsync(() => api('/programmes'), []);
  const form = useForm(empty);
  const panels = useItemPanels('programme');
  const replace = (changed) => programmes.setData((data) => ({ items: data.items.map((p) => (p.id === changed.id ? changed : p)) }));

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/programmes', {
        method: 'POST',
        body: { code: clean(v.code), ...programmeBody(v) },
      });
      programmes.setData((data) => ({ items: [...(data?.items || []), created] }));
      return (i18n) => i18n.t('manage.programmes.created', { code: created.code, title: i18n.pick(created.title) });
    }, empty);
  }

  return (
    <ManagePage title={t('manage.programmes.title')}>
      <div class="manage-columns">
        <section aria-labelledby="programmes-list">
          <h2 id="programmes-list">{t('manage.programmes.list')}</h2>
          {programmes.loading && !programmes.data && <Loading />}
          <ErrorMessage error={programmes.error} onRetry={programmes.reload} />
          <StatusLine text={panels.announcement} />
          {programmes.data && programmes.data.items.length === 0 && <p>{t('common.none')}</p>}
          {programmes.data && programmes.data.items.length > 0 && (
            <ul class="manage-items">
              {programmes.data.items.map((p) => (
                <li data-programme={p.id}>
                  <div class="manage-item-head">
                    <a class="manage-item-title" href={`/app/manage/programmes/${p.id}`}>
                      {p.code} · {i18n.pick(p.title)}
                    </a>
                    <a class="button button-secondary" href={`/app/manage/programmes/${p.id}`}>
                      {t('manage.programmes.targets')}
                      <span class="visually-hidden"> {p.code}</span>
                    </a>
                  </div>
                  <p class="meta">
                    {t('manage.programmes.donor')}: {p.donor} · {i18n.date(p.starts_on)} – {i18n.date(p.ends_on)} ·{' '}
                    {t('manage.programmes.youthBand', { from: p.youth.from, to: p.youth.to })}
                  </p>
                  <ItemActions panels={panels} id={p.id} name={p.code} />
                  {panels.kindOf(p.id) === 'edit' && (
                    <ProgrammeEditor
                      programme={p}
                      onSaved={(saved) => {
                        replace(saved);
                        panels.saved(p.id, (i18n) => i18n.t('manage.edit.saved', { name: saved.code }));
                      }}
                      onCurrent={replace}
                      onCancel={panels.close}
                    />
                  )}
                  {panels.kindOf(p.id) === 'history' && <ItemHistory path={`/programmes/${p.id}`} />}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="programmes-new">
          <h2 id="programmes-new">{t('manage.programmes.new')}</h2>
          <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
            <Field label={t('manage.programmes.code')} hint={t('manage.programmes.codeHint')} error={form.err('code')} required>
              <input {...form.bind('code')} autocapitalize="characters" spellcheck={false} />
            </Field>
            <ProgrammeFields form={form} />
            <FormOutcome form={form} fields={formFields} />
            <button type="submit" class="button button-primary" disabled={form.busy}>
              {t('manage.programmes.create')}
            </button>
          </form>
        </section>
      </div>
    </ManagePage>
  );
}
