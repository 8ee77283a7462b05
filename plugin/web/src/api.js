// The one way the web app talks to qatysu-server: same-origin fetch carrying the HttpOnly session
// cookie, the CSRF token on every change (or a launch's bearer token inside a platform), and
// problem+json answers turned into ApiError.

let csrfToken = null;
let bearerToken = null;
let onUnauthenticated = () => {};

// A session an LTI launch opened (/lti/launch hands its token over in the URL's fragment): inside
// a platform's iframe the browser may keep no cookie of ours, so the page holds the token itself
// (for the tab, in sessionStorage when the browser allows it) and sends it as a bearer token.
const kLaunchKey = 'qatysu.launch';

/** Takes a launch's session from the address (#lti_session=…) or this tab's storage; true when there is one. */
export function adoptLaunchSession() {
  const match = /(?:^#|&)lti_session=([^&]+)/.exec(window.location.hash);
  if (match) {
    bearerToken = decodeURIComponent(match[1]);
    try {
      sessionStorage.setItem(kLaunchKey, bearerToken);
    } catch {
      // No storage in this frame: the token lives as long as the page.
    }
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
  } else if (!bearerToken) {
    try {
      bearerToken = sessionStorage.getItem(kLaunchKey);
    } catch {
      bearerToken = null;
    }
  }
  return Boolean(bearerToken);
}

/** Forgets a launch's session (signing out). */
export function dropLaunchSession() {
  bearerToken = null;
  try {
    sessionStorage.removeItem(kLaunchKey);
  } catch {
    // Nothing was kept.
  }
}

/** Whether this page runs on a launch's session. */
export function launched() {
  return Boolean(bearerToken);
}

/** Sets the CSRF token sent with every request that changes something (from login or GET /me). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called when a request answers 401: the session ended (expired, signed out elsewhere). */
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

/**
 * A failed request. `status` is the HTTP status (0 when the server could not be reached),
 * `problem` the RFC 9457 body when there was one, `offline` true when the network failed, and
 * `fields` maps a field name to its message for 422 answers.
 */
export class ApiError extends Error {
  constructor(status, problem, offline = false) {
    super(problem?.detail || problem?.title || (offline ? 'offline' : `HTTP ${status}`));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.offline = offline;
    this.fields = {};
    for (const error of problem?.errors || []) {
      if (error && error.field) this.fields[error.field] = error.message;
    }
  }

  /** The last segment of the problem type: "duplicate-participant", "csrf", "not-found", … */
  get type() {
    const type = this.problem?.type || '';
    return type.slice(type.lastIndexOf('/') + 1);
  }
}

/**
 * Calls `/api/v1${path}`. `body` is sent as JSON. Answers the parsed JSON (or text, or null for
 * 204); with `raw: true` the Response itself; `keepalive: true` lets a small request finish when
 * the page is left. Without a connection the service worker may answer a read with the copy it
 * kept (X-Qatysu-Kept-At); `live: true` refuses such a copy as if offline. Throws ApiError; an
 * aborted request rethrows the AbortError. `ifMatch` sends If-Match: an edit names the ETag its GET
 * answered (versioned()), and a 412 ApiError then carries the entity now and the changes missed.
 */
export async function api(path, {
  method = 'GET',
  body,
  headers = {},
  signal,
  raw = false,
  keepalive = false,
  live = false,
  ifMatch
} = {}) {
  const init = {
    method,
    keepalive,
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json', ...headers },
    signal,
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (ifMatch) init.headers['If-Match'] = ifMatch;
  if (bearerToken) init.headers.Authorization = `Bearer ${bearerToken}`;
  else if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && csrfToken) {
    init.headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, null, true);
  }
  if (!response.ok) {
    let problem = null;
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      try {
        problem = await response.json();
      } catch {
        problem = null;
      }
    }
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && !path.startsWith('/auth/')) onUnauthenticated(error);
    throw error;
  }
  if (live && response.headers.get('X-Qatysu-Kept-At')) throw new ApiError(0, null, true);
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/**
 * A versioned entity (GET answering an ETag): `{data, etag}`; the etag goes into an edit's
 * `ifMatch`. An edit's own answer carries the new version the same way (`method: 'PATCH'`).
 */
export async function versioned(path, options = {}) {
  const response = await api(path, {...options, raw: true});
  return {data: await response.json(), etag: response.headers.get('ETag')};
}

/** `?a=1&b=x` from an object, leaving out null, undefined and empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Every item of a key-paginated collection (`{items, next_after}`), at most `max` of them. */
export async function fetchAll(path, params = {}, max = 5000) {
  const items = [];
  let after = null;
  do {
    const page = await api(path + query({ ...params, limit: 200, after }));
    items.push(...page.items);
    after = page.next_after ?? null;
  } while (after !== null && items.length < max);
  return items;
}
