// /app/my/certificates/:id: a certificate's QR code filling the screen, black on white, with its
// serial in large type, for someone to scan with a phone. The page covers the app's frame (no
// dimmed overlay: a scanner needs contrast), asks the browser to keep the screen on (Screen Wake
// Lock) and offers real full screen on a button press (the Fullscreen API needs a user gesture).
// Both are optional: where a browser lacks them the page works the same without them.
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { addMessages, useI18n } from '../../i18n/index.js';
import { api } from '../../api.js';
import { ErrorMessage, Loading, Page, useAsync } from '../../ui/components.jsx';
import messages from './messages.js';
import './learner.css';

addMessages(messages);

/** Keeps the screen on while the component is shown, when the browser allows it. */
function useScreenWakeLock() {
  useEffect(() => {
    const wakeLock = typeof navigator !== 'undefined' ? navigator.wakeLock : undefined;
    if (!wakeLock || typeof wakeLock.request !== 'function') return undefined;
    let active = true;
    let sentinel = null;
    const request = async () => {
      if (document.visibilityState !== 'visible' || sentinel) return;
      try {
        const lock = await wakeLock.request('screen');
        if (active) {
          sentinel = lock;
          lock.addEventListener?.('release', () => {
            if (sentinel === lock) sentinel = null;
          });
        } else {
          lock.release().catch(() => {});
        }
      } catch {
        // Refused (battery saver, no permission, not visible): the screen may dim, nothing else.
      }
    };
    // The browser drops the lock when the tab is hidden; take it again when the tab returns.
    const onVisibility = () => {
      if (active && document.visibilityState === 'visible') request();
    };
    request();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', onVisibility);
      if (sentinel) sentinel.release().catch(() => {});
      sentinel = null;
    };
  }, []);
}

function fullscreenElement() {
  return document.fullscreenElement || document.webkitFullscreenElement || null;
}

async function enterFullscreen(element) {
  const request = element.requestFullscreen || element.webkitRequestFullscreen;
  if (request) await request.call(element, { navigationUI: 'hide' });
}

async function leaveFullscreen() {
  const exit = document.exitFullscreen || document.webkitExitFullscreen;
  if (exit && fullscreenElement()) await exit.call(document);
}

function QrScreen({ certificate }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const screen = useRef(null);
  const heading = useRef(null);
  const [full, setFull] = useState(false);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const canFullscreen = Boolean(document.fullscreenEnabled || document.webkitFullscreenEnabled);
  const valid = certificate.status === 'valid';

  useScreenWakeLock();

  useEffect(() => {
    document.title = `${t('learner.qr.title')} ${certificate.serial} · ${t('app.name')}`;
  }, [t, certificate.serial]);

  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    // The page behind must not scroll under the code.
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    const onChange = () => setFull(fullscreenElement() === screen.current);
    document.addEventListener('fullscreenchange', onChange);
    document.addEventListener('webkitfullscreenchange', onChange);
    return () => {
      document.body.style.overflow = overflow;
      document.removeEventListener('fullscreenchange', onChange);
      document.removeEventListener('webkitfullscreenchange', onChange);
      leaveFullscreen().catch(() => {});
    };
  }, []);

  const close = () => {
    leaveFullscreen().catch(() => {});
    route('/app/my');
  };

  useEffect(() => {
    // In full screen the browser takes Escape for itself; otherwise it closes the code.
    const onKey = (event) => {
      if (event.key === 'Escape' && !fullscreenElement()) close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const toggleFullscreen = async () => {
    try {
      if (fullscreenElement()) await leaveFullscreen();
      else await enterFullscreen(screen.current);
    } catch {
      // Refused (an embedded frame, an old browser): the page already covers the whole window.
    }
  };

  return (
    <section class="qr-screen" ref={screen} aria-labelledby="qr-title">
      <div class="qr-bar">
        {canFullscreen && (
          <button type="button" class="button button-secondary" onClick={toggleFullscreen}>
            {t(full ? 'learner.qr.exitFullscreen' : 'learner.qr.fullscreen')}
          </button>
        )}
        <button type="button" class="button button-primary qr-close" onClick={close}>
          <span aria-hidden="true">✕</span> {t('learner.qr.close')}
        </button>
      </div>
      <h1 id="qr-title" class="visually-hidden" tabIndex={-1} ref={heading}>
        {t('learner.qr.title')}
      </h1>
      <div class="qr-code">
        {failed ? (
          <div class="notice notice-error" role="alert">
            <p>{t('learner.qr.imageFailed')}</p>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setFailed(false);
                setAttempt(attempt + 1);
              }}
            >
              {t('common.retry')}
            </button>
          </div>
        ) : (
          <img
            key={attempt}
            src={`/api/v1/certificates/${certificate.id}/qr.svg`}
            alt={t('learner.qr.alt', { serial: certificate.serial })}
            width="600"
            height="600"
            onError={() => setFailed(true)}
          />
        )}
      </div>
      <div class="qr-text">
        <p class="qr-serial" aria-label={`${t('learner.certificate.serial')}: ${certificate.serial}`}>
          {certificate.serial}
        </p>
        <p class="qr-caption">
          <span class="qr-name">{certificate.full_name}</span> · {i18n.pick(certificate.course_title)}
        </p>
        {valid && <p class="qr-hint">{t('learner.qr.hint')}</p>}
        {!valid && (
          <p class="notice notice-error qr-revoked" role="status">
            {t('learner.qr.revoked')}
          </p>
        )}
      </div>
    </section>
  );
}

export default function CertificateQrPage({ id }) {
  const { t } = useI18n();
  const wellFormed = /^[1-9][0-9]{0,17}$/.test(String(id || ''));
  const { data, error, loading, reload } = useAsync(
    () => (wellFormed ? api(`/certificates/${id}`) : Promise.resolve(null)),
    [id],
  );
  if (loading && !data) return <Loading />;
  if (!wellFormed || error?.status === 404 || (!error && !data)) {
    return (
      <Page title={t('learner.qr.notFound.title')}>
        <p class="notice notice-error learner-not-found" role="alert">
          {t('learner.qr.notFound.text')}
        </p>
        <p>
          <a class="button button-secondary" href="/app/my">
            {t('learner.qr.back')}
          </a>
        </p>
      </Page>
    );
  }
  if (error) {
    return (
      <Page title={t('learner.qr.title')}>
        <ErrorMessage error={error} onRetry={reload} />
        <p>
          <a href="/app/my">{t('learner.qr.back')}</a>
        </p>
      </Page>
    );
  }
  return <QrScreen certificate={data} />;
}
