// Writes screenshots of the main screens to docs/screenshots/ from the same
// browser and server setup as the e2e tests (e2e/harness.mjs).
//
//   npm run build && SLADESK_BIN=../build/sladesk node scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, repoDir, startServer } from '../e2e/harness.mjs';

const dir = join(repoDir, 'docs/screenshots');
mkdirSync(dir, { recursive: true });
const server = await startServer();
const { browser, close } = await launchBrowser();

async function shot(token, path, file, { viewport = { width: 1360, height: 860 }, wait = 'h1', full = false, before } = {}) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, ...(token ? { extraHTTPHeaders: { Authorization: `Bearer ${token}` } } : {}) });
  const page = await ctx.newPage();
  await page.goto(`${server.appUrl}${path}`);
  await page.locator(wait).first().waitFor();
  if (before) await before(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(dir, file), fullPage: full });
  await ctx.close();
  console.log(`screenshots: ${file}`);
}

await shot(server.agent, '/queue', 'queue.png', { wait: '.qrow' });
await shot(server.agent, '/queue?breached=1', 'queue-breached.png', { wait: '.qrow' });
await shot(server.agent, '/queue', 'queue-phone.png', { viewport: { width: 390, height: 844 }, wait: '.qrow' });
await shot(server.agent, '/tickets/3', 'ticket.png', { wait: '#sla-h', full: true });
await shot(server.agent, '/organisations/1', 'organisation.png', { wait: '#contacts-h', full: true });
await shot(server.agent, '/policies/gold-support', 'policy.png', { full: true });
await shot(server.contact, '/portal', 'portal.png', { wait: 'h1' });
await shot(server.contact, '/portal/new', 'portal-new-ticket.png', { full: true });
await shot(null, '/login', 'sign-in.png');
await shot(null, '/status', 'status.png');
await close();
await server.stop();
