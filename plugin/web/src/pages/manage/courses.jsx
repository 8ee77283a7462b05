// /app/manage/courses: the courses of a programme, and a new one: its track, titles, hours, the
// rule a participant must meet to complete it, and whether (and in which language) it gives a
// certificate.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useTracks } from '../../tracks.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { FormOutcome, LocalizedFields, ManagePage, clean, numberOrNull, trackName, useForm } from './shared.jsx';

const empty = {
  track: 'inclusive_planning',
  track_other: '',
  'title.kk': '',
  'title.ru': '',
  'title.en': '',
  hours: '',
  min_attendance_percent: '80',
  excused_counts: false,
  require_all: false,
  gives_certificate: true,
  certificate_language: 'all',
};
const formFields = ['programme_id', 'track', 'title', 'hours', 'rule', 'gives_certificate', 'certificate_language'];

/** "≥ 80 % of sessions, excused count" in words. */
export function ruleText(t, rule) {
  if (rule.require_all) return t('manage.courses.ruleAll');
  const text = t('manage.courses.ruleMin', { percent: rule.min_attendance_percent });
  return rule.excused_counts ? `${text}; ${t('manage.courses.ruleExcused')}` : text;
}

export default function Courses() {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  const location = useLocation();
  const programmes = useAsync(() => api('/programmes'), []);
  const [programmeId, setProgrammeId] = useState(location.query.programme || '');
  useEffect(() => {
    const items = programmes.data?.items || [];
    if (items.length > 0 && !items.some((p) => String(p.id) === String(programmeId))) setProgrammeId(String(items[0].id));
  }, [programmes.data]);
  const courses = useAsync(() => (programmeId ? api(`/courses?programme=${encodeURIComponent(programmeId)}`) : Promise.resolve(null)), [programmeId]);
  const form = useForm(empty);
  const programme = (programmes.data?.items || []).find((p) => String(p.id) === String(programmeId));

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/courses', {
        method: 'POST',
        body: {
          programme_id: Number(programmeId),
          track: v.track === 'other' ? clean(v.track_other) : v.track,
          title: { kk: clean(v['title.kk']), ru: clean(v['title.ru']), en: clean(v['title.en']) },
          hours: numberOrNull(v.hours),
          rule: {
            min_attendance_percent: v.require_all ? 100 : numberOrNull(v.min_attendance_percent),
            excused_counts: !!v.excused_counts,
            require_all: !!v.require_all,
          },
          gives_certificate: !!v.gives_certificate,
          certificate_language: v.certificate_language,
        },
      });
      courses.setData((data) => ({ items: [...(data?.items || []), created] }));
      return (i18n) => i18n.t('manage.courses.created', { title: i18n.pick(created.title) });
    }, empty);
  }

  return (
    <ManagePage title={t('manage.courses.title')}>
      {programmes.loading && !programmes.data && <Loading />}
      <ErrorMessage error={programmes.error} onRetry={programmes.reload} />
      {programmes.data && programmes.data.items.length === 0 && (
        <p>
          <a href="/app/manage/programmes">{t('manage.courses.needProgramme')}</a>
        </p>
      )}
      {programmes.data && programmes.data.items.length > 0 && (
        <div class="form">
          <Field label={t('manage.field.programme')}>
            <select name="programme" value={programmeId} onChange={(e) => setProgrammeId(e.currentTarget.value)}>
              {programmes.data.items.map((p) => (
                <option value={String(p.id)}>
                  {p.code} · {i18n.pick(p.title)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {programme && (
        <div class="manage-columns">
          <section aria-labelledby="courses-list">
            <h2 id="courses-list">{t('manage.courses.list', { programme: programme.code })}</h2>
            {courses.loading && !courses.data && <Loading />}
            <ErrorMessage error={courses.error} onRetry={courses.reload} />
            {courses.data && courses.data.items.length === 0 && <p>{t('common.none')}</p>}
            {courses.data && courses.data.items.length > 0 && (
              <ul class="manage-items">
                {courses.data.items.map((course) => (
                  <li data-course={course.id}>
                    <p class="manage-item-title">{i18n.pick(course.title)}</p>
                    <p class="meta">
                      {trackName(i18n, known, course.track, course.track_label)} · {t('manage.courses.hoursValue', { hours: i18n.number(course.hours) })} ·{' '}
                      {ruleText(t, course.rule)} ·{' '}
                      {course.gives_certificate
                        ? t('manage.courses.certificateIn', { language: t(`manage.certLang.${course.certificate_language}`) })
                        : t('manage.courses.noCertificate')}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="courses-new">
            <h2 id="courses-new">{t('manage.courses.new')}</h2>
            <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
              <p>{t('manage.courses.inProgramme', { programme: `${programme.code} · ${i18n.pick(programme.title)}` })}</p>
              <Field label={t('manage.courses.track')} error={form.values.track === 'other' ? undefined : form.err('track')} required>
                <select {...form.bind('track')} onChange={(e) => form.set('track', e.currentTarget.value)}>
                  {known.map(({ track }) => (
                    <option value={track}>{trackName(i18n, known, track)}</option>
                  ))}
                  <option value="other">{t('manage.courses.trackOther')}</option>
                </select>
              </Field>
              {form.values.track === 'other' && (
                <Field label={t('manage.courses.trackCode')} hint={t('manage.courses.trackCodeHint')} error={form.err('track')} required>
                  <input {...form.bind('track_other')} autocapitalize="none" spellcheck={false} />
                </Field>
              )}
              <LocalizedFields form={form} name="title" legend={t('manage.field.title')} />
              <Field label={t('manage.courses.hours')} error={form.err('hours')} required>
                <input type="number" inputMode="decimal" min="0" step="0.5" {...form.bind('hours')} />
              </Field>
              <fieldset>
                <legend>{t('manage.courses.rule')}</legend>
                <label class="check">
                  <input {...form.bindCheck('require_all')} />
                  {t('manage.courses.requireAll')}
                </label>
                {!form.values.require_all && (
                  <Field label={t('manage.courses.minPercent')} hint={t('manage.courses.minPercentHint')} error={form.err('rule.min_attendance_percent') || form.err('rule')} required>
                    <input type="number" inputMode="numeric" min="0" max="100" {...form.bind('min_attendance_percent')} />
                  </Field>
                )}
                <label class="check">
                  <input {...form.bindCheck('excused_counts')} />
                  {t('manage.courses.excusedCounts')}
                </label>
              </fieldset>
              <label class="check">
                <input {...form.bindCheck('gives_certificate')} />
                {t('manage.courses.givesCertificate')}
              </label>
              {form.values.gives_certificate && (
                <Field label={t('manage.courses.certificateLanguage')} error={form.err('certificate_language')}>
                  <select {...form.bind('certificate_language')} onChange={(e) => form.set('certificate_language', e.currentTarget.value)}>
                    {['all', 'kk', 'ru', 'en'].map((code) => (
                      <option value={code}>{t(`manage.certLang.${code}`)}</option>
                    ))}
                  </select>
                </Field>
              )}
              <FormOutcome form={form} fields={formFields} />
              <button type="submit" class="button button-primary" disabled={form.busy}>
                {t('manage.courses.create')}
              </button>
            </form>
          </section>
        </div>
      )}
    </ManagePage>
  );
}
