// /app/manage/programmes/:id: one programme, its correction and history, and its targets (what
// the donor expects: e.g. 60 people trained in inclusive planning), all replaced at once by PUT
// /programmes/{id}/targets.
import { useEffect } from 'preact/hooks';
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useTracks } from '../../tracks.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { ItemActions, ItemHistory, useItemPanels } from './edit.jsx';
import { ProgrammeEditor } from './programmes.jsx';
import { FormOutcome, ManagePage, StatusLine, numberOrNull, trackName, useForm } from './shared.jsx';

// attendance_rate takes no target (docs/API.md, Targets).
const measures = ['trained', 'reached', 'enrolled', 'certified', 'trained_with_waiver', 'sessions', 'participant_hours'];

export default function Programme({ id }) {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  const data = useAsync(async () => {
    const [programme, targets, courses] = await Promise.all([
      api(`/programmes/${encodeURIComponent(id)}`),
      api(`/programmes/${encodeURIComponent(id)}/targets`),
      api(`/courses?programme=${encodeURIComponent(id)}`),
    ]);
    return { programme, targets: targets.targets, courses: courses.items };
  }, [id]);
  const form = useForm({ rows: [] });
  const panels = useItemPanels('programme-page');
  const replace = (changed) => data.setData((d) => ({ ...d, programme: changed }));

  useEffect(() => {
    if (data.data) {
      form.setValues({
        rows: data.data.targets.map((target) => ({ measure: target.measure, track: target.track || '', value: String(target.value) })),
      });
    }
  }, [data.data]);

  const programme = data.data?.programme;
  const title = programme ? `${programme.code} · ${i18n.pick(programme.title)}` : t('manage.programmes.title');
  const tracks = [...new Set([...known.map((k) => k.track), ...(data.data?.courses || []).map((c) => c.track)])];
  // The service's name of a track only its courses carry.
  const labelOf = (track) => (data.data?.courses || []).find((c) => c.track === track)?.track_label || null;
  const rows = form.values.rows;
  const setRow = (index, change) => form.set('rows', rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  function submit(event) {
    event.preventDefault();
    form.run(async () => {
      const saved = await api(`/programmes/${encodeURIComponent(id)}/targets`, {
        method: 'PUT',
        body: { targets: rows.map((row) => ({ measure: row.measure, track: row.track || null, value: numberOrNull(row.value) })) },
      });
      form.setValues({ rows: saved.targets.map((target) => ({ measure: target.measure, track: target.track || '', value: String(target.value) })) });
      return (i18n) => i18n.t('manage.targets.saved', { count: i18n.number(saved.targets.length) });
    });
  }

  return (
    <ManagePage title={title} parent={{ href: '/app/manage/programmes', title: t('manage.programmes.title') }}>
      {data.loading && !data.data && <Loading />}
      <ErrorMessage error={data.error} onRetry={data.reload} />
      {programme && (
        <>
          <dl class="manage-facts">
            <dt>{t('manage.programmes.donor')}</dt>
            <dd>{programme.donor}</dd>
            <dt>{t('manage.programmes.period')}</dt>
            <dd>
              {i18n.date(programme.starts_on)} – {i18n.date(programme.ends_on)}
            </dd>
            <dt>{t('manage.programmes.youth')}</dt>
            <dd>{t('manage.programmes.youthBand', { from: programme.youth.from, to: programme.youth.to })}</dd>
            {programme.organisations.length > 0 && (
              <>
                <dt>{t('manage.programmes.organisations')}</dt>
                <dd>{programme.organisations.map((o) => i18n.pick(o)).join('; ')}</dd>
              </>
            )}
          </dl>
          <ItemActions panels={panels} id={programme.id} name={programme.code} />
          <StatusLine text={panels.announcement} />
          {panels.kindOf(programme.id) === 'edit' && (
            <ProgrammeEditor
              programme={programme}
              onSaved={(saved) => {
                replace(saved);
                panels.saved(programme.id, (i18n) => i18n.t('manage.edit.saved', { name: saved.code }));
              }}
              onCurrent={replace}
              onCancel={panels.close}
            />
          )}
          {panels.kindOf(programme.id) === 'history' && <ItemHistory path={`/programmes/${programme.id}`} />}
          <p>
            <a href={`/app/manage/courses?programme=${programme.id}`}>{t('manage.programmes.courses')}</a>
          </p>
          <h2>{t('manage.targets.title')}</h2>
          <p class="hint">{t('manage.targets.intro')}</p>
          <form class="card" ref={form.ref} onSubmit={submit} noValidate>
            {rows.length === 0 && <p>{t('manage.targets.none')}</p>}
            {rows.map((row, index) => (
              <fieldset class={form.err(`targets[${index}]`) ? 'field-error' : undefined}>
                <legend>{t('manage.targets.item', { n: index + 1 })}</legend>
                <div class="manage-target">
                  <Field label={t('manage.targets.measure')} error={form.err(`targets[${index}].measure`)} required>
                    <select name={`targets[${index}].measure`} value={row.measure} onChange={(e) => setRow(index, { measure: e.currentTarget.value })}>
                      {measures.map((m) => (
                        <option value={m}>{t(`manage.measure.${m}`)}</option>
                      ))}
                    </select>
                  </Field>
                  <Field label={t('manage.targets.track')} error={form.err(`targets[${index}].track`)}>
                    <select name={`targets[${index}].track`} value={row.track} onChange={(e) => setRow(index, { track: e.currentTarget.value })}>
                      <option value="">{t('manage.track.all')}</option>
                      {tracks.map((track) => (
                        <option value={track}>{trackName(i18n, known, track, labelOf(track))}</option>
                      ))}
                    </select>
                  </Field>
                  <Field label={t('manage.targets.value')} error={form.err(`targets[${index}].value`)} required>
                    <input
                      name={`targets[${index}].value`}
                      type="number"
                      inputMode="numeric"
                      min="1"
                      value={row.value}
                      onInput={(e) => setRow(index, { value: e.currentTarget.value })}
                    />
                  </Field>
                  <button type="button" class="button button-danger" onClick={() => form.set('rows', rows.filter((_, i) => i !== index))}>
                    {t('manage.targets.remove')}
                    <span class="visually-hidden"> {t('manage.targets.item', { n: index + 1 })}</span>
                  </button>
                </div>
                {(form.error?.fields || {})[`targets[${index}]`] && (
                  <p class="error-text">{form.err(`targets[${index}]`)}</p>
                )}
              </fieldset>
            ))}
            <div class="button-row">
              <button type="button" class="button button-secondary" onClick={() => form.set('rows', [...rows, { measure: 'trained', track: '', value: '' }])}>
                {t('manage.targets.add')}
              </button>
              <button type="submit" class="button button-primary" disabled={form.busy}>
                {t('manage.targets.save')}
              </button>
            </div>
            <FormOutcome form={form} fields={['targets']} />
          </form>
        </>
      )}
    </ManagePage>
  );
}
