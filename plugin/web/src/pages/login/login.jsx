// Sign-in: login and password for staff, a one-time access code for learners. Where the service
// runs with demo data, qatysu-server marks the page (<meta name="qatysu-login-note" content="demo">)
// and it says where the demo accounts are.
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { useSession } from '../../session.jsx';
import { ErrorMessage, Field, Notice, Page, useFocusOnRefusal } from '../../ui/components.jsx';

function loginNote() {
  return document.querySelector('meta[name="qatysu-login-note"]')?.getAttribute('content') || '';
}

function failureText(t, error, fallbackKey) {
  if (error?.status === 401) return t(fallbackKey);
  if (error?.status === 429) {
    const seconds = error.problem?.retry_after_seconds;
    return seconds ? t('login.locked', { seconds }) : t('error.tooMany');
  }
  return null;
}

export default function LoginPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const { route, query } = useLocation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [codeError, setCodeError] = useState(null);
  const passwordForm = useRef(null);
  const codeForm = useRef(null);
  useFocusOnRefusal(passwordForm, error);
  useFocusOnRefusal(codeForm, codeError);

  const next = query.next && query.next.startsWith('/app') && !query.next.startsWith('/app/login') ? query.next : '/app';

  useEffect(() => {
    if (session.status !== 'signed_in') return;
    // An access code opens the account once and clears its password: the learner sets one first,
    // or they could not come back after signing out.
    const me = session.me;
    route(me?.role === 'learner' && me.has_password === false ? '/app/my/account' : next, true);
  }, [session.status]);

  async function submit(event, work, setFailure) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCodeError(null);
    try {
      await work();
    } catch (failure) {
      setFailure(failure);
    } finally {
      setBusy(false);
    }
  }

  const passwordFailure = error && failureText(t, error, 'login.failed');
  const codeFailure = codeError && failureText(t, codeError, 'login.codeFailed');

  return (
    <Page title={t('login.title')}>
      <p class="lead">{t('app.tagline')}</p>
      {session.expired && <Notice kind="warning">{t('error.unauthenticated')}</Notice>}
      <p>{t('login.intro')}</p>
      <form class="card form" ref={passwordForm} onSubmit={(e) => submit(e, () => session.signIn(login.trim(), password), setError)} aria-label={t('login.title')}>
        <Field label={t('login.login')} required>
          <input name="login" autocomplete="username" autocapitalize="none" spellcheck={false} value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
        </Field>
        <Field label={t('login.password')} required>
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        {passwordFailure ? (
          <p class="notice notice-error" role="alert">
            {passwordFailure}
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <form class="card form" ref={codeForm} onSubmit={(e) => submit(e, () => session.signInWithCode(code.trim()), setCodeError)} aria-label={t('login.code.title')}>
        <h2>{t('login.code.title')}</h2>
        <Field label={t('login.code')} required>
          <input name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck={false} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </Field>
        {codeFailure ? (
          <p class="notice notice-error" role="alert">
            {codeFailure}
          </p>
        ) : (
          <ErrorMessage error={codeError} />
        )}
        <button type="submit" class="button button-secondary" disabled={busy}>
          {t('login.code.submit')}
        </button>
      </form>
      {loginNote() === 'demo' && <Notice kind="info">{t('login.demo')}</Notice>}
      <p>
        <a href={`/check?lang=${lang}`}>{t('login.check')}</a>
      </p>
    </Page>
  );
}
