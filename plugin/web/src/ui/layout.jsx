// The frame around every signed-in page: skip link, header with the menu for the account's role,
// the language switch, the account and sign-out, how many changes wait on the device to be sent,
// and a banner while the device is offline.
import { useLocation } from 'preact-iso';
import { languages, useI18n } from '../i18n/index.js';
import { useSession } from '../session.jsx';
import { useOnline } from './components.jsx';
import { useOutbox } from '../offline/outbox.jsx';

/** The menu of each role: [path, text key]. */
export const menus = {
  admin: [
    ['/app/dashboard', 'nav.dashboard'],
    ['/app/cohorts', 'nav.cohorts'],
    ['/app/manage', 'nav.manage'],
    ['/app/people/duplicates', 'nav.duplicates'],
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

/** "3 changes wait to be sent", and what waits for the trainer's answer, as a link to where it
 * is answered; a live region read out politely when it changes (no role="status": the pages
 * keep that for their own messages). Nothing while nothing waits. */
function Waiting() {
  const i18n = useI18n();
  const outbox = useOutbox();
  const summary = outbox?.summary;
  const total = summary?.total ?? 0;
  const answers = summary?.answers ?? 0;
  return (
    <div class="outbox" aria-live="polite" aria-atomic="true" data-waiting={total} data-sending={outbox?.sending ? 'true' : 'false'}>
      {total > 0 && (
        <p>
          <span aria-hidden="true">⇅ </span>
          {outbox.sending ? i18n.tp('outbox.sending', total) : i18n.tp('outbox.waiting', total)}
          {answers > 0 && summary.ask && (
            <>
              {' · '}
              <a href={summary.ask}>{i18n.tp('outbox.answers', answers)}</a>
            </>
          )}
        </p>
      )}
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
      {me && <Waiting />}
      {!online && (
        <div class="offline-banner" role="status">
          {t('net.offline')}
        </div>
      )}
      <main id="main">{children}</main>
    </div>
  );
}
