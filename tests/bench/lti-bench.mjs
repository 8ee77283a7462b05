// LTI launches against the real server, with the platform emulator as Moodle: the login
// (POST /lti/login: platform lookup, sealed state, the page) and the launch (POST /lti/launch:
// state, RS256 signature with the kept key set, the claims' checks, the nonce written once, the
// account looked up, a session token stored), each timed per request from this client on the
// loopback, and launches per second at a given concurrency. The id_tokens are signed before the
// clock starts (signing is the platform's work, not the tool's). Run by tests/bench/run-lti-bench.
import { apiAs, startService } from '../browser/harness.mjs';
import { sampleUsers, startPlatform } from '../lti/platform.mjs';

const launches = Number(process.env.BENCH_LAUNCHES || 4000);
const concurrency = Number(process.env.BENCH_CONCURRENCY || 16);
const users = 200;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const form = (fields, cookie) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
  body: new URLSearchParams(fields).toString(),
});

const service = await startService({ prefix: 'ltibench', demo: false });
const platform = await startPlatform({ flavour: 'moodle', toolUrl: service.url });
try {
  const admin = await apiAs(service, 'admin');
  await admin.post('/lti/platforms', platform.registration());
  const people = Array.from({ length: users }, (_, i) => ({ ...sampleUsers[i % sampleUsers.length], id: String(1000 + i) }));

  /** The login: answers what the launch needs (state, nonce, the cookie) and the time it took. */
  const login = async (user) => {
    const started = performance.now();
    const response = await fetch(`${service.url}/lti/login`, form(platform.loginParams({ user, role: 'instructor' })));
    const page = await response.text();
    const took = performance.now() - started;
    if (response.status !== 200) throw new Error(`login answered ${response.status}: ${page.slice(0, 200)}`);
    const auth = new URL(/data-auth="([^"]*)"/.exec(page)[1].replace(/&amp;/g, '&'));
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return { took, state: auth.searchParams.get('state'), nonce: auth.searchParams.get('nonce'), cookie, user };
  };
  const launch = async (prepared) => {
    const started = performance.now();
    const response = await fetch(`${service.url}/lti/launch`, form({ id_token: prepared.token, state: prepared.state }, prepared.cookie));
    const page = await response.text();
    const took = performance.now() - started;
    if (response.status !== 200 || !page.includes('data-token=')) throw new Error(`launch answered ${response.status}: ${page.slice(0, 300)}`);
    return took;
  };
  const pool = async (items, work) => {
    const results = new Array(items.length);
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const at = next++;
        results[at] = await work(items[at]);
      }
    }));
    return results;
  };

  // Warm up: every user's first launch makes their account; the key set is fetched once.
  const first = await pool(people, login);
  for (const p of first) p.token = await platform.sign(platform.claims({ user: p.user, role: 'instructor', nonce: p.nonce, context: false }));
  await pool(first, launch);

  // Measured: logins, then launches of returning users with the tokens signed beforehand.
  const who = Array.from({ length: launches }, (_, i) => people[i % users]);
  let started = performance.now();
  const logins = await pool(who, login);
  const loginSeconds = (performance.now() - started) / 1000;
  for (const p of logins) p.token = await platform.sign(platform.claims({ user: p.user, role: 'instructor', nonce: p.nonce, context: false }));
  started = performance.now();
  const times = await pool(logins, launch);
  const launchSeconds = (performance.now() - started) / 1000;
  const loginTimes = logins.map((l) => l.took);

  console.log(`| step | requests | p50 (ms) | p99 (ms) | per second (concurrency ${concurrency}) |`);
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| login (POST /lti/login) | ${launches} | ${percentile(loginTimes, 50).toFixed(2)} | ${percentile(loginTimes, 99).toFixed(2)} | ${Math.round(launches / loginSeconds)} |`);
  console.log(`| launch (POST /lti/launch) | ${launches} | ${percentile(times, 50).toFixed(2)} | ${percentile(times, 99).toFixed(2)} | ${Math.round(launches / launchSeconds)} |`);
  const whole = launches / (loginSeconds + launchSeconds);
  console.log(`| login + launch | ${launches} | ${percentile(logins.map((l, i) => l.took + times[i]), 50).toFixed(2)} | ${percentile(logins.map((l, i) => l.took + times[i]), 99).toFixed(2)} | ${Math.round(whole)} |`);
  console.log();
  console.log(`- key set fetches during the run: ${platform.jwksRequests}`);
} finally {
  await platform.stop();
  await service.stop();
}
