// Small pieces every page uses: a page frame with its title, labelled fields, the message for a
// failed request, loading state, and hooks for loading data and for the connection state.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';

// The first page of a visit leaves the focus where the browser put it (so Tab reaches the skip
// link first); after a navigation inside the app, the new page's heading takes it, so screen readers
// announce the new page.
let firstPage = true;

/** A page: sets document.title and renders its <h1> (focused after in-app navigation). */
export function Page({ title, actions, children, wide = false }) {
  const { t } = useI18n();
  const heading = useRef(null);
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section class={wide ? 'page page-wide' : 'page'}>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

let fieldCounter = 0;

/**
 * A labelled control. `children` is one input/select/textarea (given no id, it gets one); `error`
 * shows under it and is tied to it with aria-describedby; `hint` likewise.
 */
export function Field({ label, error, hint, required = false, children }) {
  const { t } = useI18n();
  const [id] = useState(() => `f${++fieldCounter}`);
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const control = Array.isArray(children) ? children[0] : children;
  const cloned =
    control && control.props
      ? {
          ...control,
          props: {
            ...control.props,
            id: control.props.id || id,
            'aria-invalid': error ? 'true' : undefined,
            'aria-describedby': describedBy,
            required: required || control.props.required,
          },
        }
      : control;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={cloned?.props?.id || id}>
        {label}
        {required && <span class="required"> ({t('common.required')})</span>}
      </label>
      {cloned}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-text" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * After a refused submission, moves the focus to the first field in error of the form `ref` holds,
 * in the page's order: a control marked aria-invalid (what Field does with an `error`), or the
 * first control inside a `.field-error` (a Field, or a group such as a fieldset of checkboxes);
 * with no field in error, the form's alert (role="alert"), made focusable. So the keyboard, the
 * screen reader and the phone's screen all land where the fix is needed. `refusal` is what the
 * form shows the refusal from (the failed request, the fields found missing…): the focus moves
 * whenever it changes to something truthy, so a second refusal moves it again. Every form of the
 * app calls this, once.
 */
export function useFocusOnRefusal(ref, refusal) {
  useEffect(() => {
    const form = ref.current;
    if (!refusal || !form) return;
    const control = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])';
    const marked = form.querySelector('[aria-invalid="true"], .field-error');
    let target = marked && (marked.matches(control) ? marked : marked.querySelector(control));
    if (!target) {
      target = form.querySelector('[role="alert"]');
      if (target && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    }
    target?.focus();
  }, [refusal]);
}

/** The words for a failed request (ApiError or anything else) in the current language. */
export function errorText(t, error) {
  if (!error) return '';
  if (error.offline) return t('error.offline');
  switch (error.status) {
    case 401:
      return t('error.unauthenticated');
    case 403:
      return t('error.forbidden');
    case 404:
      return t('error.notFound');
    case 409:
      return error.problem?.detail || t('error.conflict');
    case 422:
      return t('error.invalid');
    case 429:
      return t('error.tooMany');
    case 503:
      return t('error.unavailable');
    default:
      return t('error.generic');
  }
}

/** A failed request as an alert (role="alert" so screen readers hear it at once). */
export function ErrorMessage({ error, onRetry }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>{errorText(t, error)}</p>
      {onRetry && (
        <button type="button" class="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A calm notice: kind 'info' | 'success' | 'warning'. */
export function Notice({ kind = 'info', children }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/**
 * Loads data with `load()` (an async function) when `deps` change: {data, error, loading,
 * reload, setData}. A later load wins over an earlier one still running.
 */
export function useAsync(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  const setData = useCallback((update) => {
    setState((s) => ({ ...s, data: typeof update === 'function' ? update(s.data) : update }));
  }, []);
  return { ...state, reload, setData };
}

/** Whether the browser believes it is online; follows the online/offline events. */
export function useOnline() {
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}
