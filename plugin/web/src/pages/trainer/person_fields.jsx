// A person's fields as the registration form has them (name, gender, birth year, home locality,
// phone, e-mail, affiliation, vulnerable groups, consent): the one home of their controls, their
// values as a form holds them, what is sent and what is checked before sending. The trainer's
// registration and the administrator's correction of a person (pages/people/edit.jsx) both use it.
import { addMessages, useI18n } from '../../i18n/index.js';
import messages from './messages.js';
import { Field } from '../../ui/components.jsx';
import { affiliations, clean, genders, vulnerableGroups } from './data.js';
import { LocalityPicker } from './parts.jsx';
import './trainer.css';

addMessages(messages);

/** The fields a person has, in the form's order (consent last). */
export const personFieldNames = ['full_name', 'gender', 'birth_year', 'locality_id', 'phone', 'email', 'affiliation', 'vulnerable', 'consent'];

/** A blank form. */
export const emptyPerson = {
  full_name: '',
  gender: '',
  birth_year: '',
  locality_id: '',
  phone: '',
  email: '',
  affiliation: '',
  vulnerable: [],
  consent: false,
};

/** A person as the API answers them (GET /participants/{id}), as the form holds them. */
export function personForm(person) {
  return {
    full_name: person.full_name ?? '',
    gender: person.gender ?? '',
    birth_year: person.birth_year ? String(person.birth_year) : '',
    locality_id: person.locality_id ? String(person.locality_id) : '',
    phone: person.phone ?? '',
    email: person.email ?? '',
    affiliation: person.affiliation ?? '',
    vulnerable: vulnerableGroups.filter((g) => (person.vulnerable || []).includes(g)),
    consent: Boolean(person.consent),
  };
}

/** The form's values as the API takes them (POST /participants, or a PATCH's members). */
export function personBody(form) {
  const year = Number.parseInt(form.birth_year, 10);
  return {
    full_name: clean(form.full_name),
    gender: form.gender,
    birth_year: Number.isFinite(year) ? year : 0,
    locality_id: Number(form.locality_id) || 0,
    affiliation: form.affiliation,
    vulnerable: vulnerableGroups.filter((g) => form.vulnerable.includes(g)),
    phone: clean(form.phone) || null,
    email: clean(form.email) || null,
    consent: form.consent,
  };
}

/** The required fields left empty, as field → text: checked before sending, so that a slow line
 * is not used to learn about a blank field, and all of them are named at once. `consent` false
 * leaves the consent out (a correction does not ask for it again). */
export function missingPersonFields(t, form, { consent = true } = {}) {
  const missing = {};
  if (!clean(form.full_name)) missing.full_name = t('trainer.err.full_name');
  if (!form.gender) missing.gender = t('trainer.err.gender');
  if (!/^\d{4}$/.test(String(form.birth_year).trim())) missing.birth_year = t('trainer.err.birth_year');
  if (!form.locality_id) missing.locality_id = t('trainer.err.locality_id');
  if (!form.affiliation) missing.affiliation = t('trainer.err.affiliation');
  if (consent && !form.consent) missing.consent = t('trainer.err.consent');
  return missing;
}

/**
 * The person's controls. `form` the values, `setForm(update)` a state setter taking a function,
 * `fields` field → message to show next to it, `localities` the tree (loadLocalities),
 * `nameRef` a ref for the name input, `consent` whether the consent checkbox is shown.
 */
export function PersonFields({ form, setForm, fields = {}, disabled = false, localities, nameRef, consent = true }) {
  const { t } = useI18n();
  const set = (name) => (event) => {
    const target = event.currentTarget;
    setForm((f) => ({ ...f, [name]: target.type === 'checkbox' ? target.checked : target.value }));
  };
  const toggleGroup = (group) => (event) => {
    const on = event.currentTarget.checked;
    setForm((f) => ({ ...f, vulnerable: on ? [...f.vulnerable, group] : f.vulnerable.filter((g) => g !== group) }));
  };
  return (
    <>
      <Field label={t('trainer.field.fullName')} hint={t('trainer.field.fullNameHint')} error={fields.full_name} required>
        <input name="full_name" ref={nameRef} autocomplete="off" autocapitalize="words" spellcheck={false} maxLength={200} value={form.full_name} onInput={set('full_name')} disabled={disabled} />
      </Field>
      <Field label={t('trainer.field.gender')} error={fields.gender} required>
        <select name="gender" value={form.gender} onChange={set('gender')} disabled={disabled}>
          <option value="">{t('trainer.field.localityChoose')}</option>
          {genders.map((g) => (
            <option value={g}>{t(`trainer.gender.${g}`)}</option>
          ))}
        </select>
      </Field>
      <Field label={t('trainer.field.birthYear')} error={fields.birth_year} required>
        <input name="birth_year" type="text" inputMode="numeric" pattern="[0-9]{4}" maxLength={4} autocomplete="off" value={form.birth_year} onInput={set('birth_year')} disabled={disabled} />
      </Field>
      <LocalityPicker localities={localities} value={form.locality_id} onChange={(v) => setForm((f) => ({ ...f, locality_id: v }))} error={fields.locality_id} disabled={disabled} />
      <Field label={t('trainer.field.phone')} error={fields.phone}>
        <input name="phone" type="tel" autocomplete="off" value={form.phone} onInput={set('phone')} disabled={disabled} />
      </Field>
      <Field label={t('trainer.field.email')} error={fields.email}>
        <input name="email" type="email" autocomplete="off" value={form.email} onInput={set('email')} disabled={disabled} />
      </Field>
      <Field label={t('trainer.field.affiliation')} error={fields.affiliation} required>
        <select name="affiliation" value={form.affiliation} onChange={set('affiliation')} disabled={disabled}>
          <option value="">{t('trainer.field.localityChoose')}</option>
          {affiliations.map((a) => (
            <option value={a}>{t(`trainer.affiliation.${a}`)}</option>
          ))}
        </select>
      </Field>
      <fieldset class={fields.vulnerable ? 'field-error' : undefined}>
        <legend>{t('trainer.field.vulnerable')}</legend>
        {vulnerableGroups.map((g) => (
          <label class="check">
            <input type="checkbox" name="vulnerable" value={g} checked={form.vulnerable.includes(g)} onChange={toggleGroup(g)} disabled={disabled} />
            {t(`trainer.vulnerable.${g}`)}
          </label>
        ))}
        {fields.vulnerable && <p class="error-text">{fields.vulnerable}</p>}
      </fieldset>
      {consent && (
        <div class={fields.consent ? 'field field-error consent' : 'field consent'}>
          <label class="check">
            <input type="checkbox" name="consent" checked={form.consent} onChange={set('consent')} disabled={disabled} aria-invalid={fields.consent ? 'true' : undefined} aria-describedby={fields.consent ? 'consent-error' : undefined} />
            <span>
              {t('trainer.field.consent')} <span class="required">({t('common.required')})</span>
            </span>
          </label>
          {fields.consent && (
            <p class="error-text" id="consent-error">
              {fields.consent}
            </p>
          )}
        </div>
      )}
    </>
  );
}
