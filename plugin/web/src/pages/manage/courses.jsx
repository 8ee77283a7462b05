// /app/manage/courses: the courses of a programme, and a new one: its track, titles, hours, the
// rule a participant must meet to complete it, and whether (and in which language) it gives a
// certificate. Each can be corrected and its history read; a new completion rule first shows, per
// cohort, whom it makes or stops qualifying (PATCH ?dry_run=true), and is saved once confirmed.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useTracks } from '../../tracks.js';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { Editor, ItemActions, ItemHistory, useItemPanels } from './edit.jsx';
import { FormOutcome, LocalizedFields, ManagePage, StatusLine, clean, numberOrNull, trackName, useForm } from './shared.jsx';

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

/** A course's fields as the API takes them, but its programme (fixed once made). */
function courseBody(v) {
  return {
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
  };
}

/** The form's values for a course; a track the service does not list is typed as another one. */
function courseValues(course, known) {
  const listed = known.some((k) => k.track === course.track);
  return {
    track: listed ? course.track : 'other',
    track_other: listed ? '' : course.track,
    'title.kk': course.title.kk,
    'title.ru': course.title.ru,
    'title.en': course.title.en,
    hours: String(course.hours),
    min_attendance_percent: String(course.rule.min_attendance_percent),
    excused_counts: course.rule.excused_counts,
    require_all: course.rule.require_all,
    gives_certificate: course.gives_certificate,
    certificate_language: course.certificate_language,
  };
}

/** Every field of a course but its programme, for a new one and for an edit. */
function CourseFields({ form }) {
  const i18n = useI18n();
  const { t } = i18n;
  const known = useTracks();
  return (
    <>
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
    </>
  );
}

/**
 * The edit form of a course. A change of its completion rule is first tried without saving
 * (dry_run): the form shows whom it makes or stops qualifying per cohort, and saves on a second,
 * confirming press.
 */
function CourseEditor({ course, onSaved, onCurrent, onCancel }) {
  const i18n = useI18n();
  const known = useTracks();
  const path = `/courses/${course.id}`;
  const review = (patch, etag) => (patch.rule ? api(`${path}?dry_run=true`, { method: 'PATCH', body: patch, ifMatch: etag }) : null);
  return (
    <Editor
      path={path}
      label={i18n.t('manage.edit.formLabel', { name: i18n.pick(course.title) })}
      values={(c) => courseValues(c, known)}
      body={courseBody}
      fields={formFields}
      review={review}
      renderReview={(answer) => <RulePreview changes={answer.rule_changes} />}
      onSaved={onSaved}
      onCurrent={onCurrent}
      onCancel={onCancel}
    >
      {(form) => <CourseFields form={form} />}
    </Editor>
  );
}

/**
 * What a new completion rule would change, per cohort of the course: how many people would meet
 * it who do not now, how many would stop meeting it, and how many of those hold a certificate
 * (which stays valid: an issued certificate never changes).
 */
function RulePreview({ changes }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cohorts = useAsync(() => api('/cohorts'), []);
  const byId = new Map((cohorts.data?.items || []).map((c) => [c.id, c]));
  const sum = (key) => changes.reduce((total, change) => total + change[key], 0);
  const changed = changes.filter((c) => c.becomes_eligible > 0 || c.stops_being_eligible > 0);
  const label = (id) => {
    const cohort = byId.get(id);
    return cohort ? `${cohort.place}, ${i18n.date(cohort.starts_on)} – ${i18n.date(cohort.ends_on)}` : t('manage.rule.cohort', { id });
  };
  if (changes.length === 0) return <p>{t('manage.rule.noCohorts')}</p>;
  return (
    <>
      <p data-rule-total data-becomes={sum('becomes_eligible')} data-stops={sum('stops_being_eligible')} data-holding={sum('holding_certificates')}>
        {t('manage.rule.total', {
          becomes: i18n.number(sum('becomes_eligible')),
          stops: i18n.number(sum('stops_being_eligible')),
          holding: i18n.number(sum('holding_certificates')),
        })}
      </p>
      {changed.length === 0 && <p>{t('manage.rule.nobody')}</p>}
      <ul class="manage-items">
        {changed.map((change) => (
          <li
            data-cohort={change.cohort_id}
            data-becomes={change.becomes_eligible}
            data-stops={change.stops_being_eligible}
            data-holding={change.holding_certificates}
          >
            <p class="manage-item-title">{label(change.cohort_id)}</p>
            <p class="meta">
              {t('manage.rule.becomes', { count: i18n.number(change.becomes_eligible) })} ·{' '}
              {t('manage.rule.stops', { count: i18n.number(change.stops_being_eligible) })} ·{' '}
              {t('manage.rule.holding', { count: i18n.number(change.holding_certificates) })}
            </p>
          </li>
        ))}
      </ul>
      {changed.length < changes.length && <p class="meta">{t('manage.rule.unchanged', { count: i18n.number(changes.length - changed.length) })}</p>}
    </>
  );
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
  const panels = useItemPanels('course');
  const programme = (programmes.data?.items || []).find((p) => String(p.id) === String(programmeId));
  const replace = (changed) => courses.setData((data) => ({ items: data.items.map((c) => (c.id === changed.id ? changed : c)) }));

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/courses', {
        method: 'POST',
        body: { programme_id: Number(programmeId), ...courseBody(v) },
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
            <StatusLine text={panels.announcement} />
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
                    <ItemActions panels={panels} id={course.id} name={i18n.pick(course.title)} />
                    {panels.kindOf(course.id) === 'edit' && (
                      <CourseEditor
                        course={course}
                        onSaved={(saved) => {
                          replace(saved);
                          panels.saved(course.id, (i18n) => i18n.t('manage.edit.saved', { name: i18n.pick(saved.title) }));
                        }}
                        onCurrent={replace}
                        onCancel={panels.close}
                      />
                    )}
                    {panels.kindOf(course.id) === 'history' && <ItemHistory path={`/courses/${course.id}`} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="courses-new">
            <h2 id="courses-new">{t('manage.courses.new')}</h2>
            <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
              <p>{t('manage.courses.inProgramme', { programme: `${programme.code} · ${i18n.pick(programme.title)}` })}</p>
              <CourseFields form={form} />
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
