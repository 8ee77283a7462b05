// The checks of the OIDC authorization endpoint (Security Framework 1.0 §5.1.1.2-3) as each
// platform makes them, and Canvas's lti_message_hint. Each check answers { launch } (send the
// id_token), { error, description } (posted back to the redirect_uri with the state) or { page,
// status } (an error page: the redirect_uri cannot be trusted); platform.mjs sends the answer.
import { createHmac } from 'node:crypto';
import { loginHint } from './flavours.mjs';

const b64url = (data) => Buffer.from(data).toString('base64url');

// mod/lti/auth.php, step by step. The launch data is only loaded after the scope and
// response_type checks, and without it the redirect_uri cannot be trusted: earlier failures
// end on Moodle's error page, later ones are posted back to the tool.
export function moodleAuth(platform, p) {
  const present = (name) => typeof p[name] === 'string' && p[name] !== '';
  if (!['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'nonce'].every(present)) return { page: 'Invalid request (invalid_request)' };
  let hint = null;
  try {
    hint = JSON.parse(p.lti_message_hint ?? '');
  } catch {
    /* not JSON */
  }
  if (!hint?.launchid) return { page: 'Invalid request (No launch id in LTI hint)' };
  if (p.scope !== 'openid') return { page: 'Invalid request (invalid_scope)' };
  if (p.response_type !== 'id_token') return { page: 'Invalid request (unsupported_response_type)' };
  const launch = platform.launches.get(hint.launchid);
  platform.launches.delete(hint.launchid);
  if (!launch) return { page: 'Invalid request (no such launch: it was used or never issued)' };
  let error = null;
  if (p.client_id !== platform.clientId) error = { error: 'unauthorized_client' };
  else if (p.login_hint !== loginHint(platform, launch.user)) error = { error: 'access_denied' };
  if (!platform.redirectUris.includes(p.redirect_uri)) return { page: 'Invalid request (redirect_uri not registered)' };
  if (error) return error;
  if (!present('response_mode')) return { error: 'invalid_request', description: 'Missing response_mode' };
  if (p.response_mode !== 'form_post') return { error: 'invalid_request', description: 'Invalid response_mode' };
  if (p.prompt !== 'none') return { error: 'invalid_request', description: 'Invalid prompt' };
  return { launch };
}

// Lti::IMS::AuthenticationController#authorize: the hint and the redirect_uri are checked
// first (a 400 without redirect); then each check overwrites the error of the one before.
export function canvasAuth(platform, p) {
  let hint;
  try {
    hint = verifyCanvasHint(platform, p.lti_message_hint);
  } catch {
    return { page: 'Invalid lti_message_hint' };
  }
  if (p.client_id !== platform.clientId) return { page: 'The specified resource does not exist.', status: 404 };
  if (!platform.redirectUris.includes(p.redirect_uri)) return { page: 'Invalid redirect_uri' };
  const required = ['client_id', 'login_hint', 'lti_message_hint', 'nonce', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope'];
  const missing = required.filter((name) => p[name] === undefined || p[name] === '');
  let error = null;
  if (missing.length) error = { error: 'invalid_request_object', description: `The following parameters are missing: ${missing.join(',')}` };
  else if (p.response_type !== 'id_token') error = { error: 'unsupported_response_type', description: "The 'response_type' must be 'id_token'" };
  else if (p.response_mode !== 'form_post') error = { error: 'invalid_request', description: "The 'response_mode' must be 'form_post'" };
  else if (p.prompt !== 'none') error = { error: 'invalid_request', description: "The 'prompt' must be 'none'" };
  if (p.scope !== undefined && p.scope !== 'openid') error = { error: 'invalid_request_object', description: "The 'scope' must be 'openid'" };
  const launch = platform.launches.get(hint.verifier);
  if (launch && p.login_hint !== loginHint(platform, launch.user)) error = { error: 'login_required', description: 'Must have an active user session' };
  if (error) return error;
  platform.launches.delete(hint.verifier);
  if (!launch) return { error: 'launch_no_longer_valid', description: 'The launch has either expired or already been consumed' };
  return { launch };
}

/** The claims of a hint canvasHint() made, or an exception. */
export function verifyCanvasHint(platform, token) {
  const [header, payload, signature] = String(token ?? '').split('.');
  const expected = createHmac('sha256', platform.secret).update(`${header}.${payload}`).digest('base64url');
  if (!signature || signature !== expected) throw new Error('bad signature');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (claims.exp < Date.now() / 1000) throw new Error('expired');
  return claims;
}

/** Canvas's lti_message_hint: an HS256 JWT of the platform's own secret, valid five minutes. */
export function canvasHint(platform, payload) {
  const body = { ...payload, exp: Math.floor(Date.now() / 1000) + 300 };
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(body))}`;
  return `${input}.${createHmac('sha256', platform.secret).update(input).digest('base64url')}`;
}
