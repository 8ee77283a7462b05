// LTI 1.3 launches against the real qatysu-server, with the platform emulator (platform.mjs) as
// Moodle and Canvas: the OIDC login, the launch's checks one by one (each attack its own test),
// the browser binding by cookie and by the platform's LTI storage, and what a launch opens. The
// "browser" here is fetch with a cookie jar that reads the tool's pages as a browser would run
// them (their data-* attributes); the whole path in chromium is tests/browser/lti.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiAs, startService } from '../browser/harness.mjs';
import { parseAutoPostForm, sampleUsers, startPlatform } from './platform.mjs';

let service;
let admin;
let moodle;
let canvas;

before(async () => {
  service = await startService({ prefix: 'lti' });
  admin = await apiAs(service, 'admin');
  moodle = await startPlatform({ flavour: 'moodle', toolUrl: service.url });
  canvas = await startPlatform({ flavour: 'canvas', toolUrl: service.url });
  for (const platform of [moodle, canvas]) {
    const registered = await admin.post('/lti/platforms', platform.registration());
    assert.equal(registered.status, 201, registered.text);
  }
});

after(async () => {
  await moodle?.stop();
  await canvas?.stop();
  await service?.stop();
});

const decode = (text) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);

/** The data-* attributes of the tool page's #step element. */
function step(html) {
  const tag = /<div id="step"([^>]*)>/.exec(html);
  if (!tag) return null;
  const data = {};
  for (const [, name, value] of tag[1].matchAll(/data-([a-z]+)="([^"]*)"/g)) data[name] = decode(value);
  return data;
}

/** What a refusal page says: its reason's code and the log reference. */
function refusal(html) {
  const code = /data-refusal="([a-z_]+)"/.exec(html);
  const reference = /<code id="reference">([^<]+)<\/code>/.exec(html);
  return code ? { code: code[1], reference: reference?.[1] } : null;
}

function form(fields) {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' };
}

/** A browser's cookies for the tool: name → value, from Set-Cookie headers. */
function keep(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}
const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * One launch as a browser makes it: the platform's login initiation to /lti/login, the tool's
 * page (its cookie kept when `cookies`, its secret put into the platform's storage when the page
 * asks), the platform's authorization endpoint and its form post to /lti/launch, the storage step
 * when the tool asks for it. Answers { status, html, refused, handOff: {token, to}, idToken, state }.
 */
async function launch(platform, fields = {}, { cookies = true, storage = true, tamperState = false, replay = null } = {}) {
  const jar = new Map();
  const stored = new Map();
  const login = await fetch(`${service.url}/lti/login`, form(platform.loginParams(fields)));
  const loginPage = await login.text();
  if (login.status !== 200) return { status: login.status, html: loginPage, refused: refusal(loginPage) };
  if (cookies) keep(jar, login);
  const asked = step(loginPage);
  assert.ok(asked?.auth, `the login page has no authorization request: ${loginPage.slice(0, 300)}`);
  if (asked.target && storage) stored.set(asked.key, asked.secret);
  const auth = await fetch(asked.auth);
  const posted = parseAutoPostForm(await auth.text());
  assert.equal(posted.action, `${service.url}/lti/launch`);
  const sent = { ...posted.fields };
  if (tamperState) sent.state = `${sent.state.slice(0, -2)}AA`;
  if (replay) Object.assign(sent, replay);
  const post = async (extra = {}) => {
    const response = await fetch(`${service.url}/lti/launch`, { ...form({ ...sent, ...extra }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(jar.size ? { Cookie: cookieHeader(jar) } : {}) } });
    return { response, html: await response.text() };
  };
  let { response, html } = await post();
  const storageStep = step(html);
  if (response.status === 200 && storageStep?.key && !storageStep.token) {
    ({ response, html } = await post({ browser: stored.get(storageStep.key) ?? '' }));
  }
  const handOff = step(html);
  return { status: response.status, html, refused: refusal(html), handOff: handOff?.token ? handOff : null, idToken: sent.id_token, state: sent.state, jar };
}

async function meWith(token) {
  const response = await fetch(`${service.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, json: await response.json() };
}

const teacher = sampleUsers[1];

/** An API client on a launch's session. */
function clientOf(token) {
  const call = async (method, path, body) => {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null, text };
  };
  return { get: (path) => call('GET', path), post: (path, body = {}) => call('POST', path, body) };
}

const ticketOf = (to) => new URLSearchParams(to.slice(to.indexOf('?'))).get('ticket');

test('a Moodle teacher launches: a trainer account named as Moodle names them, the course linked to a cohort they choose, the same on every launch', async () => {
  const course = { id: '41', label: 'ИЖ-41', title: 'Ауыл жоспары: 2026 көктем' };
  const first = await launch(moodle, { user: teacher, role: 'instructor', locale: 'ru', context: course });
  assert.equal(first.status, 200, first.html.slice(0, 400));
  assert.ok(first.handOff, 'no session was handed to the app');
  assert.match(first.handOff.to, /^\/app\/lti\/course\?ticket=[^&]+&lang=ru&frame=lti$/);
  const me = await meWith(first.handOff.token);
  assert.equal(me.status, 200);
  assert.equal(me.json.account.role, 'trainer');
  assert.equal(me.json.account.display_name, teacher.name);
  const trainer = clientOf(first.handOff.token);
  assert.deepEqual((await trainer.get('/cohorts')).json.items, [], 'a new teacher manages no cohort yet');
  const ticket = ticketOf(first.handOff.to);
  const link = await trainer.get(`/lti/link?ticket=${encodeURIComponent(ticket)}`);
  assert.equal(link.status, 200, link.text);
  assert.equal(link.json.context.title, course.title);
  assert.equal(link.json.cohort_id, null);

  // Someone else's cohort cannot be linked; the teacher's new one can.
  const nura = await apiAs(service, 'trainer.nura');
  const theirs = (await nura.get('/cohorts')).json.items[0];
  assert.equal((await trainer.post('/lti/link', { ticket, cohort_id: theirs.id })).status, 404);
  const courses = (await trainer.get('/courses')).json.items;
  const created = await trainer.post('/cohorts', { course_id: courses[0].id, locality_id: theirs.locality_id, place: 'Аудандық мәдениет үйі', starts_on: '2026-03-02', ends_on: '2026-03-06', language: 'kk' });
  assert.equal(created.status, 201, created.text);
  const linked = await trainer.post('/lti/link', { ticket, cohort_id: created.json.id });
  assert.equal(linked.status, 200, linked.text);
  assert.equal(linked.json.cohort_id, created.json.id);
  // Another account cannot use the ticket.
  assert.equal((await nura.get(`/lti/link?ticket=${encodeURIComponent(ticket)}`)).status, 404);

  const again = await launch(moodle, { user: teacher, role: 'instructor-short', context: course });
  assert.ok(again.handOff, again.html.slice(0, 400));
  assert.equal(again.handOff.to, `/app/cohorts/${created.json.id}?lang=kk&frame=lti`);
  assert.equal((await meWith(again.handOff.token)).json.account.id, me.json.account.id);

  // A second teacher of the course becomes a trainer of its cohort, and of no other.
  const assistant = await launch(moodle, { user: sampleUsers[0], role: 'ta', context: course });
  assert.ok(assistant.handOff, assistant.refused?.code);
  const cohorts = (await clientOf(assistant.handOff.token).get('/cohorts')).json.items.map((c) => c.id);
  assert.deepEqual(cohorts, [created.json.id]);
});

test('a Canvas launch inside an iframe without cookies is bound by the secret kept in the platform storage', async () => {
  const done = await launch(canvas, { user: sampleUsers[2], role: 'instructor' }, { cookies: false });
  assert.equal(done.status, 200, done.html.slice(0, 400));
  assert.ok(done.handOff, `no session: ${done.refused?.code}`);
  // A browser whose storage does not hold the secret is not the one that began the login.
  const other = await launch(canvas, { user: sampleUsers[2], role: 'instructor' }, { cookies: false, storage: false });
  assert.equal(other.refused?.code, 'other_browser');
});

test('without its cookie and without platform storage the launch is refused as coming from another browser', async () => {
  const done = await launch(moodle, { user: teacher, role: 'instructor' }, { cookies: false });
  assert.equal(done.status, 400);
  assert.equal(done.refused?.code, 'other_browser');
  assert.match(service.output(), new RegExp(`launch refused \\[${done.refused.reference}\\].*did not come back to the browser`));
});

test('a replayed launch (the same id_token and state again) is refused: the nonce is used once', async () => {
  const first = await launch(moodle, { user: teacher, role: 'instructor' });
  assert.ok(first.handOff);
  const replayed = await fetch(`${service.url}/lti/launch`, { ...form({ id_token: first.idToken, state: first.state }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(first.jar) } });
  assert.equal(refusal(await replayed.text())?.code, 'replayed_nonce');
});

test('a forged or changed state is refused', async () => {
  const done = await launch(moodle, { user: teacher, role: 'instructor' }, { tamperState: true });
  assert.equal(done.refused?.code, 'bad_state');
});

/** A launch whose id_token the platform makes with `forge(claims)` instead of signing it properly. */
async function forged(platform, forge, fields = { user: teacher, role: 'instructor' }) {
  platform.forgeIdToken = forge;
  try {
    return await launch(platform, fields);
  } finally {
    platform.forgeIdToken = null;
  }
}

test('each attack on the id_token is refused for what it is, and the log says so', async (t) => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases = [
    ['a changed signature', (c, p) => p.sign(c, { tamper: true }), 'bad_signature'],
    ['alg none', (c, p) => p.sign(c, { alg: 'none' }), 'bad_token'],
    ['HS256 keyed with the public key (PEM)', (c, p) => p.sign(c, { alg: 'HS256', key: 'pem' }), 'bad_token'],
    ['HS256 keyed with the public key (JWK)', (c, p) => p.sign(c, { alg: 'HS256', key: 'jwk' }), 'bad_token'],
    ['a key the platform does not publish, under its kid', (c, p) => p.sign(c, { key: 'foreign' }), 'bad_signature'],
    ['expired', (c, p) => p.sign({ ...c, iat: now() - 120, exp: now() - 60 }), 'expired'],
    ['issued 95 s in the future', (c, p) => p.sign({ ...c, iat: now() + 95, exp: now() + 155 }), 'issued_in_future'],
    ['another audience', (c, p) => p.sign({ ...c, aud: 'someone-else' }), 'wrong_audience'],
    ['several audiences without azp', (c, p) => p.sign({ ...c, aud: [p.clientId, 'other'], azp: undefined }), 'azp_required'],
    ['an unknown deployment', (c, p) => p.sign({ ...c, 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': '99' }), 'unknown_deployment'],
    ['another nonce', (c, p) => p.sign({ ...c, nonce: 'not-the-login-one' }), 'wrong_nonce'],
    ['another issuer', (c, p) => p.sign({ ...c, iss: 'https://evil.example' }), 'wrong_issuer'],
  ];
  for (const [name, forge, code] of cases) {
    await t.test(name, async () => {
      const done = await forged(moodle, forge);
      assert.equal(done.refused?.code, code, `${name}: ${done.html.slice(0, 300)}`);
      assert.equal(done.handOff, null);
      assert.match(service.output(), new RegExp(`launch refused \\[${done.refused.reference}\\]`));
    });
  }
  assert.match(service.output(), /the platform's clock is 9\d s ahead of this server's/);
});

test('an unknown kid makes the tool fetch the key set once more, then refuse', async () => {
  // The tool fetches a platform's set at most once in 5 s (kRefetchSeconds), so that made-up kids
  // cannot make it hammer the platform: the launches above fetched it just now.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5100));
  await pause();
  const before = moodle.jwksRequests;
  const done = await forged(moodle, (c, p) => p.sign(c, { kid: 'not-published' }));
  assert.equal(done.refused?.code, 'unknown_key');
  assert.equal(moodle.jwksRequests, before + 1);
  // The platform rotates its key: the first launch signed with the new one is accepted.
  // At once again: refused without a fetch.
  const twice = await forged(moodle, (c, p) => p.sign(c, { kid: 'not-published' }));
  assert.equal(twice.refused?.code, 'unknown_key');
  assert.equal(moodle.jwksRequests, before + 1);
  await pause();
  await moodle.rotateKey();
  const rotated = await launch(moodle, { user: teacher, role: 'instructor' });
  assert.ok(rotated.handOff, rotated.refused?.code);
});

test('a key set that times out or is huge is refused in bounded time, saying why', async () => {
  const slow = await startPlatform({ flavour: 'moodle', toolUrl: service.url });
  const huge = await startPlatform({ flavour: 'moodle', toolUrl: service.url });
  try {
    for (const platform of [slow, huge]) assert.equal((await admin.post('/lti/platforms', platform.registration(`Moodle ${platform.url}`))).status, 201);
    slow.jwksMode = 'slow';
    huge.jwksMode = 'huge';
    const started = Date.now();
    const late = await launch(slow, { user: teacher, role: 'instructor' });
    assert.equal(late.refused?.code, 'keys_unavailable');
    assert.ok(Date.now() - started < 15000, `the slow key set held the launch ${Date.now() - started} ms`);
    const big = await launch(huge, { user: teacher, role: 'instructor' });
    assert.equal(big.refused?.code, 'keys_unavailable');
    assert.match(service.output(), /timed out after 5000 ms/);
    assert.match(service.output(), /larger than \d+ bytes/);
  } finally {
    await slow.stop();
    await huge.stop();
  }
});

test('a login from an unknown issuer or for an unknown deployment is refused in the user\'s language', async () => {
  const stranger = await fetch(`${service.url}/lti/login`, { ...form({ iss: 'https://unknown.example', login_hint: '1', target_link_uri: `${service.url}/lti/launch` }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'ru-RU,ru;q=0.9' } });
  const page = await stranger.text();
  assert.equal(stranger.status, 400);
  assert.equal(refusal(page)?.code, 'unknown_platform');
  assert.match(page, /<html lang="ru"/);
  assert.match(page, /неправильно зарегистрирована/);
  const fields = { ...moodle.loginParams({ user: teacher, role: 'instructor' }), lti_deployment_id: '77' };
  const deployment = await fetch(`${service.url}/lti/login`, { ...form(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'kk' } });
  const kazakh = await deployment.text();
  assert.equal(refusal(kazakh)?.code, 'unknown_deployment');
  assert.match(kazakh, /<html lang="kk"/);
  assert.match(service.output(), /unknown deployment "77"/);
});

test('a role that is neither teacher nor learner opens nothing', async () => {
  const done = await forged(moodle, (c, p) => p.sign({ ...c, 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'] }));
  assert.equal(done.status, 403);
  assert.equal(done.refused?.code, 'unsupported_role');
});

test('the pages of a launch may be framed by the registered platforms only', async () => {
  const login = await fetch(`${service.url}/lti/login`, form(moodle.loginParams({ user: teacher, role: 'instructor' })));
  const policy = login.headers.get('content-security-policy');
  assert.match(policy, new RegExp(`frame-ancestors 'self' ${new URL(moodle.authUrl).origin}`));
  assert.equal(login.headers.get('x-frame-options'), null);
  const app = await fetch(`${service.url}/app`);
  assert.match(app.headers.get('content-security-policy'), new RegExp(`frame-ancestors 'self' .*${new URL(moodle.authUrl).origin}`));
  const api = await fetch(`${service.url}/api/v1/me`);
  assert.equal(api.headers.get('x-frame-options'), 'DENY');
});

test('a learner linked by an administrator opens their own page, and nothing of a trainer', async () => {
  const learner = sampleUsers[0];
  const learnerAccount = (await admin.get('/accounts?role=learner')).json.items.find((a) => a.login === 'learner.demo');
  assert.ok(learnerAccount, 'no demo learner account');
  const subject = moodle.subject({ ...learner, id: '77' });
  // Only an administrator links, and only to an account that exists.
  const nura = await apiAs(service, 'trainer.nura');
  const platformId = (await admin.get('/lti/platforms')).json.items.find((p) => p.issuer === moodle.issuer).id;
  assert.equal((await nura.post(`/lti/platforms/${platformId}/users`, { subject, account_id: learnerAccount.id })).status, 403);
  assert.equal((await admin.post(`/lti/platforms/${platformId}/users`, { subject, account_id: 999999 })).status, 422);
  const linked = await admin.post(`/lti/platforms/${platformId}/users`, { subject, account_id: learnerAccount.id });
  assert.equal(linked.status, 201, linked.text);
  assert.equal((await admin.post(`/lti/platforms/${platformId}/users`, { subject, account_id: learnerAccount.id })).status, 409);

  const done = await launch(moodle, { user: { ...learner, id: '77' }, role: 'learner', locale: 'en' });
  assert.ok(done.handOff, done.refused?.code);
  assert.equal(done.handOff.to, '/app/my?lang=en&frame=lti');
  const me = clientOf(done.handOff.token);
  assert.equal((await me.get('/me')).json.account.id, learnerAccount.id);
  assert.equal((await me.get('/me/certificates')).status, 200);
  // Trainer and administrator routes are refused to the learner's launch.
  assert.equal((await me.get('/lti/platforms')).status, 403);
  assert.equal((await me.post('/cohorts', { course_id: 1, locality_id: 1, place: 'x', starts_on: '2026-01-01', ends_on: '2026-01-02', language: 'kk' })).status, 403);
  // Nobody else in the room: of their own cohort the learner sees only their own enrolment.
  for (const cohort of (await nura.get('/cohorts')).json.items) {
    const people = await me.get(`/cohorts/${cohort.id}/enrolments`);
    if (people.status === 200) {
      assert.ok(people.json.items.every((e) => e.participant_id === learnerAccount.participant_id), `a learner's launch read others in cohort ${cohort.id}`);
    } else {
      assert.ok([403, 404].includes(people.status), `cohort ${cohort.id}: ${people.status}`);
    }
  }
  // The same user as an instructor of a course is refused: their account is a learner's.
  const teaching = await launch(moodle, { user: { ...learner, id: '77' }, role: 'instructor' });
  assert.equal(teaching.refused?.code, 'learner_account');
});

test("one platform's teacher cannot link their course to another platform's teacher's cohort", async () => {
  const course = { id: '55', label: 'К-55', title: 'Жергілікті бюджет' };
  const moodleTeacher = await launch(moodle, { user: { ...sampleUsers[2], id: '88' }, role: 'instructor', context: course });
  const moodleClient = clientOf(moodleTeacher.handOff.token);
  const nura = await apiAs(service, 'trainer.nura');
  const theirs = (await nura.get('/cohorts')).json.items[0];
  const created = await moodleClient.post('/cohorts', { course_id: theirs.course_id, locality_id: theirs.locality_id, place: 'Ауыл клубы', starts_on: '2026-04-06', ends_on: '2026-04-10', language: 'ru' });
  assert.equal(created.status, 201, created.text);
  const canvasTeacher = await launch(canvas, { user: { ...sampleUsers[2], id: '88' }, role: 'instructor', context: course });
  assert.ok(canvasTeacher.handOff, canvasTeacher.refused?.code);
  const canvasClient = clientOf(canvasTeacher.handOff.token);
  assert.notEqual((await canvasClient.get('/me')).json.account.id, (await moodleClient.get('/me')).json.account.id, 'the same sub on two platforms is two users');
  const ticket = ticketOf(canvasTeacher.handOff.to);
  assert.equal((await canvasClient.post('/lti/link', { ticket, cohort_id: created.json.id })).status, 404);
  assert.equal((await canvasClient.get(`/cohorts/${created.json.id}`)).status, 404);
  // And the Moodle teacher cannot use the Canvas teacher's ticket.
  assert.equal((await moodleClient.post('/lti/link', { ticket, cohort_id: created.json.id })).status, 404);
});
