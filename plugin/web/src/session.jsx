// Who is signed in and in which language: one provider at the root of the app.
// The session itself is an HttpOnly cookie the page never sees; the page keeps only the account
// (from GET /api/v1/me) and the CSRF token that must accompany every change.
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { adoptLaunchSession, api, dropLaunchSession, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { I18nContext, languageCodes, makeI18n, preferredLanguage, safeStorageGet, safeStorageSet } from './i18n/index.js';
import { forgetSavedSheets } from './pages/attendance/store.js';
import { forgetKept } from './offline/keep.js';

// The last account signed in on this device (no secret: the session is the HttpOnly cookie), so
// that a page reloaded without a connection still knows whose marks it keeps.
const kAccountKey = 'qatysu.account';

function rememberAccount(account) {
  try {
    if (account) {
      const { id, login, display_name, role, participant_id, language } = account;
      localStorage.setItem(kAccountKey, JSON.stringify({ id, login, display_name, role, participant_id, language }));
    } else {
      localStorage.removeItem(kAccountKey);
    }
  } catch {
    // No storage: offline reloads start signed out.
  }
}

function rememberedAccount() {
  try {
    return JSON.parse(safeStorageGet(kAccountKey) || 'null');
  } catch {
    return null;
  }
}

const SessionContext = createContext(null);

/** GET /api/v1/me's answer as one flat object: the account's fields, then participant,
 * enrolments, language and csrf_token. */
function flatten(profile) {
  if (!profile) return null;
  return {
    ...profile.account,
    participant: profile.participant ?? null,
    enrolments: profile.enrolments ?? [],
    language: profile.language ?? profile.account?.language ?? null,
    csrf_token: profile.csrf_token ?? null,
  };
}

/**
 * The session: `status` ('loading' | 'anonymous' | 'signed_in' | 'offline'), `me` (GET /api/v1/me
 * flattened: id, login, display_name, role, participant_id, participant, enrolments, language),
 * signIn(login, password), signInWithCode(code), signOut(), setLanguage(code), refresh().
 */
export function useSession() {
  return useContext(SessionContext);
}

export function SessionProvider({ children }) {
  const [status, setStatus] = useState('loading');
  const [me, setMe] = useState(null);
  const [lang, setLang] = useState(preferredLanguage);
  const [expired, setExpired] = useState(false);
  // Whether someone was signed in: only then does a 401 mean the session ended.
  const signedIn = useRef(false);
  // A language chosen on this page before the account was read: it wins over the account's
  // remembered one (which an answer started before the choice still carries).
  const chosen = useRef(null);
  // Opened by an LTI launch: its session, and the platform's language (?lang=) for this page.
  const launch = useRef(null);
  if (launch.current === null) {
    launch.current = adoptLaunchSession();
    const asked = new URLSearchParams(window.location.search).get('lang');
    if (launch.current && languageCodes.includes(asked)) chosen.current = asked;
  }
  useEffect(() => {
    if (chosen.current) setLang(chosen.current);
  }, []);

  const adopt = useCallback((account) => {
    // What was kept for offline use belongs to the account signed in last on this device.
    const last = rememberedAccount();
    if (account && last && last.id !== account.id) {
      // A platform's iframe may deny this page its storage (the getter throws): nothing was kept.
      try {
        forgetKept(window.localStorage);
      } catch {
        // No storage, nothing kept.
      }
    }
    const keepChoice = Boolean(account && chosen.current && chosen.current !== account.language);
    if (keepChoice) account = { ...account, language: chosen.current };
    setMe(account);
    rememberAccount(account);
    signedIn.current = Boolean(account);
    setCsrfToken(account?.csrf_token);
    setStatus(account ? 'signed_in' : 'anonymous');
    if (keepChoice) {
      // Remembered on the account too, as setLanguage does once the account is known.
      api('/me/language', { method: 'PUT', body: { language: chosen.current }, keepalive: true }).catch(() => {});
    } else if (account && languageCodes.includes(account.language)) {
      setLang(account.language);
      safeStorageSet('qatysu.lang', account.language);
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(flatten(await api('/me', { live: true })));
    } catch (error) {
      if (error.status === 401) adopt(null);
      // No connection: keep the account we had (or the one last signed in here), so the pages
      // that work offline (the attendance sheet) still can; changes wait for the connection.
      else if (!me) {
        const remembered = error.offline ? rememberedAccount() : null;
        if (remembered) setMe({ ...remembered, participant: null, enrolments: [], csrf_token: null });
        setStatus(error.offline ? 'offline' : 'anonymous');
      }
    }
  }, [adopt, me]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (signedIn.current) setExpired(true);
      adopt(null);
    });
    refresh();
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // Started without a connection: ask again who is signed in once it returns.
  useEffect(() => {
    if (status !== 'offline') return undefined;
    const again = () => refresh();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [status, refresh]);

  const signIn = useCallback(
    async (login, password) => {
      const answer = await api('/auth/login', { method: 'POST', body: { login, password, session: 'cookie' } });
      setCsrfToken(answer.csrf_token);
      setExpired(false);
      adopt({ ...flatten(await api('/me')), csrf_token: answer.csrf_token });
    },
    [adopt],
  );

  const signInWithCode = useCallback(
    async (code) => {
      const answer = await api('/auth/code', { method: 'POST', body: { code, session: 'cookie' } });
      setCsrfToken(answer.csrf_token);
      setExpired(false);
      adopt({ ...flatten(await api('/me')), csrf_token: answer.csrf_token });
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } finally {
      // People's names kept for offline sheets and pages go with the session; marks and
      // registrations still to send stay.
      try {
        forgetSavedSheets(window.localStorage);
        await forgetKept(window.localStorage);
      } catch {
        // No storage, nothing kept.
      }
      dropLaunchSession();
      adopt(null);
    }
  }, [adopt]);

  const setLanguage = useCallback(
    (code) => {
      if (!languageCodes.includes(code)) return;
      chosen.current = code;
      setLang(code);
      safeStorageSet('qatysu.lang', code);
      if (me) {
        setMe({ ...me, language: code });
        // Remembered on the account too, so the next device opens in it; offline it stays local.
        api('/me/language', { method: 'PUT', body: { language: code }, keepalive: true }).catch(() => {});
      }
    },
    [me],
  );

  const i18n = useMemo(() => ({ ...makeI18n(lang), setLanguage }), [lang, setLanguage]);
  const session = useMemo(
    () => ({ status, me, expired, signIn, signInWithCode, signOut, setLanguage, refresh }),
    [status, me, expired, signIn, signInWithCode, signOut, setLanguage, refresh],
  );

  return (
    <SessionContext.Provider value={session}>
      <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>
    </SessionContext.Provider>
  );
}
