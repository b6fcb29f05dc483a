// Test harness: starts a real Writeathon server on a fresh database, drives headless Chromium on
// a phone-sized screen (or a desktop one), and checks pages with axe-core.
//
// The tests never build the app: they run the binary at $WRITEATHON_BIN, or ../target/debug/writeathon.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..'); // browser-tests/
const ARTIFACTS = path.join(ROOT, 'artifacts');

/** The staff account every app starts with (created with the CLI before the server starts). */
export const STAFF = Object.freeze({
  email: 'staff@example.org',
  name: 'Sam Staff',
  password: 'staff keeps the campaign lamps lit 42',
});

/** The administrator every app starts with (webhooks are administrators' only). */
export const ADMIN = Object.freeze({
  email: 'admin@example.org',
  name: 'Ada Admin',
  password: 'admins keep the webhooks humming 42',
});

/** A short random suffix for unique emails, slugs and database names. */
export function randomSuffix() {
  return randomBytes(4).toString('hex');
}

function binaryPath() {
  const bin = process.env.WRITEATHON_BIN
    ? path.resolve(process.env.WRITEATHON_BIN)
    : path.resolve(ROOT, '../target/debug/writeathon');
  if (!existsSync(bin)) {
    throw new Error(
      `Writeathon binary not found at ${bin}. Build it first (cd .. && cargo build) ` +
        'or point WRITEATHON_BIN at one; the browser tests do not build it.',
    );
  }
  return bin;
}

/**
 * The moment every app's clock starts at (`--clock-start`), whatever the calendar says, so the
 * journeys see the same demo on any day: three weeks before the current campaign's global day.
 */
export const TODAY = '2026-11-20T10:00:00Z';
const startedAt = Date.now();

/** Now, on the apps' clock (which started at TODAY when this module loaded, give or take). */
export function appNow() {
  return new Date(Date.parse(TODAY) + (Date.now() - startedAt));
}

/** The environment for the app: ours, less any WRITEATHON_* setting that would override the flags. */
function appEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('WRITEATHON_')) delete env[name];
  }
  env.NO_COLOR = '1'; // plain server logs in failure messages
  env.WRITEATHON_CLOCK_START = appNow().toISOString();
  return env;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(command, args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code ?? signal}:\n${out}`));
    });
    child.stdin.end(input ?? '');
  });
}

function psql(baseUrl, sql) {
  return run('psql', [baseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
}

/** A fresh PostgreSQL database next to the one $WRITEATHON_BROWSER_DATABASE_URL_BASE names. */
async function createDatabase(baseUrl) {
  const name = `writeathon_browser_${randomSuffix()}`;
  await psql(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  url.search = '';
  return {
    url: url.toString(),
    drop: () => psql(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// Servers still running when this process ends (a crash, a Ctrl-C) are stopped with it.
const liveServers = new Set();
process.on('exit', () => {
  for (const child of liveServers) child.kill('SIGKILL');
});

function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function waitForHealth(baseUrl, child, stderr, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `writeathon serve exited (${child.exitCode ?? child.signalCode}) before /healthz answered.\n` +
          `--- server stderr ---\n${stderr()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      lastError = `status ${response.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `writeathon did not answer 200 on ${baseUrl}/healthz within ${timeoutMs / 1000} s (${lastError}).\n` +
      `--- server stderr ---\n${stderr()}`,
  );
}

/**
 * Starts the app on a free port with a fresh database, demo content and one staff account.
 * `lang` only labels the temp dir (one server serves every language; the browser picks).
 * `serverArgs`: more flags for `writeathon serve`, e.g. ['--tile-url', 'none'].
 * Returns { baseUrl, dataDir, databaseUrl, log(), stop() }; stop() fails if the server did not exit 0.
 */
export async function startApp({ lang = 'all', serverArgs = [] } = {}) {
  const bin = binaryPath();
  const env = appEnv();
  const dataDir = await mkdtemp(path.join(tmpdir(), `writeathon-browser-${lang}-`));
  let database = null;
  let child = null;
  let stderrText = '';
  const cleanup = async () => {
    let problem = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
      if (child.exitCode !== 0) {
        problem = `writeathon serve did not stop cleanly on SIGTERM (${child.exitCode ?? child.signalCode}).\n` +
          `--- server log ---\n${stderrText}`;
      }
    }
    if (database) await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    if (problem) throw new Error(problem);
  };
  try {
    const dbArgs = [];
    const base = process.env.WRITEATHON_BROWSER_DATABASE_URL_BASE;
    if (base) {
      database = await createDatabase(base);
      dbArgs.push('--database-url', database.url);
    }

    await run(
      bin,
      ['user', 'add', '--email', STAFF.email, '--name', STAFF.name, '--role', 'staff',
        '--password-stdin', '--data-dir', dataDir, ...dbArgs],
      { input: `${STAFF.password}\n`, env },
    );
    await run(
      bin,
      ['user', 'add', '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin',
        '--password-stdin', '--data-dir', dataDir, ...dbArgs],
      { input: `${ADMIN.password}\n`, env },
    );

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    child = spawn(
      bin,
      ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...dbArgs, '--demo', ...serverArgs],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    liveServers.add(child);
    child.once('exit', () => liveServers.delete(child));
    child.stdout.on('data', (d) => (stderrText += d)); // logs may go to either stream
    child.stderr.on('data', (d) => (stderrText += d));
    await waitForHealth(baseUrl, child, () => stderrText, 20_000);

    return {
      baseUrl,
      dataDir,
      databaseUrl: database?.url ?? null,
      /** Everything the server printed so far (for debugging a failed test). */
      log: () => stderrText,
      stop: cleanup,
    };
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
}

/** Headless Debian Chromium, kept off the network except for our own server. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const expectedLang = new WeakMap(); // BrowserContext -> 'en' | 'fr'
const pageErrors = new WeakMap(); // Page -> [Error]
const scriptless = new WeakMap(); // BrowserContext -> its options, when JavaScript is off

function watchPage(page) {
  const errors = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (err) => errors.push(err));
  page.check = (label, options) => checkPage(page, label, options);
}

/**
 * A new browser context shaped like a phone, speaking `locale` (the app reads Accept-Language),
 * and its first page. Every page of the context has `page.check(label)` = checkPage(page, label).
 * `javaScriptEnabled: false` gives a browser without JavaScript (see checkPage for how its pages
 * are checked). Close it with `page.context().close()`.
 */
export async function newPhonePage(browser, { locale = 'en-GB', javaScriptEnabled = true } = {}) {
  const options = { viewport: PHONE, screen: PHONE, isMobile: true, hasTouch: true, locale };
  return newPageWith(browser, options, { locale, javaScriptEnabled });
}

/** Like newPhonePage, on a 1280×800 desktop screen with a mouse. */
export async function newDesktopPage(browser, { locale = 'en-GB', javaScriptEnabled = true } = {}) {
  const options = { viewport: DESKTOP, screen: DESKTOP, isMobile: false, hasTouch: false, locale };
  return newPageWith(browser, options, { locale, javaScriptEnabled });
}

async function newPageWith(browser, options, { locale, javaScriptEnabled }) {
  const context = await browser.newContext({ ...options, javaScriptEnabled });
  if (!javaScriptEnabled) scriptless.set(context, { browser, options });
  expectedLang.set(context, locale.split('-')[0]);
  context.on('page', watchPage);
  const page = await context.newPage();
  if (!page.check) watchPage(page);
  return page;
}

/**
 * Keeps a context off the network: every request that does not go to `baseUrl` (map tiles, say)
 * fails at once, as it would offline, instead of waiting on DNS. Returns the list (kept up to
 * date) of the URLs it stopped, so a test can assert that a page asked nothing of anyone else.
 */
export async function stayLocal(context, baseUrl) {
  const origin = new URL(baseUrl).origin;
  const stopped = [];
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      stopped.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  return stopped;
}

/** Tells checkPage which language this context's pages should now be in (after a switch). */
export function expectLanguage(page, lang) {
  expectedLang.set(page.context(), lang);
}

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_TIMEOUT_MS = 30_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${JSON.stringify(n.target)}\n      ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${v.id} [${v.impact}]: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * The checks every page must pass: no axe violation of WCAG 2.2 A/AA, no horizontal scroll on
 * the page's screen (phone or desktop), the expected <html lang>, and no uncaught script error.
 *
 * A page of a context without JavaScript is checked through a twin: with JavaScript off the
 * page's timers never fire, and axe needs them (axe.run would wait forever). So its DOM (as the
 * server sent it; no script of the page ran) is copied, without <script> elements, into a twin
 * phone with JavaScript on, whose stylesheets and images still come from the server, and checked there.
 */
export async function checkPage(page, label = page.url(), options = {}) {
  try {
    if (scriptless.has(page.context())) await checkScriptlessPage(page, label, options);
    else await checkPageOrThrow(page, label, options);
  } catch (err) {
    // Keep a picture of the failing page (artifacts/ is git-ignored).
    const name = `${expectedLang.get(page.context()) ?? ''}-${label}`.replace(/[^a-zA-Z0-9-]+/g, '_').slice(0, 80);
    const file = path.join(ARTIFACTS, `${name}.png`);
    try {
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      err.message += `\n(screenshot: ${path.relative(process.cwd(), file)})`;
    } catch {
      // the page may be gone; the assertion message is what matters
    }
    throw err;
  }
}

async function checkScriptlessPage(page, label, { lang } = {}) {
  const { browser, options } = scriptless.get(page.context());
  const address = page.url();
  const html = await page.evaluate(() => {
    const root = document.documentElement.cloneNode(true);
    for (const script of root.querySelectorAll('script')) script.remove();
    return `<!DOCTYPE html>\n${root.outerHTML}`;
  });
  const twin = await browser.newContext(options);
  try {
    expectedLang.set(twin, lang ?? expectedLang.get(page.context()));
    await twin.route(
      (u) => u.href === address,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    const copy = await twin.newPage();
    watchPage(copy);
    await copy.goto(address);
    await checkPageOrThrow(copy, `${label} [without JavaScript]`, { lang });
  } finally {
    await twin.close();
  }
}

async function checkPageOrThrow(page, label, { lang } = {}) {
  const where = `${label} (${page.url()})`;

  const wantLang = lang ?? expectedLang.get(page.context());
  const htmlLang = await page.evaluate(() => document.documentElement.lang);
  assert.equal(htmlLang, wantLang, `${where}: <html lang> is "${htmlLang}", expected "${wantLang}"`);

  // The app's CSP forbids inline scripts, so no <script> tag: evaluate axe's source over CDP.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  }
  // axe.run never settles where the page's timers do not run (JavaScript off): fail, do not hang.
  let timer;
  const results = await Promise.race([
    page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    ),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${where}: axe did not finish within ${AXE_TIMEOUT_MS / 1000} s`)), AXE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(
    results.violations.length,
    0,
    `${where}: ${results.violations.length} axe violation(s):\n${describeViolations(results.violations)}`,
  );

  const screenWidth = page.viewportSize()?.width ?? PHONE.width;
  const width = await page.evaluate((viewportWidth) => {
    const scrollWidth = document.documentElement.scrollWidth;
    const limit = Math.min(window.innerWidth, viewportWidth);
    const wide = [];
    if (scrollWidth > limit) {
      for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > limit + 0.5 && box.width > 0) {
          const id = el.id ? `#${el.id}` : '';
          const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
          const text = el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
          wide.push(`${el.tagName.toLowerCase()}${id}${cls} "${text}" (right edge ${Math.round(box.right)}px)`);
          if (wide.length >= 8) break;
        }
      }
    }
    return { scrollWidth, innerWidth: window.innerWidth, limit, wide };
  }, screenWidth);
  assert.ok(
    width.scrollWidth <= width.limit,
    `${where}: scrolls sideways on a ${screenWidth}px screen: scrollWidth ${width.scrollWidth} > ${width.limit} ` +
      `(innerWidth ${width.innerWidth}); too wide: ${width.wide.join(', ')}`,
  );

  const errors = pageErrors.get(page) ?? [];
  assert.equal(errors.length, 0, `${where}: uncaught script error(s): ${errors.map((e) => e.message).join('; ')}`);
}

/** Submits a form by clicking `button`; returns the POST's response once the next page has loaded. */
export async function submit(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    button.click(),
  ]);
  await page.waitForLoadState();
  return response;
}

/** A message's readable text: quoted-printable soft breaks undone, base64 parts decoded. */
function textOf(raw) {
  let text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const base64Parts = /Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g;
  for (const m of raw.matchAll(base64Parts)) {
    text += Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8');
  }
  return text;
}

/**
 * Waits for a message to `email` holding a link to `linkPath` (the app runs without SMTP, so
 * each message is an .eml file under <data-dir>/outbox/); returns that link, the newest first.
 */
export async function linkFromMail(app, email, linkPath) {
  const outbox = path.join(app.dataDir, 'outbox');
  const pattern = new RegExp(`https?://[^\\s"<>]+${linkPath}[A-Za-z0-9_-]+`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = (await readdir(outbox).catch(() => [])).filter((n) => n.endsWith('.eml')).sort().reverse();
    for (const name of names) {
      const raw = await readFile(path.join(outbox, name), 'utf8');
      if (!raw.includes(email)) continue;
      const found = textOf(raw).match(pattern);
      if (found) return found[0];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no message to ${email} with a ${linkPath} link in ${outbox}`);
}

/** Signs in with a password on /signin (sign-up itself signs nobody in); lands on `next`. */
export async function signInWithPassword(page, app, email, password, next = '/account') {
  await page.goto(`${app.baseUrl}/signin?next=${encodeURIComponent(next)}`);
  await page.locator('form[action="/signin"] input[name="email"]').fill(email);
  await page.locator('form[action="/signin"] input[name="password"]').fill(password);
  const response = await submit(page, page.locator('form[action="/signin"] button[type="submit"]'));
  if (response.status() !== 303) throw new Error(`signing in answered ${response.status()}`);
}

/** The six-digit TOTP code (RFC 6238: SHA-1, 30-second steps) for a base32 key at a moment. */
export function totp(base32Key, at = appNow()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Key.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) key.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const mac = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
