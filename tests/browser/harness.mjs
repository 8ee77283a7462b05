// What every browser test stands on: a throwaway database on the MariaDB of QATYSU_TEST_DB_URL,
// migrated and (optionally) loaded with the demo data by the real `qatysu` CLI, the real
// `qatysu-server` on a free loopback port serving the built web app, and Debian's chromium driven by
// playwright-core. Set by tests/browser/CMakeLists.txt: QATYSU_BIN_DIR, QATYSU_WEB_DIR,
// QATYSU_NODE_MODULES, QATYSU_SCREENSHOT_DIR, QATYSU_CHROMIUM.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through ctest (./deploy/test)`);
  return value;
}

const binDir = () => required('QATYSU_BIN_DIR');

/** playwright-core, installed by CMake from tests/browser/package-lock.json into the build tree. */
export function playwright() {
  const require = createRequire(join(required('QATYSU_NODE_MODULES'), 'noop.js'));
  return require('playwright-core');
}

/** "mariadb://user[:password]@host:port" → its parts. */
function parseDbUrl(url) {
  const match = /^mariadb:\/\/([^:@/]+)(?::([^@/]*))?@([^:/]+):(\d+)\/?$/.exec(url);
  if (!match) throw new Error(`QATYSU_TEST_DB_URL must look like mariadb://user[:password]@host:port, not ${url}`);
  return { user: match[1], password: match[2] ? decodeURIComponent(match[2]) : '', host: match[3], port: match[4] };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A database on the test MariaDB, made with a unique name; query(sql) answers rows of strings. */
class TestDatabase {
  constructor(prefix) {
    this.server = parseDbUrl(required('QATYSU_TEST_DB_URL'));
    this.name = `browser_${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  }

  get url() {
    const { user, password, host, port } = this.server;
    const secret = password ? `:${encodeURIComponent(password)}` : '';
    return `mariadb://${user}${secret}@${host}:${port}/${this.name}`;
  }

  async execute(sql, database = '') {
    const { user, password, host, port } = this.server;
    const args = ['--protocol=TCP', '-h', host, '-P', port, '-u', user, '--batch', '--skip-column-names', '-e', sql];
    if (database) args.push(database);
    const { stdout } = await run('mariadb', args, { env: { ...process.env, MYSQL_PWD: password } });
    return stdout;
  }

  async create() {
    await this.execute(`CREATE DATABASE \`${this.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }

  async drop() {
    await this.execute(`DROP DATABASE IF EXISTS \`${this.name}\``);
  }

  /** Rows of `sql` in this database, each an array of column texts. */
  async query(sql) {
    const out = await this.execute(sql, this.name);
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('\t'));
  }
}

/**
 * Starts a service for one test file: database, migrations, an admin account, the demo data when
 * `demo` (with its trainer and learner accounts), and qatysu-server on a free port.
 * Answers {url, db, accounts: {login: password}, cli(args, input), stop()}.
 */
export async function startService({ prefix, demo = true, settings = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `qatysu-browser-${prefix}-`));
  const db = new TestDatabase(prefix);
  await db.create();
  const env = { ...process.env, QATYSU_DB_URL: db.url };
  const cli = async (args, input = '') => {
    return new Promise((resolve, reject) => {
      const child = spawn(join(binDir(), 'qatysu'), args, { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`qatysu ${args.join(' ')} exited ${code}: ${stderr || stdout}`));
      });
      child.stdin.end(input);
    });
  };

  const accounts = {};
  let server = null;
  const stop = async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.kill('SIGKILL');
          resolve();
        }, 10000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await db.drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await cli(['migrate']);
    accounts.admin = `pw-${randomBytes(9).toString('hex')}`;
    await cli(['user', 'add', '--role', 'admin', '--login', 'admin', '--name', 'Demo Administrator'], `${accounts.admin}\n`);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const key = join(dir, 'signing.key');
    if (demo) {
      const accountsFile = join(dir, 'demo-accounts.txt');
      await cli(['demo', 'load', '--as', 'admin', '--accounts-file', accountsFile, '--key', key, '--public-url', url]);
      for (const line of readFileSync(accountsFile, 'utf8').split('\n')) {
        const [login, password] = line.trim().split(/\s+/);
        if (login && password) accounts[login] = password;
      }
    }
    const config = {
      'http.address': '127.0.0.1',
      'http.port': String(port),
      'certificates.key_file': key,
      'lti.key_file': join(dir, 'lti-keys.json'),
      'certificates.public_url': url,
      'web.asset_dir': required('QATYSU_WEB_DIR'),
      ...settings,
    };
    const configFile = join(dir, 'qatysu.properties');
    writeFileSync(configFile, Object.entries(config).map(([k, v]) => `${k} = ${v}\n`).join(''));
    server = spawn(join(binDir(), 'qatysu-server'), [`--config=${configFile}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`qatysu-server did not start:\n${output}`)), 30000);
      const watch = (chunk) => {
        output += chunk;
        if (output.includes('listening on http://')) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout.on('data', watch);
      server.stderr.on('data', watch);
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`qatysu-server exited with ${code}:\n${output}`));
      });
    });
    return { url, db, accounts, cli, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's chromium, headless, with nothing that reaches outside the machine. */
export async function launchBrowser() {
  return playwright().chromium.launch({
    executablePath: process.env.QATYSU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A new page in its own browser context (own cookies and storage). `viewport` defaults to a
 * 360 × 740 phone; `locale` sets navigator.language (the app's first language guess).
 * Requests leaving 127.0.0.1 are aborted and listed in page.outsideRequests. `bypassCSP` only for
 * tests that inject a script (accessibilityViolations). `serviceWorkers: 'block'` keeps the app's
 * service worker out (to measure what the network carries).
 */
export async function newPage(
  browser,
  { viewport = { width: 360, height: 740 }, locale = 'kk-KZ', bypassCSP = false, serviceWorkers = 'allow' } = {},
) {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true, bypassCSP, serviceWorkers });
  // Two suites share two cores with their servers and MariaDB: a wait for a state may take longer
  // than Playwright's 30 s there without anything being wrong. Explicit timeouts stay as written.
  context.setDefaultTimeout(60000);
  const outside = [];
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/]).*/, (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.outsideRequests = outside;
  return page;
}

/** Signs in through the login page's first form (inputs named login and password). */
export async function signIn(page, service, login, password = service.accounts[login]) {
  await page.goto(`${service.url}/app/login`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form').first().locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/app/login') && url.pathname !== '/');
}

/** Saves a PNG of the whole page as <QATYSU_SCREENSHOT_DIR>/<name>.png; answers the path. */
export async function screenshot(page, name) {
  const dir = required('QATYSU_SCREENSHOT_DIR');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * An API client signed in as `login` with a bearer token (not the browser's cookie), for checking
 * on the server what the browser did: get/post/put/patch(path, body) → {status, json, text}.
 */
export async function apiAs(service, login, password = service.accounts[login]) {
  const call = async (method, path, body, token) => {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text, headers: response.headers };
  };
  const login_answer = await call('POST', '/auth/login', { login, password });
  if (login_answer.status !== 200) throw new Error(`cannot sign in as ${login}: ${login_answer.text}`);
  const token = login_answer.json.token;
  return {
    token,
    account: login_answer.json.account,
    get: (path) => call('GET', path, undefined, token),
    post: (path, body = {}) => call('POST', path, body, token),
    put: (path, body) => call('PUT', path, body, token),
    patch: (path, body) => call('PATCH', path, body, token),
  };
}

/** Every locality `client` (an apiAs client) can read, walked from the roots through ?parent=. */
export async function allLocalities(client) {
  const found = [];
  let level = (await client.get('/localities')).json.items;
  while (level.length > 0) {
    found.push(...level);
    const next = [];
    for (const locality of level) next.push(...(await client.get(`/localities?parent=${locality.id}`)).json.items);
    level = next;
  }
  return found;
}

/** The three languages, for tests that run once per language. */
export const languages = ['kk', 'ru', 'en'];

/** Switches the app's language with the header's language buttons (each has lang="kk" etc.). */
export async function chooseLanguage(page, lang) {
  await page.locator(`.language-switch button[lang="${lang}"]`).click();
  await page.waitForFunction((code) => document.documentElement.lang === code, lang);
}

/**
 * Runs axe-core (the accessibility engine, from tests/browser/package-lock.json) on the page
 * against WCAG 2.1 A and AA, colour contrast included; answers the violations. The page's
 * context must have been made with bypassCSP, since axe is injected as a script.
 */
export async function accessibilityViolations(page) {
  const require = createRequire(join(required('QATYSU_NODE_MODULES'), 'noop.js'));
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1).join(' ')}`),
  }));
}
