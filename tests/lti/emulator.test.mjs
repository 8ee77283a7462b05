// The LTI platform emulator on its own, against a tool of a few lines made with jose: Moodle and
// Canvas launches verify against the emulator's key set with their own iss, aud, nonce and
// lifetime; the authorization endpoint refuses what each platform refuses; the hostile tokens
// are what they claim to be; the key set's knobs work; NRPS pages are walked by rel="next" and
// give every member once; a score lands on a Moodle line item URL that carries a query string;
// the token endpoint refuses bad client assertions; the course page embeds the tool and, where
// the platform offers it, answers Platform Storage messages (in chromium, when playwright-core
// is installed: QATYSU_NODE_MODULES).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SCOPES, loadJose, parseAutoPostForm, sampleUsers, startPlatform } from './platform.mjs';

const jose = await loadJose();
const [aigul, erzhan] = sampleUsers;
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The page the test tool shows after a launch: it tries Platform Storage and notes what came back. */
const storageProbe = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>tool</title></head><body><script>
function ask(target, message) {
  return new Promise(function (resolve) {
    function onMessage(event) {
      if (event.data && event.data.message_id === message.message_id && event.data.subject === message.subject + '.response') {
        removeEventListener('message', onMessage);
        resolve(event.data);
      }
    }
    addEventListener('message', onMessage);
    target.postMessage(message, '*');
    setTimeout(function () { removeEventListener('message', onMessage); resolve(null); }, 1500);
  });
}
(async function () {
  var results = {};
  results.capabilities = await ask(parent, { subject: 'lti.capabilities', message_id: 'c-1' });
  if (results.capabilities) {
    var put = results.capabilities.supported_messages.find(function (m) { return m.subject === 'lti.put_data'; });
    var target = put.frame ? parent.frames[put.frame] : parent;
    results.put = await ask(target, { subject: 'lti.put_data', message_id: 'p-1', key: 'state-abc', value: 'abc' });
    results.get = await ask(target, { subject: 'lti.get_data', message_id: 'g-1', key: 'state-abc' });
    results.absent = await ask(target, { subject: 'lti.get_data', message_id: 'g-2', key: 'state-none' });
    results.noKey = await ask(target, { subject: 'lti.get_data', message_id: 'g-3' });
    results.unknown = await ask(parent, { subject: 'lti.nonsense', message_id: 'u-1' });
  }
  window.toolResults = results;
  document.body.setAttribute('data-done', 'yes');
})();
</script></body></html>`;

/**
 * A minimal LTI tool: the login initiation redirects to the platform's authorization endpoint
 * with a fresh state and nonce, the launch endpoint keeps what was posted, /lti/jwks serves its
 * key. `tamper(params)` may change the authentication request before it is sent.
 */
async function startTool() {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
  const kid = 'tool-key-1';
  const tool = {
    platforms: new Map(),
    logins: new Map(),
    launches: [],
    tamper: null,
    privateKey,
    jwks: { keys: [{ ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] },
    register(platform) {
      this.platforms.set(`${platform.issuer}|${platform.clientId}`, platform);
    },
    /** A client assertion for the platform's token endpoint (RFC 7523), with `overrides`. */
    async assertion(platform, { claims = {}, key = privateKey, header = {} } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const body = { iss: platform.clientId, sub: platform.clientId, aud: platform.tokenUrl, iat: now, exp: now + 300, jti: randomUUID(), ...claims };
      return new jose.SignJWT(body).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(key);
    },
  };
  tool.server = createServer(async (req, res) => {
    const url = new URL(req.url, tool.url);
    if (url.pathname === '/lti/jwks') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(tool.jwks));
    }
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    if (url.pathname === '/lti/login') {
      const platform = tool.platforms.get(`${params.get('iss')}|${params.get('client_id')}`);
      if (!platform) {
        res.writeHead(400);
        return res.end('unknown platform');
      }
      const state = randomUUID();
      const nonce = randomUUID();
      tool.logins.set(state, { nonce, login: Object.fromEntries(params) });
      let auth = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: params.get('client_id'),
        redirect_uri: `${tool.url}/lti/launch`,
        login_hint: params.get('login_hint'),
        lti_message_hint: params.get('lti_message_hint'),
        state,
        nonce,
      };
      if (tool.tamper) auth = tool.tamper(auth);
      res.writeHead(302, { Location: `${platform.authUrl}?${new URLSearchParams(Object.entries(auth).filter(([, v]) => v !== undefined))}` });
      return res.end();
    }
    if (url.pathname === '/lti/launch' && req.method === 'POST') {
      tool.launches.push(Object.fromEntries(params));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(storageProbe);
    }
    res.writeHead(404);
    return res.end();
  });
  await new Promise((resolve) => tool.server.listen(0, '127.0.0.1', resolve));
  tool.url = `http://127.0.0.1:${tool.server.address().port}`;
  tool.stop = () => new Promise((resolve) => tool.server.close(resolve));
  return tool;
}

/**
 * What a browser does with a login initiation: posts it to the tool, follows the redirects to
 * the authorization endpoint and submits its auto-posting form. Answers the last response and
 * what the tool received (null when nothing reached it).
 */
async function launchThrough(tool, loginFields) {
  const before = tool.launches.length;
  let response = await fetch(`${tool.url}/lti/login`, { method: 'POST', body: new URLSearchParams(loginFields), redirect: 'manual' });
  const hops = [];
  for (let i = 0; i < 5 && response.status >= 300 && response.status < 400; i += 1) {
    hops.push(response.headers.get('location'));
    response = await fetch(response.headers.get('location'), { redirect: 'manual' });
  }
  const html = await response.text();
  if (response.status !== 200) return { status: response.status, html, hops, received: null };
  const form = parseAutoPostForm(html);
  assert.equal(form.method, 'post', `the authorization endpoint's form posts: ${html}`);
  const posted = await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields), redirect: 'manual' });
  await posted.text();
  return { status: 200, form, hops, received: tool.launches.length > before ? tool.launches.at(-1) : null };
}

/** The URLs of a Link header by rel, however many rels it holds (RFC 8288). */
function links(header) {
  const found = {};
  for (const part of (header ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /rel="?([^";]+)"?/.exec(part[2]);
    if (rel) for (const name of rel[1].split(/\s+/)) found[name] = part[1];
  }
  return found;
}

async function accessToken(platform, tool, scopes) {
  const response = await fetch(platform.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await tool.assertion(platform),
      scope: scopes.join(' '),
    }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, `token endpoint: ${JSON.stringify(body)}`);
  return body.access_token;
}

let tool;
let moodle;
let canvas;

before(async () => {
  tool = await startTool();
  moodle = await startPlatform({ flavour: 'moodle', toolUrl: tool.url });
  canvas = await startPlatform({ flavour: 'canvas', toolUrl: tool.url });
  tool.register(moodle);
  tool.register(canvas);
});

after(async () => {
  await moodle?.stop();
  await canvas?.stop();
  await tool?.stop();
});

const course = { id: '2', label: 'ИЖ-101', title: 'Инклюзивті жоспарлау негіздері' };

describe('launches', () => {
  test('a Moodle launch verifies with the key set and carries Moodle\'s hints and claims', async () => {
    const fields = moodle.loginParams({ user: aigul, role: 'admin', context: course });
    assert.equal(fields.iss, moodle.url);
    assert.equal(fields.login_hint, aigul.id);
    assert.match(fields.client_id, /^[A-Za-z0-9]{15}$/);
    assert.equal(fields.lti_deployment_id, '1');
    assert.equal(fields.target_link_uri, `${tool.url}/lti/launch`);
    const hint = JSON.parse(fields.lti_message_hint);
    assert.match(hint.launchid, /^ltilaunch3_\d+$/);
    assert.equal(typeof hint.cmid, 'number');
    assert.equal('lti_storage_target' in fields, false, 'Moodle 4.x sends no lti_storage_target');

    const { received, hops } = await launchThrough(tool, fields);
    assert.equal(hops.length, 1, 'Moodle answers at its own auth.php');
    assert.ok(received, 'the tool got a launch');
    const { nonce } = tool.logins.get(received.state);
    const { payload, protectedHeader } = await jose.jwtVerify(received.id_token, jose.createRemoteJWKSet(new URL(moodle.jwksUrl)), {
      issuer: moodle.url,
      audience: moodle.clientId,
      algorithms: ['RS256'],
    });
    assert.equal(protectedHeader.kid, moodle.currentKey.kid);
    assert.equal(payload.nonce, nonce);
    assert.equal(typeof payload.aud, 'string');
    assert.equal(payload.azp, undefined);
    assert.equal(payload.exp - payload.iat, 60);
    assert.equal(payload.sub, aigul.id);
    assert.equal(payload.name, 'Айгүл Серікқызы');
    assert.equal(payload[`${LTI}message_type`], 'LtiResourceLinkRequest');
    assert.equal(payload[`${LTI}version`], '1.3.0');
    assert.equal(payload[`${LTI}deployment_id`], '1');
    assert.deepEqual(payload[`${LTI}roles`], [`${LIS}institution/person#Administrator`, `${LIS}membership#Instructor`, `${LIS}system/person#Administrator`]);
    assert.deepEqual(payload[`${LTI}context`], { id: '2', label: 'ИЖ-101', title: course.title, type: ['CourseSection'] });
    assert.equal(payload[`${LTI}launch_presentation`].document_target, 'iframe');
    assert.match(payload[AGS].lineitem, new RegExp(`^${moodle.url}/mod/lti/services\\.php/2/lineitems/\\d+/lineitem\\?type_id=1$`));
    assert.equal(payload[AGS].lineitems, `${moodle.url}/mod/lti/services.php/2/lineitems?type_id=1`);
    assert.deepEqual(payload[NRPS], {
      context_memberships_url: `${moodle.url}/mod/lti/services.php/CourseSection/2/bindings/1/memberships`,
      service_versions: ['1.0', '2.0'],
    });
    const auth = moodle.authRequests.at(-1);
    assert.equal(auth.params.prompt, 'none');
    assert.equal(auth.idToken, received.id_token);
  });

  test('a Canvas launch goes through authorize_redirect and carries Canvas\'s hints and claims', async () => {
    const fields = canvas.loginParams({ user: erzhan, role: 'instructor', context: course });
    assert.equal(fields.iss, 'https://canvas.instructure.com');
    assert.match(fields.login_hint, /^[0-9a-f]{40}$/);
    assert.equal(fields.lti_message_hint.split('.').length, 3, 'the message hint is a JWT');
    assert.match(fields.client_id, /^\d{14}$/);
    assert.match(fields.deployment_id, /^\d+:[0-9a-f]{40}$/);
    assert.equal(fields.canvas_region, 'not_configured');
    assert.equal(fields.lti_storage_target, 'post_message_forwarding');

    const { received, hops } = await launchThrough(tool, fields);
    assert.equal(hops.length, 2, `login → authorize_redirect → authorize: ${hops}`);
    assert.match(hops[1], /\/api\/lti\/authorize\?/);
    assert.ok(received, 'the tool got a launch');
    assert.equal(received.lti_storage_target, 'post_message_forwarding', 'Canvas posts the storage target with the id_token');
    const { payload } = await jose.jwtVerify(received.id_token, jose.createRemoteJWKSet(new URL(canvas.jwksUrl)), {
      issuer: 'https://canvas.instructure.com',
      audience: canvas.clientId,
    });
    assert.equal(payload.nonce, tool.logins.get(received.state).nonce);
    assert.equal(payload.aud, canvas.clientId);
    assert.equal(payload.azp, canvas.clientId);
    assert.equal(payload.exp - payload.iat, 3600, 'Canvas tokens live an hour');
    assert.match(payload.sub, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(payload[`${LTI}lti11_legacy_user_id`], fields.login_hint);
    assert.deepEqual(payload[`${LTI}roles`], [`${LIS}institution/person#Instructor`, `${LIS}membership#Instructor`, `${LIS}system/person#User`]);
    assert.equal(payload[`${LTI}context`].id, canvas.ltiContextId('2'));
    assert.deepEqual(payload[`${LTI}context`].type, [`${LIS}course#CourseOffering`]);
    assert.equal(payload[`${LTI}deployment_id`], canvas.deploymentId);
    assert.equal(payload[AGS].lineitem.startsWith(`${canvas.url}/api/lti/courses/2/line_items/`), true);
    assert.deepEqual(payload[NRPS].service_versions, ['2.0']);
  });

  test('aud as an array, with azp, when asked', async () => {
    const platform = await startPlatform({ flavour: 'moodle', toolUrl: tool.url, audArray: true });
    try {
      const claims = platform.claims({ user: aigul });
      assert.deepEqual(claims.aud, [platform.clientId]);
      assert.equal(claims.azp, platform.clientId);
    } finally {
      await platform.stop();
    }
  });

  test('a deep linking request carries the deep linking settings and no resource link', () => {
    const claims = moodle.claims({ user: aigul, role: 'instructor', messageType: 'LtiDeepLinkingRequest', deepLinkData: 'opaque' });
    const settings = claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'];
    assert.deepEqual(settings.accept_types, ['ltiResourceLink']);
    assert.equal(settings.accept_multiple, true);
    assert.equal(settings.data, 'opaque');
    assert.match(settings.deep_link_return_url, /\/mod\/lti\/contentitem_return\.php\?course=2&id=1&/);
    assert.equal(claims[`${LTI}resource_link`], undefined);
    assert.equal(claims[AGS].lineitem, undefined);
  });
});

describe('the authorization endpoint refuses', () => {
  after(() => {
    tool.tamper = null;
  });

  test('on Moodle, a redirect_uri not registered with an error page and nothing posted', async () => {
    tool.tamper = (auth) => ({ ...auth, redirect_uri: `${tool.url}/elsewhere` });
    const { status, html, received } = await launchThrough(tool, moodle.loginParams({ user: aigul }));
    assert.equal(status, 400);
    assert.match(html, /redirect_uri not registered/);
    assert.equal(received, null);
  });

  test('on Moodle, a missing prompt by posting invalid_request back with the state', async () => {
    tool.tamper = (auth) => ({ ...auth, prompt: undefined });
    const { form, received } = await launchThrough(tool, moodle.loginParams({ user: aigul }));
    assert.equal(form.fields.error, 'invalid_request');
    assert.equal(form.fields.error_description, 'Invalid prompt');
    assert.ok(tool.logins.has(received.state), 'the state comes back');
    assert.equal(received.id_token, undefined);
  });

  test('on Moodle, a message hint used twice, and a login_hint of someone else', async () => {
    tool.tamper = null;
    const fields = moodle.loginParams({ user: aigul });
    assert.ok((await launchThrough(tool, fields)).received.id_token);
    const again = await launchThrough(tool, fields);
    assert.equal(again.status, 400, 'the launch id is forgotten once used');
    const other = moodle.loginParams({ user: aigul });
    const denied = await launchThrough(tool, { ...other, login_hint: erzhan.id });
    assert.equal(denied.form.fields.error, 'access_denied');
  });

  test('on Canvas, a consumed launch, a wrong login_hint and a wrong response_type', async () => {
    const fields = canvas.loginParams({ user: erzhan });
    assert.ok((await launchThrough(tool, fields)).received.id_token);
    assert.equal((await launchThrough(tool, fields)).form.fields.error, 'launch_no_longer_valid');
    assert.equal((await launchThrough(tool, { ...canvas.loginParams({ user: erzhan }), login_hint: 'f'.repeat(40) })).form.fields.error, 'login_required');
    tool.tamper = (auth) => ({ ...auth, response_type: 'code' });
    assert.equal((await launchThrough(tool, canvas.loginParams({ user: erzhan }))).form.fields.error, 'unsupported_response_type');
    tool.tamper = (auth) => ({ ...auth, lti_message_hint: 'forged' });
    assert.equal((await launchThrough(tool, canvas.loginParams({ user: erzhan }))).status, 400);
  });
});

describe('hostile tokens are what they claim to be', () => {
  let claims;
  let keySet;
  before(() => {
    claims = moodle.claims({ user: aigul, nonce: 'n-1' });
    keySet = jose.createRemoteJWKSet(new URL(moodle.jwksUrl));
  });

  test('the genuine token verifies', async () => {
    const { payload } = await jose.jwtVerify(await moodle.sign(claims), keySet, { issuer: moodle.issuer, audience: moodle.clientId });
    assert.equal(payload.nonce, 'n-1');
  });

  test('alg none: unsigned, with an empty signature, refused by a verifier', async () => {
    const token = await moodle.sign(claims, { alg: 'none' });
    assert.equal(jose.decodeProtectedHeader(token).alg, 'none');
    assert.equal(token.split('.')[2], '');
    assert.deepEqual(jose.decodeJwt(token), claims);
    await assert.rejects(jose.jwtVerify(token, keySet));
  });

  test('HS256 keyed with the public key\'s PEM text, and with its JWK text', async () => {
    for (const [key, secret] of [['pem', moodle.currentKey.pem], ['jwk', JSON.stringify(moodle.currentKey.jwk)]]) {
      const token = await moodle.sign(claims, { alg: 'HS256', key });
      assert.equal(jose.decodeProtectedHeader(token).kid, moodle.currentKey.kid);
      await jose.jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
      await assert.rejects(jose.jwtVerify(token, keySet), `${key}: refused by the key set`);
    }
  });

  test('a key not in the key set, a changed signature and an unknown kid', async () => {
    const foreign = await moodle.sign(claims, { key: 'foreign' });
    assert.equal(jose.decodeProtectedHeader(foreign).kid, moodle.currentKey.kid, 'it pretends to be the current key');
    await assert.rejects(jose.jwtVerify(foreign, keySet), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    const genuine = await moodle.sign(claims);
    const tampered = await moodle.sign(claims, { tamper: true });
    assert.equal([...genuine].filter((c, i) => c !== tampered[i]).length, 1);
    assert.equal(genuine.split('.').slice(0, 2).join('.'), tampered.split('.').slice(0, 2).join('.'));
    await assert.rejects(jose.jwtVerify(tampered, keySet), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    await assert.rejects(jose.jwtVerify(await moodle.sign(claims, { kid: 'no-such-kid' }), keySet), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('the authorization endpoint delivers a forged token when told to', async () => {
    moodle.forgeIdToken = (c, p) => p.sign(c, { alg: 'none' });
    try {
      const { received } = await launchThrough(tool, moodle.loginParams({ user: aigul }));
      assert.equal(jose.decodeProtectedHeader(received.id_token).alg, 'none');
      assert.equal(jose.decodeJwt(received.id_token).nonce, tool.logins.get(received.state).nonce);
    } finally {
      moodle.forgeIdToken = null;
    }
  });
});

describe('the key set', () => {
  test('lists the current key; rotation replaces it unless the old one is kept', async () => {
    const platform = await startPlatform({ flavour: 'canvas', toolUrl: tool.url });
    try {
      const first = platform.currentKey.kid;
      assert.match(first, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'Canvas names keys by their time');
      const before = platform.jwksRequests;
      const kids = async () => (await (await fetch(platform.jwksUrl)).json()).keys.map((k) => k.kid);
      assert.deepEqual(await kids(), [first]);
      const second = await platform.rotateKey();
      assert.notEqual(second, first);
      assert.deepEqual(await kids(), [second]);
      const third = await platform.rotateKey({ keepOld: true });
      assert.deepEqual(await kids(), [third, second]);
      assert.equal(platform.jwksRequests - before, 3);
      platform.jwksMode = 'down';
      assert.equal((await fetch(platform.jwksUrl)).status, 503);
    } finally {
      await platform.stop();
    }
  });

  test('slow: nothing within a reader\'s timeout; huge: megabytes without an end in sight', async () => {
    const platform = await startPlatform({ flavour: 'moodle', toolUrl: tool.url });
    try {
      platform.jwksMode = 'slow';
      await assert.rejects(fetch(platform.jwksUrl, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
      platform.jwksMode = 'huge';
      const response = await fetch(platform.jwksUrl);
      assert.equal(response.headers.get('content-length'), null);
      const reader = response.body.getReader();
      let size = 0;
      while (size < 4 * 1024 * 1024) {
        const { value, done } = await reader.read();
        assert.equal(done, false, `the body ended after ${size} bytes`);
        size += value.length;
      }
      await reader.cancel();
    } finally {
      await platform.stop();
    }
  });
});

/** Invented members: Kazakh given names and patronymic surnames. */
function people(count) {
  const given = ['Айгүл', 'Ержан', 'Гүлнар', 'Нұрлан', 'Әсел', 'Бауыржан', 'Сәуле', 'Дәурен', 'Жанар', 'Қанат', 'Мәдина', 'Серік'];
  const family = ['Серікқызы', 'Болатұлы', 'Әбдірахманова', 'Қасымов', 'Төлегенова', 'Жұмабеков'];
  return Array.from({ length: count }, (_, i) => {
    const g = given[i % given.length];
    const f = family[Math.floor(i / given.length) % family.length];
    return { id: String(100 + i), name: `${g} ${f}`, given: g, family: f, email: `member${i}@example.kz` };
  });
}

describe('names and roles', () => {
  for (const flavour of ['moodle', 'canvas']) {
    test(`${flavour}: pages followed by rel="next" give every member once`, async () => {
      const platform = flavour === 'moodle' ? moodle : canvas;
      const members = people(23).map((user, i) => ({ user, role: i < 2 ? 'instructor' : 'learner' }));
      platform.members('5', members);
      platform.membersPerPage = 10;
      const token = await accessToken(platform, tool, [SCOPES.nrps]);
      const url = platform.claims({ user: members[0].user, context: '5' })[NRPS].context_memberships_url;
      assert.equal((await fetch(url)).status, flavour === 'moodle' ? 403 : 401, 'no token, no members');
      const seen = [];
      let next = url;
      let pages = 0;
      while (next) {
        const headers = { Authorization: `Bearer ${token}`, Accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' };
        const response = await fetch(next, { headers });
        assert.equal(response.status, 200, `page ${pages + 1}: ${await response.clone().text()}`);
        assert.equal(response.headers.get('content-type'), 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
        const body = await response.json();
        assert.equal(body.context.id, platform.ltiContextId('5'));
        seen.push(...body.members.map((m) => m.user_id));
        next = links(response.headers.get('link')).next;
        pages += 1;
        assert.ok(pages <= 5, 'paging ends');
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 23);
      assert.deepEqual([...seen].sort(), members.map((m) => platform.subject(m.user)).sort());
      const learnerRole = flavour === 'moodle' ? 'Learner' : `${LIS}membership#Learner`;
      const firstPage = await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json();
      assert.deepEqual(firstPage.members[2].roles, [learnerRole]);
      platform.membersPerPage = 0;
    });
  }
});

describe('scores', () => {
  const score = (userId, timestamp, scoreGiven = 8) => ({
    userId,
    scoreGiven,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp,
    comment: 'Сабақтардың 8-іне қатысты',
  });
  const post = (url, token, body, type = 'application/vnd.ims.lis.v1.score+json') =>
    fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: JSON.stringify(body) });
  /** The score service of a line item: its path + /scores, the query string kept after it. */
  const scoresUrl = (lineitem) => {
    const u = new URL(lineitem);
    u.pathname += '/scores';
    return u.href;
  };

  test('Moodle: a score posted to the line item URL with its query string lands; older ones and bad URLs do not', async () => {
    moodle.members('7', [{ user: aigul, role: 'learner' }, { user: erzhan, role: 'instructor' }]);
    const lineitem = moodle.claims({ user: aigul, context: '7', resourceLink: { id: '9', title: 'Қатысу' } })[AGS].lineitem;
    assert.match(lineitem, /\/lineitem\?type_id=1$/);
    const token = await accessToken(moodle, tool, [SCOPES.score]);
    const sub = moodle.subject(aigul);
    const at = '2024-05-14T09:30:00.000Z';
    const url = scoresUrl(lineitem);
    assert.match(url, /\/lineitem\/scores\?type_id=1$/);
    const landed = await post(url, token, score(sub, at));
    assert.equal(landed.status, 200, await landed.clone().text());
    assert.deepEqual(moodle.result(lineitem, sub), score(sub, at));
    assert.equal(moodle.scores.at(-1).accepted, true);
    assert.equal((await post(url, token, score(sub, at, 9))).status, 409, 'as old as the stored one');
    assert.equal((await post(url, token, score(sub, '2024-05-14T09:00:00Z', 9))).status, 409, 'older than the stored one');
    assert.equal(moodle.result(lineitem, sub).scoreGiven, 8);
    assert.equal((await post(`${lineitem}/scores`, token, score(sub, '2024-05-15T09:00:00Z'))).status, 405, 'the query string swallowed /scores');
    assert.equal((await post(url.replace(/\?.*$/, ''), token, score(sub, '2024-05-15T09:00:00Z'))).status, 403, 'without type_id');
    assert.equal((await post(url, token, score(sub, '2024-05-15T09:00:00Z'), 'application/json')).status, 400, 'Moodle wants the score media type');
    assert.equal((await post(url, token, score(sub, '2024-05-15T09:00:00Z', 11))).status, 400, 'above scoreMaximum');
    assert.equal((await post(url, token, score(moodle.subject(erzhan), '2024-05-15T09:00:00Z'))).status, 400, 'an instructor is not graded');
    assert.equal((await post(url, token, { ...score(sub, 'yesterday') })).status, 400, 'not ISO 8601');
    assert.equal((await post(url, 'not-a-token', score(sub, '2024-05-15T09:00:00Z'))).status, 401);
    moodle.agsDown = true;
    assert.equal((await post(url, token, score(sub, '2024-05-15T09:00:00Z'))).status, 503);
    moodle.agsDown = false;
    assert.equal((await post(url, token, score(sub, '2024-05-15T09:00:00Z', 9))).status, 200);
    assert.equal(moodle.result(lineitem, sub).scoreGiven, 9);
  });

  test('Canvas: a score answers its result URL; an older one is refused with 400, an equal one taken', async () => {
    const lineitem = canvas.claims({ user: aigul, context: '8' })[AGS].lineitem;
    const token = await accessToken(canvas, tool, [SCOPES.score, SCOPES.lineitem]);
    const sub = canvas.subject(aigul);
    const url = scoresUrl(lineitem);
    const landed = await post(url, token, score(sub, '2024-05-14T09:30:00Z'));
    assert.equal(landed.status, 200);
    assert.match((await landed.json()).resultUrl, /\/results\/\d+$/);
    assert.equal((await post(url, token, score(sub, '2024-05-14T09:00:00Z'))).status, 400);
    assert.equal((await post(url, token, score(sub, '2024-05-14T09:30:00Z', 9))).status, 200);
    const { scoreMaximum, ...withoutMaximum } = score(sub, '2024-05-14T10:00:00Z');
    assert.equal(scoreMaximum, 10);
    assert.equal((await post(url, token, withoutMaximum)).status, 422);
    const items = await fetch(`${canvas.url}/api/lti/courses/8/line_items`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(items.headers.get('content-type'), 'application/vnd.ims.lis.v2.lineitemcontainer+json');
    assert.deepEqual((await items.json()).map((i) => i.id), [lineitem]);
  });
});

describe('the token endpoint', () => {
  const ask = async (platform, assertion, { scope = SCOPES.score, type = 'application/x-www-form-urlencoded' } = {}) => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    });
    const response = await fetch(platform.tokenUrl, { method: 'POST', headers: { 'Content-Type': type }, body: body.toString() });
    return { status: response.status, body: await response.json() };
  };

  test('grants a good assertion and refuses bad ones', async () => {
    const good = await ask(moodle, await tool.assertion(moodle));
    assert.equal(good.status, 200);
    assert.equal(good.body.token_type, 'Bearer');
    assert.equal(good.body.scope, SCOPES.score);
    assert.equal(good.body.expires_in, 3600);
    const foreignKey = (await jose.generateKeyPair('RS256')).privateKey;
    const reused = await tool.assertion(moodle);
    assert.equal((await ask(moodle, reused)).status, 200);
    const now = Math.floor(Date.now() / 1000);
    for (const [why, assertion] of [
      ['signed with a key the tool does not publish', await tool.assertion(moodle, { key: foreignKey })],
      ['aud is not the token URL', await tool.assertion(moodle, { claims: { aud: moodle.authUrl } })],
      ['iss is not the client id', await tool.assertion(moodle, { claims: { iss: 'someone-else' } })],
      ['expired', await tool.assertion(moodle, { claims: { iat: now - 600, exp: now - 300 } })],
      ['no jti', await tool.assertion(moodle, { claims: { jti: undefined } })],
      ['a jti used before', reused],
    ]) {
      const refused = await ask(moodle, assertion);
      assert.equal(refused.status, 400, why);
      assert.equal(refused.body.error, 'invalid_client', why);
    }
    assert.equal((await ask(moodle, await tool.assertion(moodle), { type: 'application/json' })).status, 400, 'a JSON body');
    assert.equal((await ask(moodle, await tool.assertion(moodle), { scope: 'https://example.kz/nothing' })).body.error, 'invalid_scope');
  });

  test('Moodle grants the permitted part of the scopes asked, Canvas refuses the whole request', async () => {
    const scope = `${SCOPES.score} https://example.kz/unknown`;
    const partly = await ask(moodle, await tool.assertion(moodle), { scope });
    assert.equal(partly.status, 200);
    assert.equal(partly.body.scope, SCOPES.score);
    const whole = await ask(canvas, await tool.assertion(canvas), { scope });
    assert.equal(whole.status, 400);
    assert.equal(whole.body.error, 'invalid_scope');
    assert.ok(whole.body.error_description);
  });
});

describe('the course page', () => {
  test('embeds the tool in an iframe whose first document posts the login initiation', async () => {
    moodle.addUser(aigul);
    const page = await (await fetch(`${moodle.url}/course/2?user=${aigul.id}&role=instructor`)).text();
    const src = /<iframe name="tool"[^>]*src="([^"]+)"/.exec(page);
    assert.ok(src, page);
    assert.doesNotMatch(page, /post_message_forwarding/, 'Moodle has no storage frame');
    const first = parseAutoPostForm(await (await fetch(new URL(src[1].replace(/&amp;/g, '&'), moodle.url))).text());
    assert.equal(first.action, `${tool.url}/lti/login`);
    assert.equal(first.method, 'post');
    assert.equal(first.fields.login_hint, aigul.id);
    assert.ok(JSON.parse(first.fields.lti_message_hint).launchid);
  });

  const modules = process.env.QATYSU_NODE_MODULES;
  const skip = !modules && 'no QATYSU_NODE_MODULES (playwright-core)';
  test('answers Platform Storage messages in chromium as Canvas does; Moodle\'s page does not', { skip }, async () => {
    const { chromium } = createRequire(join(modules, 'noop.js'))('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.QATYSU_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const results = async (platform) => {
        platform.addUser(erzhan);
        const page = await browser.newPage();
        await page.goto(`${platform.url}/course/2?user=${erzhan.id}&role=learner`);
        const frame = page.frame({ name: 'tool' });
        try {
          await frame.waitForSelector('body[data-done]', { state: 'attached', timeout: 15000 });
        } catch (error) {
          throw new Error(`the tool frame did not finish: ${await frame.content()} (${error.message})`);
        }
        return { page, results: await frame.evaluate(() => window.toolResults) };
      };
      const { page, results: got } = await results(canvas);
      assert.deepEqual(got.capabilities.supported_messages.map((m) => [m.subject, m.frame ?? null]), [
        ['lti.capabilities', null],
        ['lti.put_data', 'post_message_forwarding'],
        ['lti.get_data', 'post_message_forwarding'],
      ]);
      assert.equal(got.capabilities.message_id, 'c-1');
      assert.deepEqual(got.put, { subject: 'lti.put_data.response', message_id: 'p-1', key: 'state-abc', value: 'abc' });
      assert.deepEqual(got.get, { subject: 'lti.get_data.response', message_id: 'g-1', key: 'state-abc', value: 'abc' });
      assert.equal(got.absent.value, null);
      assert.equal(got.noKey.error.code, 'bad_request');
      assert.equal(got.unknown.error.code, 'unsupported_subject');
      const stored = await page.evaluate(() => Object.keys(localStorage));
      assert.deepEqual(stored, [`lti|platform_storage|${tool.url}|state-abc`], 'kept per origin');
      const foreign = await page.evaluate(
        () =>
          new Promise((resolve) => {
            addEventListener('message', (e) => e.data.subject === 'lti.get_data.response' && resolve(e.data));
            postMessage({ subject: 'lti.get_data', message_id: 'w-1', key: 'state-abc' }, '*');
          }),
      );
      assert.equal(foreign.error.code, 'wrong_origin', 'a message from another origin');
      const { results: none } = await results(moodle);
      assert.equal(none.capabilities, null, 'Moodle answers no postMessage');
    } finally {
      await browser.close();
    }
  });
});
