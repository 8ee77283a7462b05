// /app/manage/programmes: the donor programmes, and a new one (code, titles, donor, dates, the
// youth age band of its totals). Each links to its own page, where its targets are set.
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { DateRangeFields, FormOutcome, LocalizedFields, ManagePage, clean, numberOrNull, useForm } from './shared.jsx';

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
};
const formFields = ['code', 'title', 'donor', 'starts_on', 'ends_on', 'youth'];

export default function Programmes() {
  const i18n = useI18n();
  const { t } = i18n;
  const programmes = useAsync(() => api('/programmes'), []);
  const form = useForm(empty);

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/programmes', {
        method: 'POST',
        body: {
          code: clean(v.code),
          title: { kk: clean(v['title.kk']), ru: clean(v['title.ru']), en: clean(v['title.en']) },
          donor: clean(v.donor),
          starts_on: v.starts_on,
          ends_on: v.ends_on,
          youth: { from: numberOrNull(v['youth.from']), to: numberOrNull(v['youth.to']) },
        },
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
          {programmes.data && programmes.data.items.length === 0 && <p>{t('common.none')}</p>}
          {programmes.data && programmes.data.items.length > 0 && (
            <ul class="manage-items">
              {programmes.data.items.map((p) => (
                <li>
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
