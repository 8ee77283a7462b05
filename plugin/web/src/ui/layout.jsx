// The frame around every signed-in page: skip link, header with the menu for the account's role,
// the language switch, the account and sign-out, and a banner while the device is offline.
import { useLocation } from 'preact-iso';
import { languages, useI18n } from '../i18n/index.js';
import { useSession } from '../session.jsx';
import { useOnline } from './components.jsx';

/** The menu of each role: [path, text key]. */
export const menus = {
  admin: [
    ['/app/dashboard', 'nav.dashboard'],
    ['/app/cohorts', 'nav.cohorts'],
    ['/app/manage', 'nav.manage'],
  ],
  trainer: [['/app/cohorts', 'nav.cohorts']],
  learner: [['/app/my', 'nav.my']],
};

/** Kk / Ru / En, as a group of toggle buttons (each named in its own language). */
export function LanguageSwitch() {
  const { t, lang, setLanguage } = useI18n();
  return (
    <div class="language-switch" role="group" aria-label={t('nav.language')}>
      {languages.map((l) => (
        <button
          type="button"
          lang={l.code}
          aria-pressed={l.code === lang ? 'true' : 'false'}
          onClick={() => setLanguage(l.code)}
        >
          {l.name}
        </button>
      ))}
    </div>
  );
}

export function Layout({ children }) {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const { path, route } = useLocation();
  const online = useOnline();
  const menu = (me && menus[me.role]) || [];
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href="/app">
          {t('app.name')}
        </a>
        {menu.length > 0 && (
          <nav aria-label={t('nav.main')}>
            <ul>
              {menu.map(([href, key]) => (
                <li>
                  <a href={href} aria-current={path === href || path.startsWith(`${href}/`) ? 'page' : undefined}>
                    {t(key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="topbar-end">
          <LanguageSwitch />
          {me && (
            <span class="account" title={me.login}>
              {t('nav.signedInAs', { name: me.display_name || me.login, role: t(`role.${me.role}`) })}
            </span>
          )}
          {me && (
            <button type="button" class="button button-quiet" onClick={() => signOut().then(() => route('/app/login'))}>
              {t('nav.signOut')}
            </button>
          )}
        </div>
      </header>
      {!online && (
        <div class="offline-banner" role="status">
          {t('net.offline')}
        </div>
      )}
      <main id="main">{children}</main>
    </div>
  );
}
