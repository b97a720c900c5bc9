// Starts what the browser tests and the screenshot script need: a real
// `sladesk serve` on a temporary SQLite with demo data (and --test-clock and
// --web-root when this server has them), Debian's Chromium through
// playwright-core, and, when the server cannot serve the app, a local static
// server with an /api proxy (static-proxy.mjs).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticProxy } from './static-proxy.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = resolve(here, '..');
export const repoDir = resolve(webDir, '..');

export function findBinary() {
  const candidates = [process.env.SLADESK_BIN, join(repoDir, 'build/sladesk'), join(repoDir, 'build-test/sladesk'), join(repoDir, 'build-dev/sladesk')].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  return null;
}

/** Which of the flags the web tests want this server knows (from `serve --help`). */
export function serverFeatures(bin) {
  const help = execFileSync(bin, ['serve', '--help'], { encoding: 'utf8' });
  return { testClock: help.includes('--test-clock'), webRoot: help.includes('--web-root') };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];

/** Parses what `serve --demo` prints: the URL, tokens and (when the server has sessions) demo passwords. */
export function parseBanner(text) {
  const url = /sladesk serving (http:\/\/[^\s/]+)/.exec(text)?.[1] ?? null;
  const token = (role) => new RegExp(`${role} token:\\s+(\\S+)`).exec(text)?.[1] ?? null;
  const contactEmail = /contact token:\s+\S+\s+\(([^)]+)\)/.exec(text)?.[1] ?? null;
  // "sign in to the web app with ...:" then one line per demo user: "  agent: alex@sladesk.demo / SECRET".
  const passwords = {};
  const logins = {};
  for (const m of text.matchAll(/^[ \t]+([^:\n]+):[ \t]+(\S+@\S+)[ \t]+\/[ \t]+(\S+)[ \t]*$/gm)) {
    passwords[m[2]] = m[3];
    logins[m[1].trim()] = { email: m[2], password: m[3] };
  }
  return { url, admin: token('admin'), agent: token('agent'), contact: token('contact'), contactEmail, passwords, logins };
}

export async function startServer({ extraArgs = [], env = {} } = {}) {
  const bin = findBinary();
  if (!bin) throw new Error('no sladesk binary: build it (make build) or set SLADESK_BIN');
  const features = serverFeatures(bin);
  const tmp = mkdtempSync(join(tmpdir(), 'sladesk-web-'));
  const args = ['serve', '--demo', '--port', '0', '--db', `sqlite:${join(tmp, 'desk.db')}`, '--policies', join(repoDir, 'policies')];
  if (features.testClock) args.push('--test-clock');
  if (features.webRoot) args.push('--web-root', join(webDir, 'dist'));
  args.push(...extraArgs);
  const proc = spawn(bin, args, { cwd: tmp, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The server never outlives this process, even when a test throws.
  const killOnExit = () => proc.exitCode === null && proc.kill('SIGKILL');
  process.on('exit', killOnExit);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const banner = await new Promise((resolveBanner, reject) => {
    const timer = setTimeout(() => reject(new Error(`sladesk did not print its URL in 60 s:\n${out}\n${err}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      // The banner ends with the web app's line (--web-root) or the demo sign-ins.
      const done = features.webRoot ? /web app: .*\n/.test(out) : /try: curl.*\n/.test(out);
      if (done && /sladesk serving/.test(out)) {
        clearTimeout(timer);
        setTimeout(() => resolveBanner(parseBanner(out)), 100);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sladesk exited with ${code}:\n${out}\n${err}`));
    });
  });
  // A server that dies under the tests says why (its exit and its stderr), once.
  proc.on('exit', (code, signal) => {
    if (!stopping) console.error(`sladesk exited during the tests (code ${code}, signal ${signal}); its stderr:\n${err.slice(-4000)}`);
  });
  let stopping = false;
  let appUrl = banner.url;
  let proxy = null;
  if (!features.webRoot) {
    proxy = await startStaticProxy({ root: join(webDir, 'dist'), target: banner.url });
    appUrl = proxy.url;
  }
  return {
    ...banner,
    apiUrl: banner.url,
    appUrl,
    features,
    bin,
    stop: async () => {
      stopping = true;
      proxy?.server.close();
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            r();
          }, 10000);
          proc.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Signs a browser context in with a demo account's printed password through
 * POST /api/v1/auth/login (the session cookie lands in the context's jar).
 * `who` is the banner's name: 'admin', 'team lead', 'agent', 'customer contact'.
 */
export async function signInContext(ctx, server, who) {
  const login = server.logins[who];
  if (!login) throw new Error(`serve --demo printed no password for '${who}' (printed: ${Object.keys(server.logins).join(', ') || 'none'})`);
  const r = await ctx.request.post(`${server.appUrl}/api/v1/auth/login`, { data: { email: login.email, password: login.password } });
  if (r.status() !== 200) throw new Error(`sign-in of ${login.email} answered ${r.status()}: ${await r.text()}`);
  return (await r.json()).csrf_token;
}

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  // chromium.launch gives every run a new, empty --user-data-dir of its own
  // (removed on close); no browser is ever downloaded.
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}

let axeSource = null;
/** Runs axe-core on the page; returns the violations (serious and critical unless `all`). */
export async function axe(page, { all = false } = {}) {
  // Evaluated through the DevTools protocol, which the server's Content-Security-Policy
  // (script-src 'self') does not govern; a <script> tag would be refused, rightly.
  axeSource ??= readFileSync(join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return all ? result : result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
