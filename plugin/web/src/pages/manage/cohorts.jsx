// /app/manage/cohorts: every cohort (one delivery of a course), each leading to its own page where
// sessions are added, and a new one: course, locality and place, dates, language, its trainers.
// Each can be corrected (all but its course) and its history read.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Field, Loading, useAsync } from '../../ui/components.jsx';
import { Editor, ItemActions, ItemHistory, useItemPanels } from './edit.jsx';
import {
  DateRangeFields,
  FormOutcome,
  JumpToForm,
  LocalityOptions,
  ManagePage,
  StatusLine,
  clean,
  loadAccounts,
  loadLocalityTree,
  useForm,
} from './shared.jsx';

const empty = { course_id: '', locality_id: '', place: '', starts_on: '', ends_on: '', language: 'kk', trainer_ids: [] };
const formFields = ['course_id', 'locality_id', 'place', 'starts_on', 'ends_on', 'language', 'trainer_ids'];

/** A cohort's fields as the API takes them, but its course (fixed once made); the trainers only when `withTrainers`. */
function cohortBody(v, withTrainers = true) {
  const body = {
    locality_id: v.locality_id === '' ? null : Number(v.locality_id),
    place: clean(v.place),
    starts_on: v.starts_on,
    ends_on: v.ends_on,
    language: v.language,
  };
  if (withTrainers) body.trainer_ids = [...v.trainer_ids].sort((a, b) => a - b);
  return body;
}

/** The form's values for a cohort. */
function cohortValues(cohort) {
  return {
    locality_id: String(cohort.locality_id),
    place: cohort.place,
    starts_on: cohort.starts_on,
    ends_on: cohort.ends_on,
    language: cohort.language,
    trainer_ids: [...cohort.trainer_ids],
  };
}

/**
 * Every field of a cohort but its course, for a new one and for an edit: the locality from
 * `tree`, the trainers from `trainers` (useAsync of loadAccounts) when `withTrainers`.
 */
function CohortFields({ form, tree, trainers, withTrainers = true }) {
  const { t } = useI18n();
  const [errorId] = useState(() => `cohort-trainers-error-${++trainerFieldsets}`);
  const activeTrainers = (trainers.data || []).filter((a) => !a.disabled || form.values.trainer_ids.includes(a.id));
  const chosen = form.values.trainer_ids;
  const toggleTrainer = (id, on) => form.set('trainer_ids', on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <>
      <Field label={t('manage.cohorts.locality')} hint={t('manage.cohorts.localityHint')} error={form.err('locality_id')} required>
        <select {...form.bind('locality_id')} onChange={(e) => form.set('locality_id', e.currentTarget.value)}>
          <option value="">{t('manage.choose')}</option>
          <LocalityOptions tree={tree} />
        </select>
      </Field>
      <Field label={t('manage.cohorts.place')} hint={t('manage.cohorts.placeHint')} error={form.err('place')} required>
        <input {...form.bind('place')} />
      </Field>
      <DateRangeFields form={form} />
      <Field label={t('manage.cohorts.language')} error={form.err('language')} required>
        <select {...form.bind('language')} onChange={(e) => form.set('language', e.currentTarget.value)}>
          {['kk', 'ru', 'en'].map((code) => (
            <option value={code}>{t(`manage.lang.${code}`)}</option>
          ))}
        </select>
      </Field>
      {withTrainers && (
        <fieldset class={form.err('trainer_ids') ? 'field-error' : undefined} aria-describedby={form.err('trainer_ids') ? errorId : undefined}>
          <legend>{t('manage.cohorts.trainers')}</legend>
          {trainers.loading && !trainers.data && <Loading />}
          {trainers.error && <p class="notice notice-warning">{t('manage.cohorts.trainersUnavailable')}</p>}
          {trainers.data && activeTrainers.length === 0 && <p>{t('manage.cohorts.noActiveTrainers')}</p>}
          <div class="manage-checks">
            {activeTrainers.map((account) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="trainer_ids"
                  value={String(account.id)}
                  checked={chosen.includes(account.id)}
                  onChange={(e) => toggleTrainer(account.id, e.currentTarget.checked)}
                />
                <span>
                  {account.display_name} <span class="meta">({account.login})</span>
                </span>
              </label>
            ))}
          </div>
          {form.err('trainer_ids') && (
            <p class="error-text" id={errorId}>
              {form.err('trainer_ids')}
            </p>
          )}
        </fieldset>
      )}
    </>
  );
}
let trainerFieldsets = 0;

/**
 * The edit form of a cohort: all but its course; only an administrator changes its trainers
 * (the API refuses a trainer's attempt), so for anyone else they are neither shown nor sent.
 */
function CohortEditor({ cohort, title, tree, trainers, names, onSaved, onCurrent, onCancel }) {
  const { t } = useI18n();
  const { me } = useSession();
  const withTrainers = me?.role === 'admin';
  return (
    <Editor
      path={`/cohorts/${cohort.id}`}
      label={t('manage.edit.formLabel', { name: title })}
      values={cohortValues}
      body={(v) => cohortBody(v, withTrainers)}
      fields={formFields}
      names={names}
      onSaved={onSaved}
      onCurrent={onCurrent}
      onCancel={onCancel}
    >
      {(form) => (
        <>
          <p>{t('manage.cohorts.courseFixed', { course: title })}</p>
          <CohortFields form={form} tree={tree} trainers={trainers} withTrainers={withTrainers} />
        </>
      )}
    </Editor>
  );
}

export default function Cohorts() {
  const i18n = useI18n();
  const { t } = i18n;
  const data = useAsync(async () => {
    const [cohorts, courses, programmes, tree] = await Promise.all([
      api('/cohorts'),
      api('/courses'),
      api('/programmes'),
      loadLocalityTree(),
    ]);
    return { cohorts: cohorts.items, courses: courses.items, programmes: programmes.items, tree };
  }, []);
  // The trainers come from the accounts API; without it a cohort can still be made (no trainers).
  const trainers = useAsync(() => loadAccounts('trainer'), []);
  const form = useForm(empty);
  const panels = useItemPanels('cohort');
  const [shownCourse, setShownCourse] = useState('');

  const courseById = new Map((data.data?.courses || []).map((c) => [c.id, c]));
  const programmeById = new Map((data.data?.programmes || []).map((p) => [p.id, p]));
  const accountById = new Map((trainers.data || []).map((a) => [a.id, a]));
  const courseLabel = (course) => {
    if (!course) return '';
    const programme = programmeById.get(course.programme_id);
    return programme ? `${programme.code} · ${i18n.pick(course.title)}` : i18n.pick(course.title);
  };
  const shown = (data.data?.cohorts || []).filter((c) => !shownCourse || String(c.course_id) === shownCourse);
  const replace = (changed) => data.setData((d) => ({ ...d, cohorts: d.cohorts.map((c) => (c.id === changed.id ? changed : c)) }));
  const names = {
    locality: (id) => {
      const locality = data.data?.tree.byId.get(id);
      return locality && i18n.pick(locality.name);
    },
    account: (id) => accountById.get(id)?.display_name,
  };

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/cohorts', {
        method: 'POST',
        body: { course_id: v.course_id === '' ? null : Number(v.course_id), ...cohortBody(v) },
      });
      data.setData((d) => ({ ...d, cohorts: [...d.cohorts, created] }));
      const course = courseById.get(created.course_id);
      const programme = course && programmeById.get(course.programme_id);
      return (i18n) => (
        <>
          {i18n.t('manage.cohorts.created')}{' '}
          <a href={`/app/cohorts/${created.id}`}>
            {i18n.t('manage.cohorts.open', { title: [programme?.code, course && i18n.pick(course.title)].filter(Boolean).join(' · ') })}
          </a>
        </>
      );
    }, empty);
  }

  return (
    <ManagePage title={t('manage.cohorts.title')}>
      {data.loading && !data.data && <Loading />}
      <ErrorMessage error={data.error} onRetry={data.reload} />
      {data.data && (
        <div class="manage-columns">
          <section aria-labelledby="cohorts-list">
            <h2 id="cohorts-list">{t('manage.cohorts.list')}</h2>
            <JumpToForm headingId="cohorts-new">{t('manage.cohorts.new')}</JumpToForm>
            <div class="form">
              <Field label={t('manage.cohorts.filter')}>
                <select name="course-filter" value={shownCourse} onChange={(e) => setShownCourse(e.currentTarget.value)}>
                  <option value="">{t('manage.cohorts.allCourses')}</option>
                  {data.data.courses.map((course) => (
                    <option value={String(course.id)}>{courseLabel(course)}</option>
                  ))}
                </select>
              </Field>
            </div>
            <StatusLine text={panels.announcement} />
            {shown.length === 0 && <p>{t('common.none')}</p>}
            <ul class="manage-items">
              {shown.map((cohort) => {
                const locality = data.data.tree.byId.get(cohort.locality_id);
                const trainerNames = cohort.trainer_ids.map((id) => accountById.get(id)?.display_name).filter(Boolean);
                const title = courseLabel(courseById.get(cohort.course_id)) || `#${cohort.id}`;
                return (
                  <li data-cohort={cohort.id}>
                    <a class="manage-item-title" href={`/app/cohorts/${cohort.id}`}>
                      {title}
                    </a>
                    <p class="meta">
                      {cohort.place}
                      {locality ? `, ${i18n.pick(locality.name)}` : ''} · {i18n.date(cohort.starts_on)} – {i18n.date(cohort.ends_on)} ·{' '}
                      {t('manage.cohorts.languageValue', { language: t(`manage.lang.${cohort.language}`) })}
                    </p>
                    <p class="meta">
                      {t('manage.cohorts.trainers')}:{' '}
                      {trainerNames.length > 0 ? trainerNames.join(', ') : cohort.trainer_ids.length === 0 ? t('manage.cohorts.noTrainers') : '…'}
                    </p>
                    <ItemActions panels={panels} id={cohort.id} name={`${title}, ${cohort.place}`} />
                    {panels.kindOf(cohort.id) === 'edit' && (
                      <CohortEditor
                        cohort={cohort}
                        title={title}
                        tree={data.data.tree}
                        trainers={trainers}
                        names={names}
                        onSaved={(saved) => {
                          replace(saved);
                          panels.saved(cohort.id, (i18n) => i18n.t('manage.edit.saved', { name: `${title}, ${saved.place}` }));
                        }}
                        onCurrent={replace}
                        onCancel={panels.close}
                      />
                    )}
                    {panels.kindOf(cohort.id) === 'history' && <ItemHistory path={`/cohorts/${cohort.id}`} />}
                  </li>
                );
              })}
            </ul>
          </section>
          <section aria-labelledby="cohorts-new">
            <h2 id="cohorts-new" tabIndex={-1}>{t('manage.cohorts.new')}</h2>
            <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
              <Field label={t('manage.cohorts.course')} error={form.err('course_id')} required>
                <select {...form.bind('course_id')} onChange={(e) => form.set('course_id', e.currentTarget.value)}>
                  <option value="">{t('manage.choose')}</option>
                  {data.data.courses.map((course) => (
                    <option value={String(course.id)}>{courseLabel(course)}</option>
                  ))}
                </select>
              </Field>
              <CohortFields form={form} tree={data.data.tree} trainers={trainers} />
              <FormOutcome form={form} fields={formFields} />
              <button type="submit" class="button button-primary" disabled={form.busy}>
                {t('manage.cohorts.create')}
              </button>
            </form>
          </section>
        </div>
      )}
    </ManagePage>
  );
}
