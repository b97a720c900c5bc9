// End-to-end tests of the web app in Debian's Chromium (playwright-core)
// against a real `sladesk serve --demo` (harness.mjs). The scenario of issue
// 12, in order: a contact opens a ticket choosing a severity, an agent sees
// it in the queue and answers it, the queue reorders as the driven clock
// runs, a warning and a breach show, the customer escalates and reopens, the
// status page shows an incident; axe-core checks every screen.
//
// Steps that need an endpoint the server does not serve yet are skipped
// with a message naming it. While the server has no sessions, the browser
// authenticates with the demo's printed bearer tokens (sent as a header by
// Playwright; the app itself never holds a token).
//
//   node e2e/run.mjs            (npm run e2e; SLADESK_BIN=path/to/sladesk)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axe, launchBrowser, startServer, webDir } from './harness.mjs';

class Skip extends Error {}
const skip = (why) => {
  throw new Skip(why);
};
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const out = join(webDir, 'e2e/out');
mkdirSync(out, { recursive: true });

const server = await startServer();
const { browser, close } = await launchBrowser();
const api = async (token, method, path, body) => {
  const r = await fetch(server.apiUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
};
const served = async (method, path) => {
  const r = await fetch(server.apiUrl + path, { method, headers: { Authorization: `Bearer ${server.admin}`, 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
  const t = await r.text();
  return !(r.status === 404 && t.includes('no route'));
};
const has = {
  login: await served('POST', '/api/v1/auth/login'),
  queue: await served('GET', '/api/v1/queue'),
  policies: await served('GET', '/api/v1/policies'),
  testClock: server.features.testClock && (await served('GET', '/api/v1/test/clock')),
  status: await served('GET', '/api/v1/status'),
  stream: await served('GET', '/api/v1/stream?probe=1').catch(() => false),
};
console.log(`e2e: sladesk at ${server.apiUrl}, app at ${server.appUrl}; server has ${Object.entries(has).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none of the new endpoints'}`);

async function newPage(token, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, ...(token ? { extraHTTPHeaders: { Authorization: `Bearer ${token}` } } : {}) });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}
async function checkAxe(page, screen) {
  const v = await axe(page);
  assert(v.length === 0, `axe on ${screen}: ${JSON.stringify(v, null, 1)}`);
}

const state = {};

test('the status page needs no sign-in and passes axe', async () => {
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/status`);
  await page.getByRole('heading', { name: 'Service status' }).waitFor();
  await checkAxe(page, 'status page');
  await page.context().close();
});

test('sign-in page: passes axe; a wrong password is refused with a message', async () => {
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/queue`);
  await page.getByRole('heading', { name: 'Sign in to sladesk' }).waitFor();
  assert(page.url().includes('/login?next=%2Fqueue'), `redirected to ${page.url()}`);
  await checkAxe(page, 'sign-in');
  await page.getByLabel('E-mail').fill('alex@sladesk.demo');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  if (!has.login) assert(text.includes('/api/v1/auth/login'), `alert says: ${text}`);
  else assert(/wrong/i.test(text), `alert says: ${text}`);
  await page.context().close();
});

test('a contact signs in with the printed demo password', async () => {
  if (!has.login) skip('waits for POST /api/v1/auth/login (sessions) on the server');
  const email = server.contactEmail;
  const password = server.passwords[email];
  if (!password) skip(`waits for serve --demo to print a password for ${email}`);
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Support tickets' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to sladesk' }).waitFor();
  await page.context().close();
});

test('a contact opens a ticket (required fields, a severity chosen beside its definition)', async () => {
  const page = await newPage(server.contact);
  state.contactPage = page;
  await page.goto(`${server.appUrl}/portal`);
  await page.getByRole('heading', { name: 'Support tickets' }).waitFor();
  await checkAxe(page, 'portal home');
  await page.getByRole('link', { name: 'Open a ticket' }).click();
  await page.getByRole('heading', { name: 'Open a ticket' }).waitFor();
  await page.getByLabel('Subject').fill('E2E: invoices page is blank');
  await page.getByLabel('What happened?').fill('Since the update the invoices page shows nothing.');
  for (const area of await page.locator('form textarea[id^="t-"]:not(#t-description)').all()) await area.fill('1. open invoices 2. nothing shows');
  if (has.policies) {
    const choices = page.getByRole('radio');
    assert((await choices.count()) >= 2, 'the severity chooser lists the policy severities');
    await choices.first().check();
    state.severityChosen = true;
  }
  await checkAxe(page, 'new ticket form');
  await page.getByRole('button', { name: 'Open the ticket' }).click();
  await page.getByText('Your ticket was received.').waitFor();
  state.number = Number(/tickets\/(\d+)/.exec(page.url())[1]);
  assert(state.number > 0, 'a ticket number');
  await page.getByRole('heading', { name: 'SLA clocks' }).waitFor();
  await checkAxe(page, 'portal ticket');
});

test('the severity chooser shows the policy definitions and examples', async () => {
  if (!has.policies) skip('waits for GET /api/v1/policies/{id} on the server');
  assert(state.severityChosen, 'severity chosen in the previous step');
});

test('an agent sees the ticket at the top of the queue (after tickets already breached) and answers it', async () => {
  assert(state.number, 'a ticket from the previous step');
  const page = await newPage(server.agent);
  state.agentPage = page;
  // The contact's organisation, unassigned: the new ticket is the most urgent one not yet breached.
  const orgId = (await api(server.contact, 'GET', `/api/v1/tickets/${state.number}`)).json.organisation_id;
  await page.goto(`${server.appUrl}/queue?assignee=none&org=${orgId}`);
  const link = page.locator(`a[data-number="${state.number}"]`);
  await link.waitFor();
  const rows = await page.locator('.qrow').evaluateAll((els) => els.map((e) => ({ n: Number(e.querySelector('a[data-number]').dataset.number), breached: e.classList.contains('state-breached') })));
  const firstOnTime = rows.find((r) => !r.breached);
  assert(firstOnTime?.n === state.number, `queue order: ${JSON.stringify(rows.slice(0, 8))}`);
  await checkAxe(page, 'queue');
  // Keyboard: j selects the first row, then r opens it for a reply.
  await page.keyboard.press('j');
  await page.keyboard.press('r');
  await page.waitForURL(/\/tickets\/\d+\?reply=1/);
  await page.goto(`${server.appUrl}/tickets/${state.number}`);
  await page.getByRole('heading', { name: /SLA clocks/ }).waitFor();
  await checkAxe(page, 'ticket page');
  await page.getByLabel('Message to the customer').fill('Thanks, we can reproduce it and are on it.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByText('Thanks, we can reproduce it and are on it.').waitFor();
  const answered = await api(server.agent, 'GET', `/api/v1/tickets/${state.number}`);
  assert(answered.json.status === 'open', `the first answer opens the ticket: ${answered.json.status}`);
  // An internal note looks different and says so.
  await page.getByLabel('Internal note (staff only)').check();
  await page.getByLabel('Internal note', { exact: true }).fill('Looks like the cache bug from last week.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByText('Internal note — not visible to the customer').waitFor();
  // Assignment: the agent takes it.
  await page.getByRole('button', { name: 'Take it' }).click();
  await page.getByText('assigned to Alex Agent').waitFor();
  // Severity, with the reason the customer is told.
  const sev = page.getByLabel('Severity', { exact: true });
  const current = (await api(server.agent, 'GET', `/api/v1/tickets/${state.number}`)).json.severity;
  const policyId = (await api(server.agent, 'GET', `/api/v1/organisations/${orgId}`)).json.policy_id;
  const target = { 'agency-support': ['p1', 'p2'], 'gold-support': ['urgent', 'high'] }[policyId]?.find((x) => x !== current);
  if (target) {
    if ((await sev.evaluate((e) => e.tagName)) === 'SELECT') await sev.selectOption(target);
    else await sev.fill(target);
    await page.getByLabel('Reason (told to the customer)').fill('Invoices are blocked for all users');
    await page.getByRole('button', { name: 'Change severity' }).click();
    await page.getByText(`Severity changed from ${current} to ${target}: Invoices are blocked for all users`).waitFor();
  }
});

test('the customer sees the reply but not the internal note', async () => {
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal/tickets/${state.number}`);
  await page.getByText('Thanks, we can reproduce it and are on it.').waitFor();
  assert((await page.getByText('Looks like the cache bug').count()) === 0, 'internal note hidden from the customer');
});

test('the queue reorders as the driven clock runs; a warning and a breach show', async () => {
  if (!has.testClock) skip('waits for serve --test-clock and POST /api/v1/test/clock on the server');
  if (!has.queue) skip('waits for GET /api/v1/queue (warnings and business time) on the server');
  const page = state.agentPage;
  await page.goto(`${server.appUrl}/queue`);
  await page.locator('.qrow').first().waitFor();
  const before = await page.locator('.qrow a[data-number]').evaluateAll((a) => a.map((x) => x.dataset.number));
  let sawWarning = false;
  let sawBreach = false;
  let reordered = false;
  for (let step = 0; step < 24 && !(sawWarning && sawBreach && reordered); step++) {
    const r = await api(server.admin, 'POST', '/api/v1/test/clock', { advance_seconds: 1800 });
    assert(r.status === 200, `test clock answered ${r.status}`);
    // With the stream the queue follows within a second; when polling, within one poll (5 s).
    const live = (await page.locator('.queue-status').innerText()).includes('live');
    await page.waitForTimeout(live ? 1500 : 5500);
    sawWarning ||= (await page.locator('.qrow.state-warning').count()) > 0;
    sawBreach ||= (await page.locator('.qrow.state-breached').count()) > 0;
    const now = await page.locator('.qrow a[data-number]').evaluateAll((a) => a.map((x) => x.dataset.number));
    reordered ||= now.join() !== before.join();
  }
  assert(sawWarning, 'a warning showed');
  assert(sawBreach, 'a breach showed');
  assert(reordered, 'the queue reordered');
});

test('the customer escalates with the business impact', async () => {
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal/tickets/${state.number}`);
  await page.getByLabel('Business impact (required)').fill('Finance cannot send invoices this week.');
  await page.getByRole('button', { name: 'Request escalation' }).click();
  await page.getByText('Escalation requested.').waitFor();
  await page.getByText(/escalated \(level 1\)/).waitFor();
});

test('the agent resolves it as a bug escalated to engineering; the customer reopens within the window', async () => {
  const agent = state.agentPage;
  await agent.goto(`${server.appUrl}/tickets/${state.number}`);
  await agent.getByLabel('New status').selectOption('resolved');
  await agent.getByLabel('Outcome').selectOption('bug_escalated');
  await agent.getByLabel('Engineering issue (link or key)').fill('ENG-4711');
  await agent.getByRole('button', { name: 'Change status' }).click();
  await agent.getByText('Bug escalation:').waitFor();
  await agent.getByText('ENG-4711', { exact: true }).waitFor();
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal/tickets/${state.number}`);
  await page.getByRole('button', { name: 'Confirm the resolution' }).waitFor();
  await checkAxe(page, 'portal resolved ticket');
  await page.getByRole('button', { name: 'Reopen the ticket' }).click();
  await page.getByText('The ticket is open again.').waitFor();
  const t = await api(server.agent, 'GET', `/api/v1/tickets/${state.number}`);
  assert(t.json.status === 'open', `status after reopen: ${t.json.status}`);
});

test('the status page shows an incident', async () => {
  if (!has.status) skip('waits for GET /api/v1/status (status page API, another issue)');
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/status`);
  await page.locator('.incident').first().waitFor();
  await page.context().close();
});

test('organisations, policies and reports screens pass axe', async () => {
  const page = state.agentPage;
  for (const [path, heading] of [['/organisations', 'Organisations'], ['/organisations/1', null], ['/policies', 'Support policies'], ['/reports', 'Reports']]) {
    await page.goto(`${server.appUrl}${path}`);
    if (heading) await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    else await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await checkAxe(page, path);
  }
  if (has.policies) {
    await page.goto(`${server.appUrl}/policies/gold-support`);
    await page.getByRole('table').first().waitFor();
    await checkAxe(page, 'policy viewer');
  }
});

test('on a phone (390 px) the queue, a ticket and the portal fit the screen', async () => {
  for (const [token, path] of [[server.agent, '/queue'], [server.agent, `/tickets/${state.number}`], [server.contact, '/portal'], [server.contact, '/portal/new']]) {
    const page = await newPage(token, { width: 390, height: 844 });
    await page.goto(`${server.appUrl}${path}`);
    await page.locator('h1').first().waitFor();
    await page.waitForTimeout(300);
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert(scroll <= width + 1, `${path}: page is ${scroll} px wide on a ${width} px screen`);
    await checkAxe(page, `${path} on a phone`);
    await page.context().close();
  }
});

test('a 1,000-ticket view renders only the rows in view while scrolling', async () => {
  const page = await newPage(server.agent);
  const items = Array.from({ length: 1000 }, (_, i) => ({
    number: 100000 + i, subject: `Ticket ${i}`, organisation_id: 1, organisation_name: 'Acme', requester_name: 'Casey', severity: 'high', status: 'open',
    assignee_id: null, assignee_name: null, policy_id: 'gold-support', plan_id: 'gold', next_due_at: new Date(Date.now() + i * 60000).toISOString(),
    next_due_metric: 'first_response', sla_state: 'running', warning_at: null, business_seconds_left: i * 60, time_zone: 'Europe/Berlin',
    calendar_open_now: true, calendar_open_until: null, next_open_at: null, updated_at: new Date().toISOString(), version: 1,
  }));
  // A fixed 1,000-row answer in place of the server's queue: this step measures the rendering only.
  await page.route('**/api/v1/queue?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', headers: { ETag: '"fixed"' }, body: JSON.stringify({ now: new Date().toISOString(), items, next_cursor: null, total: 1000 }) }));
  await page.goto(`${server.appUrl}/queue`);
  await page.locator('.qrow').first().waitFor();
  const result = await page.evaluate(async () => {
    const box = document.querySelector('.vlist');
    const counts = [];
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 400 && box.scrollTop + box.clientHeight < box.scrollHeight - 2; i++) {
      box.scrollTop += 560;
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      frames.push(t - last);
      last = t;
      counts.push(document.querySelectorAll('.vlist [role=listitem]').length);
    }
    frames.sort((a, b) => a - b);
    return { maxRows: Math.max(...counts), reachedEnd: box.scrollTop + box.clientHeight >= box.scrollHeight - 2, medianFrame: frames[frames.length >> 1], p95Frame: frames[Math.floor(frames.length * 0.95)] };
  });
  assert(result.maxRows < 60, `rows in the DOM: ${result.maxRows}`);
  assert(result.reachedEnd, 'scrolled to the end');
  console.log(`  1,000 rows: at most ${result.maxRows} in the DOM; frame median ${result.medianFrame.toFixed(1)} ms, p95 ${result.p95Frame.toFixed(1)} ms (recorded, not asserted)`);
  writeFileSync(join(out, 'scroll.json'), JSON.stringify(result, null, 1));
  await page.context().close();
});

let passed = 0;
let failed = 0;
let skipped = 0;
const skips = [];
for (const t of tests) {
  const started = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok    ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    if (e instanceof Skip) {
      skipped++;
      skips.push(`${t.name}: ${e.message}`);
      console.log(`skip  ${t.name}: ${e.message}`);
    } else {
      failed++;
      console.log(`FAIL  ${t.name}: ${e.stack ?? e}`);
      for (const p of [state.agentPage, state.contactPage]) if (p && !p.isClosed()) await p.screenshot({ path: join(out, `fail-${passed + failed + skipped}-${p === state.agentPage ? 'agent' : 'contact'}.png`), fullPage: true }).catch(() => {});
    }
  }
}
for (const p of [state.agentPage, state.contactPage]) if (p?.errors?.length) console.log(`page errors: ${p.errors.join('; ')}`);
await close();
await server.stop();
console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
