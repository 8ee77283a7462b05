// /app/manage/accounts: the service's accounts with their role and state; a new trainer or
// administrator (login, the name exactly as it is to be printed, a first password); disabling,
// enabling and setting a new password; a staff member's name as certificates print it. Learner
// accounts come with access codes, not from here: a new code (a password reset) is given here too.
import { useRef, useState } from 'preact/hooks';
import { api, query } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Field, Loading, useAsync, useFocusOnRefusal } from '../../ui/components.jsx';
import { FormOutcome, JumpToForm, ManagePage, StatusLine, clean, fieldError, useForm } from './shared.jsx';

const empty = { login: '', display_name: '', role: 'trainer', password: '' };
const roles = ['', 'trainer', 'admin', 'learner'];

export default function Accounts() {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const [role, setRole] = useState('');
  const [more, setMore] = useState({ items: [], after: null });
  const first = useAsync(async () => {
    const page = await api(`/accounts${query({ role, limit: 100 })}`);
    setMore({ items: [], after: page.next_after ?? null });
    return page.items;
  }, [role]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState(null);
  const [announcement, setAnnouncement] = useState('');
  const [rowErrors, setRowErrors] = useState({});
  const [resetting, setResetting] = useState(null);
  const [renaming, setRenaming] = useState(null);
  const [codes, setCodes] = useState({});
  const form = useForm(empty);

  const accounts = [...(first.data || []), ...more.items];
  const replace = (account) => {
    first.setData((items) => (items || []).map((a) => (a.id === account.id ? account : a)));
    setMore((m) => ({ ...m, items: m.items.map((a) => (a.id === account.id ? account : a)) }));
  };

  async function loadMore() {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api(`/accounts${query({ role, limit: 100, after: more.after })}`);
      setMore((m) => ({ items: [...m.items, ...page.items], after: page.next_after ?? null }));
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }

  async function setDisabled(account, disabled) {
    setAnnouncement('');
    setRowErrors((e) => ({ ...e, [account.id]: null }));
    try {
      const updated = await api(`/accounts/${account.id}`, { method: 'PATCH', body: { disabled } });
      replace(updated);
      const key = disabled ? 'manage.accounts.disabledDone' : 'manage.accounts.enabledDone';
      setAnnouncement(() => (i18n) => i18n.t(key, { name: updated.display_name || updated.login }));
    } catch (error) {
      setRowErrors((e) => ({ ...e, [account.id]: error }));
    }
  }

  async function giveCode(account) {
    setRowErrors((e) => ({ ...e, [account.id]: null }));
    try {
      const code = await api(`/participants/${account.participant_id}/access-code`, { method: 'POST', body: {} });
      setCodes((c) => ({ ...c, [account.id]: code }));
      replace({ ...account, has_password: false });
    } catch (error) {
      setRowErrors((e) => ({ ...e, [account.id]: error }));
    }
  }

  function submit(event) {
    event.preventDefault();
    form.run(async (v) => {
      const created = await api('/accounts', {
        method: 'POST',
        body: { login: clean(v.login), display_name: clean(v.display_name), role: v.role, password: v.password },
      });
      if (!role || role === created.role) first.setData((items) => [...(items || []), created]);
      return (i18n) => i18n.t('manage.accounts.created', { name: created.display_name, login: created.login, role: i18n.t(`role.${created.role}`) });
    }, empty);
  }

  return (
    <ManagePage title={t('manage.accounts.title')}>
      <div class="manage-columns">
        <section aria-labelledby="accounts-list">
          <h2 id="accounts-list">{t('manage.accounts.list')}</h2>
          <JumpToForm headingId="accounts-new">{t('manage.accounts.new')}</JumpToForm>
          <div class="form">
            <Field label={t('manage.accounts.filter')}>
              <select name="role-filter" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                {roles.map((r) => (
                  <option value={r}>{r ? t(`manage.accounts.roles.${r}`) : t('manage.accounts.allRoles')}</option>
                ))}
              </select>
            </Field>
          </div>
          <StatusLine text={announcement} />
          {first.loading && !first.data && <Loading />}
          <ErrorMessage error={first.error} onRetry={first.reload} />
          {first.data && accounts.length === 0 && <p>{t('common.none')}</p>}
          {accounts.length > 0 && (
            <ul class="manage-items">
              {accounts.map((account) => (
                <li data-account={account.id} data-login={account.login}>
                  <div class="manage-item-head">
                    <div>
                      <p class="manage-item-title">{account.display_name || account.login}</p>
                      <p class="meta">
                        {account.login} · {t(`role.${account.role}`)} ·{' '}
                        {account.disabled ? (
                          <span class="badge badge-bad">✕ {t('manage.accounts.disabled')}</span>
                        ) : (
                          <span class="badge badge-ok">✓ {t('manage.accounts.active')}</span>
                        )}
                        {me && me.id === account.id && <> · {t('manage.accounts.you')}</>}
                      </p>
                    </div>
                    <div class="manage-actions">
                      {me?.id !== account.id &&
                        (account.disabled ? (
                          <button type="button" class="button button-secondary" onClick={() => setDisabled(account, false)}>
                            {t('manage.accounts.enable')}
                            <span class="visually-hidden"> {account.login}</span>
                          </button>
                        ) : (
                          <button type="button" class="button button-danger" onClick={() => setDisabled(account, true)}>
                            {t('manage.accounts.disable')}
                            <span class="visually-hidden"> {account.login}</span>
                          </button>
                        ))}
                      {account.role !== 'learner' && (
                        <button
                          type="button"
                          class="button button-secondary rename-button"
                          aria-expanded={renaming === account.id ? 'true' : 'false'}
                          onClick={() => setRenaming(renaming === account.id ? null : account.id)}
                        >
                          {t('manage.accounts.rename')}
                          <span class="visually-hidden"> {account.login}</span>
                        </button>
                      )}
                      {account.role === 'learner' && account.participant_id && (
                        <button type="button" class="button button-secondary code-button" onClick={() => giveCode(account)}>
                          {t(account.has_password ? 'manage.accounts.resetCode' : 'manage.accounts.newCode')}
                          <span class="visually-hidden"> {account.login}</span>
                        </button>
                      )}
                      {account.role !== 'learner' && (
                        <button
                          type="button"
                          class="button button-secondary"
                          aria-expanded={resetting === account.id ? 'true' : 'false'}
                          onClick={() => setResetting(resetting === account.id ? null : account.id)}
                        >
                          {t('manage.accounts.resetPassword')}
                          <span class="visually-hidden"> {account.login}</span>
                        </button>
                      )}
                    </div>
                  </div>
                  <ErrorMessage error={rowErrors[account.id]} />
                  {codes[account.id] && (
                    <div class="card access-code-card" role="status">
                      <p class="access-code" lang="en" translate="no">
                        {codes[account.id].code}
                      </p>
                      <p>{t('manage.accounts.codeFor', { login: codes[account.id].login, date: i18n.dateTime(codes[account.id].expires_at) })}</p>
                    </div>
                  )}
                  {renaming === account.id && (
                    <AccountPatch
                      account={account}
                      field="display_name"
                      initial={account.display_name || ''}
                      formClass="card form name-edit"
                      label={t('manage.accounts.displayName')}
                      hint={t('manage.accounts.displayNameHint')}
                      ariaLabel={t('manage.accounts.renameFor', { login: account.login })}
                      submitLabel={t('common.save')}
                      input={{ name: 'display_name', autocomplete: 'off', spellcheck: false }}
                      onDone={(updated) => {
                        replace(updated);
                        setRenaming(null);
                        setAnnouncement(() => (i18n) => i18n.t('manage.accounts.renamed', { name: updated.display_name, login: updated.login }));
                      }}
                      onCancel={() => setRenaming(null)}
                    />
                  )}
                  {resetting === account.id && (
                    <AccountPatch
                      account={account}
                      field="password"
                      label={t('manage.accounts.newPassword', { login: account.login })}
                      hint={t('manage.accounts.passwordHint')}
                      ariaLabel={t('manage.accounts.resetFor', { login: account.login })}
                      submitLabel={t('manage.accounts.savePassword')}
                      input={{ type: 'password', name: 'new-password', autocomplete: 'new-password' }}
                      onDone={(updated) => {
                        replace(updated);
                        setResetting(null);
                        setAnnouncement(() => (i18n) => i18n.t('manage.accounts.passwordDone', { name: updated.display_name || updated.login }));
                      }}
                      onCancel={() => setResetting(null)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
          <ErrorMessage error={moreError} onRetry={loadMore} />
          {more.after !== null && first.data && (
            <button type="button" class="button button-secondary" onClick={loadMore} disabled={loadingMore}>
              {t('manage.accounts.more')}
            </button>
          )}
        </section>
        <section aria-labelledby="accounts-new">
          <h2 id="accounts-new" tabIndex={-1}>{t('manage.accounts.new')}</h2>
          <form class="card form" ref={form.ref} onSubmit={submit} noValidate>
            <fieldset>
              <legend>{t('manage.accounts.role')}</legend>
              {['trainer', 'admin'].map((r) => (
                <label class="check">
                  <input type="radio" name="role" value={r} checked={form.values.role === r} onChange={() => form.set('role', r)} />
                  {t(`manage.accounts.roles.${r}`)}
                </label>
              ))}
              {form.err('role') && <p class="error-text">{form.err('role')}</p>}
            </fieldset>
            <Field label={t('manage.accounts.displayName')} hint={t('manage.accounts.displayNameHint')} error={form.err('display_name')} required>
              <input {...form.bind('display_name')} autocomplete="off" spellcheck={false} />
            </Field>
            <Field label={t('manage.accounts.login')} hint={t('manage.accounts.loginHint')} error={form.err('login')} required>
              <input {...form.bind('login')} autocomplete="off" autocapitalize="none" spellcheck={false} />
            </Field>
            <Field label={t('manage.accounts.password')} hint={t('manage.accounts.passwordHint')} error={form.err('password')} required>
              <input type="password" autocomplete="new-password" {...form.bind('password')} />
            </Field>
            <FormOutcome form={form} fields={['login', 'display_name', 'role', 'password']} />
            <button type="submit" class="button button-primary" disabled={form.busy}>
              {t('manage.accounts.create')}
            </button>
          </form>
        </section>
      </div>
    </ManagePage>
  );
}

/**
 * One field of an account changed on its own (PATCH /accounts/{id} {[field]: value}): a new
 * password, or a staff member's name as certificates print it. `input` are the input's own props.
 */
function AccountPatch({ account, field, initial = '', label, hint, ariaLabel, submitLabel, formClass = 'card form', input, onDone, onCancel }) {
  const { t } = useI18n();
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const sent = field === 'password' ? value : clean(value);
      onDone(await api(`/accounts/${account.id}`, { method: 'PATCH', body: { [field]: sent } }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  const problem = fieldError(t, error, field);
  const formRef = useRef(null);
  useFocusOnRefusal(formRef, error);
  return (
    <form class={formClass} ref={formRef} onSubmit={submit} noValidate aria-label={ariaLabel}>
      <Field label={label} hint={hint} error={problem} required>
        <input {...input} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      {error && !problem && <ErrorMessage error={error} />}
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
