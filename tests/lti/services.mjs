// The platform's services called by the tool's server: the OAuth 2 token endpoint (client
// credentials with an RFC 7523 JWT assertion, Security Framework §4.1), Names and Role
// Provisioning 2.0 and Assignment and Grade Services 2.0 (line items, scores), each answering as
// Moodle's token.php and mod/lti/services.php or Canvas's /login/oauth2/token and
// /api/lti/courses/... do. Functions of the platform `p` (platform.mjs) and the request.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { SCOPES, ids, nrpsContext, nrpsMember, nrpsPage } from './flavours.mjs';

const b64url = (data) => Buffer.from(data).toString('base64url');
const MAX_BODY = 1024 * 1024;
const LEARNER_ROLES = new Set(['learner', 'learner-short', 'lti11-learner']);
const ACTIVITY = new Set(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']);
const GRADING = new Set(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']);
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export class HttpError extends Error {
  constructor(status, body, type = 'text/plain; charset=utf-8') {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.status = status;
    this.body = typeof body === 'string' ? body : JSON.stringify(body);
    this.type = typeof body === 'string' ? type : 'application/json';
  }
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const mediaType = (req) => (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** Answers `body` (a string, or JSON) with its length. */
export function send(res, status, body, type = 'application/json', headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function serveToken(p, req, res) {
  const record = { method: req.method, contentType: req.headers['content-type'] ?? '' };
  p.tokenRequests.push(record);
  const refuse = (error, description) => {
    Object.assign(record, { status: 400, error, description });
    // Moodle's token.php answers {"error": ...}; Canvas adds a description.
    return send(res, 400, p.flavour === 'moodle' ? { error } : { error, error_description: description });
  };
  if (req.method !== 'POST') return refuse('invalid_request', 'POST only');
  const text = await readBody(req);
  let form;
  if (mediaType(req) === 'application/x-www-form-urlencoded') form = Object.fromEntries(new URLSearchParams(text));
  else if (p.flavour === 'canvas' && mediaType(req) === 'application/json') form = JSON.parse(text || '{}');
  else return refuse('invalid_request', 'the body must be application/x-www-form-urlencoded');
  record.params = form;
  const { grant_type: grant, client_assertion_type: assertionType, client_assertion: assertion, scope = '' } = form;
  if (!grant || !assertionType || !assertion || !scope) {
    return refuse('invalid_request', 'grant_type, client_assertion_type, client_assertion and scope are required');
  }
  if (grant !== 'client_credentials') return refuse('unsupported_grant_type', 'grant_type must be client_credentials');
  if (assertionType !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return refuse(p.flavour === 'moodle' ? 'unsupported_grant_type' : 'invalid_request', 'unsupported client_assertion_type');
  }
  const badClient = p.flavour === 'moodle' ? 'invalid_client' : 'invalid_request';
  let claims;
  try {
    claims = await verifyAssertion(p, assertion);
  } catch (error) {
    return refuse(badClient, `client assertion refused: ${error.message}`);
  }
  if (p.usedJtis.has(claims.jti)) return refuse(badClient, 'the client assertion jti has been used before');
  p.usedJtis.add(claims.jti);
  const requested = scope.split(' ').filter(Boolean);
  const granted = requested.filter((s) => p.grantedScopes.includes(s));
  if (!granted.length || (p.flavour === 'canvas' && granted.length !== requested.length)) {
    return refuse('invalid_scope', `not granted: ${requested.filter((s) => !granted.includes(s)).join(' ')}`);
  }
  const expiresIn = 3600;
  const token = p.flavour === 'moodle' ? randomBytes(16).toString('hex') : await canvasAccessToken(p, granted, expiresIn);
  p.tokens.set(token, { scopes: granted, expires: Date.now() + expiresIn * 1000 });
  Object.assign(record, { status: 200, scopes: granted });
  return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: granted.join(' ') });
}

/** The tool's RS256 client assertion, against the key set the tool publishes. */
async function verifyAssertion(p, assertion) {
  const response = await fetch(`${p.toolUrl}/lti/jwks`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`the tool's key set answered ${response.status}`);
  const keySet = p.jose.createLocalJWKSet(await response.json());
  const { payload } = await p.jose.jwtVerify(assertion, keySet, {
    algorithms: ['RS256'],
    issuer: p.clientId,
    subject: p.clientId,
    audience: p.tokenUrl,
    requiredClaims: ['exp', 'iat', 'jti'],
    maxTokenAge: '5m',
    clockTolerance: 5,
  });
  return payload;
}

async function canvasAccessToken(p, scopes, expiresIn) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: p.issuer, sub: p.clientId, aud: p.tokenUrl, iat: now, exp: now + expiresIn, jti: randomUUID(), scopes: scopes.join(' ') };
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS512' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha512', p.secret).update(input).digest('base64url')}`;
}

/** The access token of `req` if it grants one of `scopes`. */
function bearer(p, req, scopes) {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = m && p.tokens.get(m[1]);
  return token && token.expires > Date.now() && token.scopes.some((s) => scopes.includes(s)) ? token : null;
}

export async function serveService(p, req, res, url, rest) {
  const record = { method: req.method, url: url.href, authorization: req.headers.authorization ?? null };
  p.serviceRequests.push(record);
  const moodle = p.flavour === 'moodle';
  let m;
  if ((m = moodle ? /^\/CourseSection\/([^/]+)\/bindings\/([^/]+)\/memberships$/.exec(rest) : /^\/([^/]+)\/names_and_roles$/.exec(rest))) {
    record.service = 'nrps';
    return serveMembers(p, req, res, url, m[1], record);
  }
  m = moodle ? /^\/([^/]+)\/lineitems(?:\/([^/]+)\/lineitem(\/scores)?)?$/.exec(rest) : /^\/([^/]+)\/line_items(?:\/([^/]+)(\/scores)?)?$/.exec(rest);
  if (!m) throw new HttpError(404, `no service at ${url.pathname}`);
  const [, contextId, itemId, scores] = m;
  record.service = scores ? 'scores' : itemId ? 'lineitem' : 'lineitems';
  if (p.agsDown) return reply(p, res, record, 503, 'Service Unavailable');
  // Without type_id Moodle takes the request for an LTI 2 tool proxy one and refuses it.
  if (moodle && !url.searchParams.get('type_id')) return reply(p, res, record, 403, 'Forbidden: no type_id');
  if (scores) return serveScore(p, req, res, contextId, itemId, record);
  if (itemId) {
    if (req.method !== 'GET') return reply(p, res, record, 405, 'GET only');
    if (!bearer(p, req, [SCOPES.lineitem, SCOPES.lineitemRead])) return reply(p, res, record, 401, 'Unauthorized');
    const item = p.lineItems.get(itemId);
    if (!item || item.contextId !== contextId) return reply(p, res, record, 404, 'The specified resource does not exist.');
    return reply(p, res, record, 200, itemJson(p, item), 'application/vnd.ims.lis.v2.lineitem+json');
  }
  if (req.method === 'GET') {
    if (!bearer(p, req, [SCOPES.lineitem, SCOPES.lineitemRead])) return reply(p, res, record, 401, 'Unauthorized');
    const link = url.searchParams.get('resource_link_id');
    const items = [...p.lineItems.values()].filter((i) => i.contextId === contextId && (!link || i.resourceLinkId === link));
    return reply(p, res, record, 200, items.map((i) => itemJson(p, i)), 'application/vnd.ims.lis.v2.lineitemcontainer+json');
  }
  if (req.method !== 'POST') return reply(p, res, record, 405, 'GET or POST');
  if (!bearer(p, req, [SCOPES.lineitem])) return reply(p, res, record, 401, 'Unauthorized');
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return reply(p, res, record, 400, 'the body is not JSON');
  }
  if (typeof body?.label !== 'string' || !body.label || !(typeof body.scoreMaximum === 'number' && body.scoreMaximum > 0)) {
    return reply(p, res, record, 400, 'label and a scoreMaximum above 0 are required');
  }
  const item = p.addLineItem(contextId, body);
  return reply(p, res, record, moodle ? 201 : 200, itemJson(p, item), 'application/vnd.ims.lis.v2.lineitem+json');
}

/** Answers a service request and notes its status. */
function reply(p, res, record, code, body, type = 'text/plain; charset=utf-8', headers = {}) {
  record.status = code;
  return send(res, code, body, type, headers);
}

function itemJson(p, item) {
  if (p.flavour === 'moodle') {
    // gradebookservices::item_for_json: empty strings where Moodle has nothing.
    const { id, label, scoreMaximum } = item;
    return { id, label, scoreMaximum, resourceId: item.resourceId ?? '', tag: item.tag ?? '', resourceLinkId: item.resourceLinkId ?? '' };
  }
  const json = { id: item.id, scoreMaximum: item.scoreMaximum, label: item.label, resourceLinkId: item.resourceLinkId };
  if (item.resourceId) json.resourceId = item.resourceId;
  if (item.tag) json.tag = item.tag;
  return json;
}

function serveMembers(p, req, res, url, contextId, record) {
  if (req.method !== 'GET') return reply(p, res, record, 405, 'GET only');
  // Moodle's contextmemberships resource answers 403 to a missing or weak token, Canvas 401.
  if (!bearer(p, req, [SCOPES.nrps])) return reply(p, res, record, p.flavour === 'moodle' ? 403 : 401, 'Unauthorized');
  const context = p.contexts.get(contextId);
  if (!context) return reply(p, res, record, 404, 'Not found');
  let members = (p.memberLists.get(contextId) ?? []).map((m) => nrpsMember(p, m));
  const role = url.searchParams.get('role');
  if (role) {
    const wanted = p.flavour === 'moodle' && !/^https?:\/\//.test(role) ? `http://purl.imsglobal.org/vocab/lis/v2/membership#${role}` : role;
    members = members.filter((m) => m.roles.some((r) => r === wanted || `http://purl.imsglobal.org/vocab/lis/v2/membership#${r}` === wanted));
  }
  const endpoint = `${url.origin}${url.pathname}`;
  const page = nrpsPage(p, endpoint, url.searchParams, members, p.membersPerPage);
  const body = { id: p.flavour === 'moodle' ? endpoint : url.href, context: nrpsContext(p, context), members: page.members };
  return reply(p, res, record, 200, body, 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', page.link ? { Link: page.link } : {});
}

async function serveScore(p, req, res, contextId, itemId, record) {
  const moodle = p.flavour === 'moodle';
  const entry = { lineItem: null, url: record.url, contentType: req.headers['content-type'] ?? '', userId: null, body: null };
  p.scores.push(entry);
  const answer = (code, body = '', type = 'text/plain; charset=utf-8') => {
    entry.status = code;
    entry.accepted = code === 200;
    if (code !== 200) entry.reason = body;
    return reply(p, res, record, code, body, type);
  };
  if (req.method !== 'POST') return answer(405, 'POST only');
  if (!bearer(p, req, [SCOPES.score])) return answer(401, 'Unauthorized');
  const item = p.lineItems.get(itemId);
  if (!item || item.contextId !== contextId) return answer(404, 'The specified resource does not exist.');
  entry.lineItem = item.id;
  const type = mediaType(req);
  if (type !== 'application/vnd.ims.lis.v1.score+json' && (moodle || type !== 'application/json')) return answer(400, `Content-Type ${type || 'missing'}`);
  let score;
  try {
    score = JSON.parse(await readBody(req));
  } catch {
    return answer(400, 'the body is not JSON');
  }
  entry.body = score;
  entry.userId = score?.userId ?? null;
  const invalid = moodle ? 400 : 422;
  for (const name of ['userId', 'activityProgress', 'gradingProgress', 'timestamp']) {
    if (score?.[name] === undefined || score[name] === null || score[name] === '') return answer(400, `${name} is missing`);
  }
  if (typeof score.userId !== 'string') return answer(400, 'userId must be a string');
  if (!ACTIVITY.has(score.activityProgress)) return answer(invalid, `activityProgress ${score.activityProgress}`);
  if (!GRADING.has(score.gradingProgress)) return answer(invalid, `gradingProgress ${score.gradingProgress}`);
  const timestamp = ISO_8601.test(score.timestamp) ? Date.parse(score.timestamp) : Number.NaN;
  if (!Number.isFinite(timestamp)) return answer(400, `Provided timestamp of ${score.timestamp} not a valid timestamp`);
  if (score.comment !== undefined && score.comment !== null && typeof score.comment !== 'string') return answer(400, 'comment must be a string');
  if (score.scoreGiven !== undefined && score.scoreGiven !== null) {
    if (typeof score.scoreGiven !== 'number' || !(score.scoreGiven >= 0)) return answer(400, 'scoreGiven must be a number of at least 0');
    if (typeof score.scoreMaximum !== 'number') return answer(invalid, 'ScoreMaximum not supplied when ScoreGiven present.');
    if (!(score.scoreMaximum > 0)) return answer(invalid, 'scoreMaximum must be above 0');
    if (!p.extraCredit && score.scoreGiven > score.scoreMaximum) return answer(invalid, 'scoreGiven above scoreMaximum');
  }
  const members = p.memberLists.get(contextId);
  if (members && !members.some((m) => LEARNER_ROLES.has(m.role) && ids.sub(p, m.user) === score.userId)) {
    return answer(invalid, 'User not found in course or is not a student');
  }
  const key = `${item.itemId}|${score.userId}`;
  const stored = p.results.get(key);
  if (stored && (moodle ? stored.timestamp >= timestamp : stored.timestamp > timestamp)) {
    return moodle
      ? answer(409, `Refusing score with an earlier timestamp for item ${item.itemId} and user ${score.userId}`)
      : answer(400, `Provided timestamp of ${score.timestamp} before last updated timestamp of ${new Date(stored.timestamp).toISOString()}`);
  }
  const resultId = stored?.resultId ?? String(p.results.size + 1);
  p.results.set(key, { timestamp, score, resultId });
  if (moodle) return answer(200, '', 'application/vnd.ims.lis.v1.score+json');
  return answer(200, { resultUrl: `${item.id}/results/${resultId}` }, 'application/json');
}
