// An LTI 1.3 platform in one node:http server, the other side of Qatysu's LTI tests. It plays
// Moodle 4.x (mod/lti) or Canvas with their own identifiers, endpoint paths and messages: the
// third-party initiated login (Security Framework 1.0 §5.1.1), the OIDC authorization endpoint
// answering with an auto-posted id_token, its key set, the OAuth 2 client-credentials token
// endpoint with a JWT client assertion (RFC 7523, Security Framework §4.1), Names and Role
// Provisioning 2.0, Assignment and Grade Services 2.0 (line items and scores) and, on a course
// page embedding the tool, the platform side of LTI Platform Storage (Client Side postMessages).
//
// Real behaviours reproduced (where each was read is named in flavours.mjs and at its code):
// Moodle — issuer = site URL; a random 15-character client id; deployment id = tool type id;
//   login_hint = user id, lti_message_hint = {"cmid":…,"launchid":…} used once; aud a string,
//   exp = iat + 60; roles as LIS v2 URIs, sorted, a site admin with system and institution
//   Administrator; context type ["CourseSection"]; service_versions ["1.0","2.0"]; line item URLs
//   .../mod/lti/services.php/{course}/lineitems/{item}/lineitem?type_id={type}, scores at
//   .../lineitem/scores?type_id=…; NRPS member roles as bare "Instructor"/"Learner"; NRPS pages
//   only when asked with limit (?limit=&from=); auth.php shows an error page (no redirect) for a
//   bad request, a wrong scope or response_type or a redirect_uri not registered, and posts
//   error codes back otherwise; a score older than or as old as the stored one is refused with
//   409; token.php wants a form body and grants the requested scopes it permits.
// Canvas — issuer https://canvas.instructure.com with institution-local endpoints
//   (/api/lti/authorize_redirect redirecting to /api/lti/authorize, /login/oauth2/token,
//   /api/lti/security/jwks with ISO-timestamp kids); developer-key client id (14 digits);
//   "N:sha1" deployment ids; opaque 40-hex login_hint, a JWT lti_message_hint, canvas_region,
//   canvas_environment and lti_storage_target = post_message_forwarding (also posted with the
//   id_token); aud a string plus azp; exp = iat + 3600; UUID sub with lti11_legacy_user_id;
//   validation_context / errors members in every claim group; institution, membership and
//   system roles; OIDC errors invalid_request_object, login_required, launch_no_longer_valid;
//   NRPS pages always (default 10, Link with current/next/first/last); a score older than the
//   stored one refused with 400; a token request with a scope not granted refused whole.
//
// Stricter than either platform, because the specifications ask it of tools (so a tool bug
// fails here): response_type, response_mode and prompt=none are checked on Canvas too, a
// missing prompt is refused on Moodle too, the client assertion's jti is single-use, and a
// score above scoreMaximum is refused unless startPlatform({ extraCredit: true }).
//
// Files: this one (the server, keys and signatures, launches, key set, course pages),
// flavours.mjs (what Moodle and Canvas put in their messages), authorization.mjs (their
// authorization endpoint checks), services.mjs (token endpoint, NRPS, AGS), course_page.mjs
// (the HTML and the Platform Storage listener). jose (v6) signs and makes keys.
import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { canvasAuth, canvasHint, moodleAuth } from './authorization.mjs';
import { autoPostPage, coursePage, forwardingFramePage } from './course_page.mjs';
import { SCOPES, identity, ids, launchClaims, launchRoles, loginFields, serviceUrls } from './flavours.mjs';
import { HttpError, readBody, send, serveService, serveToken } from './services.mjs';

export { SCOPES } from './flavours.mjs';

/** jose, from the modules CMake installs (QATYSU_NODE_MODULES), else a plain import. */
export async function loadJose() {
  if (process.env.QATYSU_NODE_MODULES) return createRequire(join(process.env.QATYSU_NODE_MODULES, 'noop.js'))('jose');
  return import('jose');
}

/** Invented people, for tests that need someone to launch. */
export const sampleUsers = [
  { id: '5', name: 'Айгүл Серікқызы', given: 'Айгүл', family: 'Серікқызы', email: 'aigul.serikkyzy@example.kz' },
  { id: '6', name: 'Ержан Болатұлы', given: 'Ержан', family: 'Болатұлы', email: 'erzhan.bolatuly@example.kz' },
  { id: '7', name: 'Гүлнар Әбдірахманова', given: 'Гүлнар', family: 'Әбдірахманова', email: 'gulnar.abdirakhmanova@example.kz' },
];

/** The fields of the first form of an auto-posting HTML page: { action, method, fields }. */
export function parseAutoPostForm(html) {
  const unescape = (text) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form in ${html.slice(0, 200)}`);
  const attribute = (tag, name) => {
    const m = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
    return m ? unescape(m[1]) : null;
  };
  const fields = {};
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name !== null) fields[name] = attribute(input[0], 'value') ?? '';
  }
  return { action: attribute(form[1], 'action'), method: (attribute(form[1], 'method') ?? 'get').toLowerCase(), fields };
}

const b64url = (data) => Buffer.from(data).toString('base64url');
const HTML = 'text/html; charset=utf-8';

/**
 * A platform of `flavour` ('moodle' | 'canvas') for the tool at `toolUrl`, listening on a free
 * port of `host`. Options: audArray (aud as [client_id] with azp), extraCredit (accept
 * scoreGiven > scoreMaximum as both platforms do), storageTarget (Platform Storage on course
 * pages: null, '_parent' or 'post_message_forwarding'; Canvas's by default, none for Moodle),
 * redirectUris (registered besides `${toolUrl}/lti/launch`), membersPerPage.
 */
export async function startPlatform({ flavour = 'moodle', toolUrl, host = '127.0.0.1', ...options } = {}) {
  if (!toolUrl) throw new Error('startPlatform needs the toolUrl');
  const platform = new Platform(flavour, toolUrl.replace(/\/$/, ''), host, options, await loadJose());
  await platform.listen();
  return platform;
}

/**
 * One emulated platform. Read: flavour, url, issuer, clientId, deploymentId, deploymentIds,
 * authUrl, tokenUrl, jwksUrl, currentKey ({ kid, jwk, pem, privateKey, publicKey }), and what
 * happened: authRequests, tokenRequests, serviceRequests, scores (every score POST with its
 * status), jwksRequests. Knobs: jwksMode ('normal' | 'slow' | 'huge' | 'down'), agsDown,
 * membersPerPage, grantedScopes, forgeIdToken. Methods: loginParams, claims, sign, rotateKey,
 * registration, addUser, addContext, members, addLineItem, result, ltiContextId, subject, stop.
 */
class Platform {
  constructor(flavour, toolUrl, host, options, jose) {
    this.flavour = flavour;
    this.toolUrl = toolUrl;
    this.toolOrigin = new URL(toolUrl).origin;
    this.host = host;
    this.jose = jose;
    this.audArray = Boolean(options.audArray);
    this.extraCredit = Boolean(options.extraCredit);
    this.storageTarget = options.storageTarget !== undefined ? options.storageTarget : flavour === 'canvas' ? 'post_message_forwarding' : null;
    this.redirectUris = [`${toolUrl}/lti/launch`, ...(options.redirectUris ?? [])];
    /** Knobs a test may turn at any time. */
    this.jwksMode = 'normal';
    this.agsDown = false;
    this.membersPerPage = options.membersPerPage ?? 0;
    this.grantedScopes = Object.values(SCOPES);
    /** Optional (claims, platform) => compact JWT: what the authorization endpoint delivers. */
    this.forgeIdToken = null;
    /** What happened, for tests to read. */
    this.authRequests = [];
    this.tokenRequests = [];
    this.serviceRequests = [];
    this.scores = [];
    this.jwksRequests = 0;
    this.sesskey = randomBytes(5).toString('hex');
    this.secret = randomBytes(32);
    this.keys = [];
    this.launches = new Map();
    this.users = new Map();
    this.contexts = new Map();
    this.memberLists = new Map();
    this.lineItems = new Map();
    this.results = new Map();
    this.tokens = new Map();
    this.usedJtis = new Set();
    this.timers = new Set();
    this.sockets = new Set();
    this.nextItemId = 3;
  }

  async listen() {
    this.keys.push(await this.newKey());
    this.server = createServer((req, res) => this.dispatch(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, resolve);
    });
    const { port } = this.server.address();
    this.url = `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
    this.identity = identity(this.flavour, this.url);
    this.issuer = this.identity.issuer;
    this.clientId = this.identity.clientId;
    this.deploymentIds = this.identity.deploymentIds;
    this.deploymentId = this.deploymentIds[0];
    this.authUrl = this.url + this.identity.paths.auth;
    this.tokenUrl = this.url + this.identity.paths.token;
    this.jwksUrl = this.url + this.identity.paths.jwks;
  }

  async stop() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // ---- keys and signatures ----

  async newKey() {
    const { privateKey, publicKey } = await this.jose.generateKeyPair('RS256', { extractable: true });
    // Moodle's kid: bin2hex(random 10 bytes); Canvas's: the key's ISO 8601 creation time.
    let kid = randomBytes(10).toString('hex');
    if (this.flavour === 'canvas') {
      const last = this.keys.length ? Date.parse(this.keys[0].kid) : Date.now() - 1000;
      kid = new Date(Math.max(Date.now(), last + 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    const jwk = { ...(await this.jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return { kid, privateKey, publicKey, jwk, pem: await this.jose.exportSPKI(publicKey) };
  }

  /** A new current key with a new kid; the key set then lists it alone unless keepOld. */
  async rotateKey({ keepOld = false } = {}) {
    const key = await this.newKey();
    this.keys = keepOld ? [key, ...this.keys] : [key];
    return key.kid;
  }

  get currentKey() {
    return this.keys[0];
  }

  /** The key set as served at jwksUrl. */
  jwks() {
    return { keys: this.keys.map((k) => k.jwk) };
  }

  /**
   * `claims` as a compact JWT. alg 'RS256' (key: the current key, 'foreign' for one outside the
   * key set, or a jose key), 'HS256' (key: the secret; by default the PEM text of the current
   * public key, 'jwk' for its JWK JSON text: key confusion) or 'none' (no signature). kid: the
   * current key's unless given. tamper: change one character of the signature.
   */
  async sign(claims, { alg = 'RS256', kid = this.currentKey.kid, key, tamper = false } = {}) {
    const header = { typ: 'JWT', alg, ...(kid ? { kid } : {}) };
    let token;
    if (alg === 'none') {
      token = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.`;
    } else if (alg === 'HS256') {
      let secret = key ?? this.currentKey.pem;
      if (key === 'jwk') secret = JSON.stringify(this.currentKey.jwk);
      if (key === 'pem') secret = this.currentKey.pem;
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    } else {
      let signingKey = key ?? this.currentKey.privateKey;
      if (key === 'foreign') {
        this.foreignKey ??= (await this.jose.generateKeyPair(alg)).privateKey;
        signingKey = this.foreignKey;
      }
      token = await new this.jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(header).sign(signingKey);
    }
    if (tamper) {
      const dot = token.lastIndexOf('.');
      const first = token[dot + 1];
      if (first === undefined) throw new Error('an unsigned token has no signature to tamper with');
      token = `${token.slice(0, dot + 1)}${first === 'A' ? 'B' : 'A'}${token.slice(dot + 2)}`;
    }
    return token;
  }

  // ---- people, courses, launches ----

  addUser(user) {
    for (const field of ['id', 'given', 'family', 'email']) if (user?.[field] === undefined) throw new Error(`a user needs ${field}`);
    this.users.set(String(user.id), user);
    return user;
  }

  addContext(context) {
    this.contexts.set(String(context.id), { label: `К-${context.id}`, title: `Курс ${context.id}`, ...context, id: String(context.id) });
    return this.contexts.get(String(context.id));
  }

  /** A course of this platform, by id or object; an object with a title (re)defines it. */
  context(context = { id: '2', label: 'ИЖ-101', title: 'Инклюзивті жоспарлау негіздері' }) {
    const given = typeof context === 'object' ? context : { id: String(context) };
    const known = this.contexts.get(String(given.id));
    return known && !given.title ? known : this.addContext(given);
  }

  /** The id the tool sees in the context claim and NRPS answers for a course of this platform. */
  ltiContextId(contextId) {
    return ids.context(this, this.context(contextId));
  }

  /** The `sub` the tool sees for `user`. */
  subject(user) {
    return ids.sub(this, user);
  }

  /** Sets the members of a course: [{ user, role, status? }]. */
  members(contextId, list) {
    this.context(contextId);
    for (const member of list) this.addUser(member.user);
    this.memberLists.set(String(contextId), list.map((m) => ({ role: 'learner', ...m })));
  }

  /** A line item in a course: { label, scoreMaximum, resourceId, tag, resourceLinkId }. */
  addLineItem(contextId, { label = 'Қатысу', scoreMaximum = 100, resourceId = null, tag = null, resourceLinkId = null } = {}) {
    this.context(contextId);
    const itemId = String(this.nextItemId++);
    const id = serviceUrls(this, contextId).lineitem(itemId);
    const item = { itemId, contextId: String(contextId), id, label, scoreMaximum, resourceId, tag, resourceLinkId };
    this.lineItems.set(itemId, item);
    return item;
  }

  /** The latest accepted score of `userId` (a sub) on a line item (its id URL or object). */
  result(lineItem, userId) {
    const item = typeof lineItem === 'string' ? [...this.lineItems.values()].find((i) => i.id === lineItem) : lineItem;
    return item ? (this.results.get(`${item.itemId}|${userId}`)?.score ?? null) : null;
  }

  /** Everything a launch needs, defaults filled; `lineItem` undefined → the link's own item. */
  launch({
    user = sampleUsers[0],
    role = 'learner',
    context,
    messageType = 'LtiResourceLinkRequest',
    nonce,
    locale = 'kk',
    resourceLink,
    targetLinkUri,
    lineItem,
    deepLinkReturnUrl,
    deepLinkData,
    custom,
  } = {}) {
    this.addUser(user);
    const course = this.context(context);
    const link = { id: '3', title: 'Қатысу парағы', ...(resourceLink ?? {}) };
    let item = null;
    if (messageType !== 'LtiDeepLinkingRequest' && lineItem !== false && lineItem !== null) {
      if (typeof lineItem === 'object') item = lineItem;
      else if (typeof lineItem === 'string') item = [...this.lineItems.values()].find((i) => i.id === lineItem) ?? { id: lineItem };
      else {
        item = [...this.lineItems.values()].find((i) => i.contextId === course.id && i.resourceLinkId === String(link.id));
        item ??= this.addLineItem(course.id, { label: link.title, resourceLinkId: String(link.id) });
      }
    }
    const roles = launchRoles(this.flavour, role);
    return {
      user, role, roles, context: course, link, messageType, nonce, locale, custom, deepLinkReturnUrl, deepLinkData,
      lineItem: item, targetLinkUri: targetLinkUri ?? `${this.toolUrl}/lti/launch`, iat: Math.floor(Date.now() / 1000),
    };
  }

  /** The id_token claims this platform would send (see launch() for the fields). */
  claims(fields = {}) {
    const launch = this.launch(fields);
    launch.nonce ??= randomUUID();
    return launchClaims(this, launch);
  }

  /**
   * The form fields of a login initiation to `${toolUrl}/lti/login`; the hints are remembered,
   * and the authorization endpoint turns them into this launch. `target`: target_link_uri;
   * `storageTarget`: the lti_storage_target to send (false: none; default the platform's).
   */
  loginParams({ target, storageTarget, ...fields } = {}) {
    const launch = this.launch({ ...fields, targetLinkUri: target ?? fields.targetLinkUri });
    launch.storageTarget = storageTarget === undefined ? this.storageTarget : storageTarget || null;
    const key = this.flavour === 'moodle' ? `ltilaunch${launch.link.id}_${randomInt(2 ** 31)}` : randomUUID();
    if (this.flavour === 'moodle') {
      // Without an activity (deep linking) there is no cmid, and the launch id says why.
      const hint =
        launch.messageType === 'LtiDeepLinkingRequest'
          ? { launchid: `ltilaunch_ContentItemSelectionRequest${randomInt(2 ** 31)}` }
          : { cmid: 100 + Number(launch.link.id), launchid: key };
      launch.hint = JSON.stringify(hint);
      this.launches.set(hint.launchid, launch);
    } else {
      launch.hint = canvasHint(this, {
        verifier: key,
        canvas_domain: new URL(this.url).host,
        context_type: 'Course',
        context_id: launch.context.id,
        canvas_locale: launch.locale,
        include_storage_target: Boolean(launch.storageTarget),
      });
      this.launches.set(key, launch);
    }
    return loginFields(this, launch);
  }

  /** The body of Qatysu's POST /api/v1/lti/platforms for this platform. */
  registration(name = this.flavour === 'moodle' ? 'Ауданның Moodle сайты' : 'Облыстың Canvas порталы') {
    return {
      name,
      issuer: this.issuer,
      client_id: this.clientId,
      auth_url: this.authUrl,
      token_url: this.tokenUrl,
      jwks_url: this.jwksUrl,
      deployment_ids: [...this.deploymentIds],
    };
  }

  // ---- HTTP ----

  async dispatch(req, res) {
    const url = new URL(req.url, this.url);
    try {
      await this.route(req, res, url);
    } catch (error) {
      if (res.headersSent) return res.destroy();
      const status = error instanceof HttpError ? error.status : 500;
      res.writeHead(status, { 'Content-Type': error.type ?? 'text/plain; charset=utf-8' });
      res.end(error instanceof HttpError ? error.body : `emulator error: ${error.stack}`);
    }
  }

  async route(req, res, url) {
    const path = url.pathname;
    const { paths } = this.identity;
    if (path === paths.jwks) return this.serveJwks(req, res);
    if (path === paths.token) return serveToken(this, req, res);
    if (path === paths.auth || path === paths.authorize) {
      if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'GET or POST');
      const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
      if (path === paths.auth && paths.authorize) {
        // Canvas: sso.canvaslms.com/api/lti/authorize_redirect sends the browser on to the
        // institution's own domain named in the lti_message_hint.
        this.authRequests.push({ method: req.method, path, params: Object.fromEntries(params), status: 302 });
        res.writeHead(302, { Location: `${this.url}${paths.authorize}?${params}` });
        return res.end();
      }
      return this.serveAuth(req, res, path, params);
    }
    let m;
    if ((m = /^\/course\/([^/]+)(\/launch)?$/.exec(path))) return this.serveCourse(res, url, decodeURIComponent(m[1]), Boolean(m[2]));
    if (path === '/post_message_forwarding') return send(res, 200, forwardingFramePage({ toolOrigin: this.toolOrigin }), HTML);
    const services = this.flavour === 'moodle' ? '/mod/lti/services.php' : '/api/lti/courses';
    if (path.startsWith(`${services}/`)) return serveService(this, req, res, url, path.slice(services.length));
    throw new HttpError(404, `no ${path} on this ${this.flavour}`);
  }

  serveJwks(req, res) {
    this.jwksRequests += 1;
    const type = 'application/json; charset=utf-8';
    if (this.jwksMode === 'down') return send(res, 503, 'Service Unavailable', 'text/plain');
    if (this.jwksMode === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) send(res, 200, this.jwks(), type);
      }, 30_000);
      this.timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      });
      return undefined;
    }
    if (this.jwksMode === 'huge') {
      // 50 MB of a valid but endless-looking document, sent as fast as the reader takes it.
      res.writeHead(200, { 'Content-Type': type });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = 50 * 1024 * 1024;
      res.write('{"keys":[');
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left -= chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        if (!res.destroyed) res.end(']}');
        return undefined;
      };
      return pump();
    }
    return send(res, 200, this.jwks(), type);
  }

  // ---- OIDC authorization endpoint ----

  async serveAuth(req, res, path, params) {
    const p = Object.fromEntries(params);
    const record = { method: req.method, path, params: p };
    this.authRequests.push(record);
    const page = (status, text) => {
      Object.assign(record, { status, page: text });
      const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><p>${text}</p></body></html>`;
      return send(res, status, html, HTML);
    };
    const post = (fields) => {
      Object.assign(record, { status: 200, response: fields });
      return send(res, 200, autoPostPage({ action: p.redirect_uri, fields, title: 'LTI' }), HTML);
    };
    const outcome = this.flavour === 'moodle' ? moodleAuth(this, p) : canvasAuth(this, p);
    if (outcome.page) return page(outcome.status ?? 400, outcome.page);
    if (outcome.error) {
      const fields = { error: outcome.error };
      if (outcome.description) fields.error_description = outcome.description;
      if (p.state !== undefined) fields.state = p.state;
      return post(fields);
    }
    const { launch } = outcome;
    launch.nonce = p.nonce;
    launch.iat = Math.floor(Date.now() / 1000);
    const claims = launchClaims(this, launch);
    const idToken = this.forgeIdToken ? await this.forgeIdToken(claims, this) : await this.sign(claims);
    record.idToken = idToken;
    const fields = { id_token: idToken };
    if (p.state !== undefined) fields.state = p.state;
    if (this.flavour === 'canvas' && launch.storageTarget) fields.lti_storage_target = launch.storageTarget;
    return post(fields);
  }

  // ---- course pages ----

  serveCourse(res, url, contextId, launchDocument) {
    const q = url.searchParams;
    const user = this.users.get(q.get('user') ?? '');
    if (!user) throw new HttpError(404, `no user ${q.get('user')} on this platform (addUser or members first)`);
    const context = this.context(contextId);
    const storage = q.has('storage') ? (q.get('storage') === 'none' ? null : q.get('storage')) : this.storageTarget;
    const role = q.get('role') ?? 'learner';
    const messageType = q.get('type') ?? 'LtiResourceLinkRequest';
    if (launchDocument) {
      const fields = this.loginParams({ user, role, context, messageType, storageTarget: storage || false, locale: q.get('locale') ?? undefined });
      return send(res, 200, autoPostPage({ action: `${this.toolUrl}/lti/login`, fields, title: 'Qatysu' }), HTML);
    }
    const query = new URLSearchParams({ user: user.id, role, type: messageType, storage: storage ?? 'none' });
    if (q.has('locale')) query.set('locale', q.get('locale'));
    const launchPath = `/course/${encodeURIComponent(context.id)}/launch?${query}`;
    return send(res, 200, coursePage({ context, user, launchPath, toolOrigin: this.toolOrigin, storageTarget: storage }), HTML);
  }
}
