// The queue's first page with many tickets in the store (issue 12: 100,000,
// first page under 500 ms after navigation). Not part of make test: it seeds
// PERF_TICKETS tickets (default 100000) through the API, then opens /queue
// three times and reports, for each, the time from navigation start to the
// first rows on screen (the app's 'queue-first-page' mark). Median reported.
//
//   SLADESK_BIN=../build/sladesk PERF_TICKETS=100000 node e2e/perf.mjs
import { launchBrowser, startServer } from './harness.mjs';

const N = Number(process.env.PERF_TICKETS ?? 100000);
const IN_FLIGHT = 16;
const server = await startServer();
process.on('uncaughtException', async (e) => {
  console.error(e);
  await server.stop();
  process.exit(1);
});
const call = async (method, path, body) => {
  const r = await fetch(server.apiUrl + path, { method, headers: { Authorization: `Bearer ${server.admin}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const org = await call('POST', '/api/v1/organisations', { name: 'Load Test Ltd', policy_id: 'gold-support', plan_id: 'gold', incidents_per_month: 100000 });
const contact = await call('POST', `/api/v1/organisations/${org.id}/contacts`, { name: 'Load Tester', email: 'load@test.demo', named_contact: true });
const sev = ['urgent', 'high', 'normal', 'low'];
const started = Date.now();
let next = 0;
async function worker() {
  while (next < N) {
    const i = next++;
    await call('POST', '/api/v1/tickets', { subject: `Load ticket ${i}`, description: 'seeded for the queue measurement', requester_id: contact.id, severity: sev[i % 4], steps_to_reproduce: '-', business_impact: '-' });
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
const seeded = (Date.now() - started) / 1000;
console.log(`perf: seeded ${N} tickets in ${seeded.toFixed(0)} s`);

const { browser, close } = await launchBrowser();
const times = [];
for (let run = 0; run < 3; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 860 }, extraHTTPHeaders: { Authorization: `Bearer ${server.agent}` } });
  const page = await ctx.newPage();
  await page.goto(`${server.appUrl}/queue`);
  await page.locator('.qrow').first().waitFor({ timeout: 60000 });
  const ms = await page.evaluate(() => performance.getEntriesByName('queue-first-page')[0]?.startTime ?? null);
  times.push(ms);
  await ctx.close();
}
times.sort((a, b) => a - b);
console.log(`perf: queue first page after navigation, ms: ${times.map((t) => t?.toFixed(0)).join(', ')} (median ${times[1]?.toFixed(0)}) with ${N} tickets; queue view served: ${!(await fetch(server.apiUrl + '/api/v1/queue', { headers: { Authorization: `Bearer ${server.admin}` } })).status.toString().startsWith('404')}`);
await close();
await server.stop();
