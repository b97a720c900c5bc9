// Writes screenshots of the main screens to docs/screenshots/ from the same
// browser and server setup as the e2e tests (e2e/harness.mjs): a real
// `sladesk serve --demo`, people signed in with the printed demo passwords.
// Viewport-sized (not full-page) so the PNGs stay small.
//
//   npm run build && SLADESK_BIN=../build/sladesk node scripts/screenshots.mjs
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, repoDir, signInContext, startServer } from '../e2e/harness.mjs';

const dir = join(repoDir, 'docs/screenshots');
mkdirSync(dir, { recursive: true });
const server = await startServer();
const { browser, close } = await launchBrowser();

async function shot(who, path, file, { viewport = { width: 1280, height: 800 }, wait = 'h1', full = false, before } = {}) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  if (who) await signInContext(ctx, server, who);
  const page = await ctx.newPage();
  await page.goto(`${server.appUrl}${path}`);
  await page.locator(wait).first().waitFor();
  if (before) await before(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(dir, file), fullPage: full });
  await ctx.close();
  console.log(`screenshots: ${file} (${Math.round(statSync(join(dir, file)).size / 1024)} KB)`);
}

await shot('agent', '/queue', 'queue.png', { wait: '.qrow' });
await shot('agent', '/queue?breached=1', 'queue-breached.png', { wait: '.qrow' });
await shot('agent', '/queue', 'queue-phone.png', { viewport: { width: 390, height: 844 }, wait: '.qrow' });
await shot('agent', '/tickets/3', 'ticket.png', { wait: '#sla-h', viewport: { width: 1280, height: 1100 } });
await shot('agent', '/organisations/1', 'organisation.png', { wait: '#contacts-h', viewport: { width: 1280, height: 1000 } });
await shot('agent', '/policies/gold-support', 'policy.png', { wait: 'table' });
await shot('customer contact', '/portal', 'portal.png', { wait: 'h1' });
await shot('customer contact', '/portal/new', 'portal-new-ticket.png', { wait: '.severity-chooser', viewport: { width: 1280, height: 1100 } });
await shot(null, '/login', 'sign-in.png', { viewport: { width: 1280, height: 600 } });
// An open incident for the status page, when the server records them.
const now = new Date(Date.now() - 20 * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const inc = await fetch(`${server.apiUrl}/api/v1/incidents`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${server.admin}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ title: 'Dashboards load slowly', description: 'Queries time out for some customers.', service: 'dashboards', cause: 'outage', start: now }),
}).catch(() => null);
console.log(`screenshots: incident for the status page: ${inc ? inc.status : 'no answer'}`);
await shot(null, '/status', 'status.png', { viewport: { width: 1280, height: 800 } });
await shot('agent', '/reports', 'reports.png', { wait: '#br-h', viewport: { width: 1280, height: 1000 } });
await close();
await server.stop();
