// /app/my/account: the learner's own account. An access code opens it once and clears any
// password, so right after signing in with one the learner lands here to choose a login (one made
// from their name is suggested: GET /me/login-suggestion) and a password; later they change them
// here, with the current password. Their own details as the trainer registered them come with it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Field, Notice, Page } from '../../ui/components.jsx';
import messages from './messages.js';
import './learner.css';

addMessages(messages);

/** The server's field problems as the learner's words: field → text. */
function problems(t, error) {
  const out = {};
  for (const problem of error?.problem?.errors || []) {
    const key = `learner.account.err.${problem.field}.${error.status === 409 ? 'taken' : 'bad'}`;
    const text = t(key);
    out[problem.field] = text === key ? problem.message : text;
  }
  return out;
}

function PasswordForm({ me, onSaved }) {
  const { t } = useI18n();
  const first = !me.has_password;
  const [login, setLogin] = useState(me.login);
  const touched = useRef(false);
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [mismatch, setMismatch] = useState(false);

  // A login made from the name is easier to remember than "learner-17"; the learner may change it.
  useEffect(() => {
    if (!/^learner-\d+$/.test(me.login)) return;
    api('/me/login-suggestion')
      .then((answer) => {
        // Never over what the learner has begun to type.
        if (!touched.current) setLogin(answer.login);
      })
      .catch(() => {});
  }, [me.login]);

  async function submit(event) {
    event.preventDefault();
    setError(null);
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    setBusy(true);
    try {
      const chosen = login.trim().toLowerCase();
      if (chosen !== me.login) await api('/me/login', { method: 'PUT', body: { login: chosen } });
      await api('/me/password', { method: 'PUT', body: first ? { password } : { password, current_password: current } });
      setCurrent('');
      setPassword('');
      setRepeat('');
      onSaved(chosen);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const fields = problems(t, error);
  const known = Object.keys(fields).length > 0;
  return (
    <form class="card form learner-password" onSubmit={submit} aria-labelledby="learner-password-title">
      <h2 id="learner-password-title">{t(first ? 'learner.account.setTitle' : 'learner.account.changeTitle')}</h2>
      {first && <p>{t('learner.account.setIntro')}</p>}
      <Field label={t('learner.account.login')} hint={t('learner.account.loginHint')} error={fields.login} required>
        <input name="login" autocomplete="username" autocapitalize="none" spellcheck={false} value={login} onInput={(e) => {
            touched.current = true;
            setLogin(e.currentTarget.value);
          }} />
      </Field>
      {!first && (
        <Field label={t('learner.account.current')} error={fields.current_password} required>
          <input name="current_password" type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </Field>
      )}
      <Field label={t('learner.account.password')} hint={t('learner.account.passwordHint')} error={fields.password} required>
        <input name="password" type="password" autocomplete="new-password" minLength={10} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </Field>
      <Field label={t('learner.account.repeat')} error={mismatch ? t('learner.account.mismatch') : null} required>
        <input name="repeat" type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
      </Field>
      {!known && <ErrorMessage error={error} />}
      <button type="submit" class="button button-primary" disabled={busy}>
        {t(first ? 'learner.account.set' : 'learner.account.change')}
      </button>
    </form>
  );
}

function Details({ me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const person = me.participant;
  if (!person) return null;
  const rows = [
    ['learner.account.name', person.full_name],
    ['learner.account.birthYear', person.birth_year],
    ['learner.account.phone', person.phone],
    ['learner.account.email', person.email],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return (
    <section aria-labelledby="learner-details">
      <h2 id="learner-details">{t('learner.account.details')}</h2>
      <dl class="learner-facts">
        {rows.map(([key, value]) => (
          <>
            <dt>{t(key)}</dt>
            <dd>{String(value)}</dd>
          </>
        ))}
      </dl>
      <p class="hint">{t('learner.account.detailsHint')}</p>
    </section>
  );
}

export default function AccountPage() {
  const { t } = useI18n();
  const session = useSession();
  const [saved, setSaved] = useState(null);
  const me = session.me;
  if (!me) return null;

  async function onSaved(login) {
    setSaved(login);
    await session.refresh();
  }

  return (
    <Page title={t('learner.account.title')}>
      <p>
        <a href="/app/my">{t('learner.qr.back')}</a>
      </p>
      {!me.has_password && !saved && <Notice kind="warning">{t('learner.account.noPassword')}</Notice>}
      <div aria-live="polite">
        {saved && (
          <div class="notice notice-success learner-saved" role="status">
            <p>{t('learner.account.saved', { login: saved })}</p>
          </div>
        )}
      </div>
      <PasswordForm key={me.has_password ? 'change' : 'set'} me={me} onSaved={onSaved} />
      <Details me={me} />
    </Page>
  );
}
