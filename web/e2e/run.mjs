// End-to-end tests of the web app in Debian's Chromium (playwright-core)
// against a real `sladesk serve --demo --test-clock` on a temporary SQLite
// (harness.mjs). The scenario of issue 12, in order: a contact signs in
// with the printed demo password and opens a ticket choosing a severity
// beside its definition, an agent sees it at the top of the queue and
// answers it, the driven clock (POST /api/v1/test/clock) brings a warning
// and a breach and the queue follows live, the customer escalates and
// reopens, the status page shows an incident; axe-core checks every screen.
//
// People sign in as in the app: the form, or POST /api/v1/auth/login from
// the browser context (cookie session, X-CSRF-Token on writes). The printed
// bearer tokens serve only the test's own API calls (assertions, the clock).
// A step that needs an endpoint the server does not serve yet is skipped
// with a message naming it.
//
//   node e2e/run.mjs            (npm run e2e; SLADESK_BIN=path/to/sladesk)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiDrift } from './api-drift.mjs';
import { axe, launchBrowser, signInContext, startServer, webDir } from './harness.mjs';

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
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { text };
  }
  return { status: r.status, json, headers: r.headers };
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
  incidents: await served('GET', '/api/v1/incidents'),
};
console.log(`e2e: sladesk at ${server.apiUrl}, app at ${server.appUrl}; server has ${Object.entries(has).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none of the new endpoints'}`);
assert(has.login, 'the server serves no POST /api/v1/auth/login: the web app needs sessions');

// The scenario runs on a working day, whatever the hour of the run: the server's
// clock starts at 08:00 UTC of the next Tuesday, Wednesday or Thursday outside
// the year-end holidays (London and the other demo calendars are open from 09:00
// local at the latest), so the new ticket's clocks run within one session's 12 h.
function scenarioStart(realNow) {
  const d = new Date(realNow);
  d.setUTCHours(8, 0, 0, 0);
  for (let i = 0; i < 30; i++) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    const yearEnd = (d.getUTCMonth() === 11 && d.getUTCDate() >= 20) || (d.getUTCMonth() === 0 && d.getUTCDate() <= 5);
    if (wd >= 2 && wd <= 4 && !yearEnd) return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  throw new Error('no working day within 30 days');
}
if (has.testClock) {
  const at = scenarioStart(Date.now());
  const r = await api(server.admin, 'POST', '/api/v1/test/clock', { now: at });
  assert(r.status === 200, `setting the test clock to ${at} answered ${r.status}: ${JSON.stringify(r.json)}`);
  console.log(`e2e: the server's clock starts at ${at}`);
}

/** A fresh browser context, signed in as a demo user ('agent', 'customer contact', ...) unless who is null. */
async function newPage(who, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport });
  if (who) await signInContext(ctx, server, who);
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
/** The queue row of ticket n as the server evaluates it now (admin's view). */
async function queueRow(n) {
  for (let cursor = null, i = 0; i < 20; i++) {
    const r = await api(server.admin, 'GET', `/api/v1/queue?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert(r.status === 200, `queue answered ${r.status}`);
    const row = r.json.items.find((x) => x.number === n);
    if (row) return row;
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  return null;
}
const rowState = (page, n) => page.locator(`.qrow:has(a[data-number="${n}"])`).getAttribute('class');

const state = {};

test('the server answers what api/openapi.json documents (the app\'s types come from it)', async () => {
  const get = async (path) => {
    const r = await api(path.startsWith('/api/v1/queue') || path.startsWith('/api/v1/me') ? server.agent : server.admin, 'GET', path);
    assert(r.status === 200, `GET ${path} answered ${r.status}`);
    return r.json;
  };
  const held = (await get('/api/v1/mail/held')).items ?? [];
  const problems = await apiDrift(
    [
      ['/api/v1/me', '/api/v1/me'],
      ['/api/v1/queue', '/api/v1/queue?limit=50'],
      ['/api/v1/tickets', '/api/v1/tickets?limit=20'],
      ['/api/v1/tickets/{number}', '/api/v1/tickets/3'],
      ['/api/v1/tickets/{number}/sla', '/api/v1/tickets/3/sla?explain=true'],
      ['/api/v1/tickets/{number}/messages', '/api/v1/tickets/3/messages'],
      ['/api/v1/tickets/{number}/events', '/api/v1/tickets/3/events'],
      ['/api/v1/tickets/{number}/time', '/api/v1/tickets/3/time'],
      ['/api/v1/policies', '/api/v1/policies'],
      ...['agency-support', 'gold-support', 'gtmhub', 'openback', 'supermetrics'].map((id) => ['/api/v1/policies/{id}', `/api/v1/policies/${id}`]),
      ['/api/v1/organisations', '/api/v1/organisations'],
      ['/api/v1/organisations/{id}', '/api/v1/organisations/1'],
      ['/api/v1/organisations/{id}/contacts', '/api/v1/organisations/1/contacts'],
      ['/api/v1/organisations/{id}/contact-audit', '/api/v1/organisations/1/contact-audit'],
      ['/api/v1/users', '/api/v1/users'],
      ['/api/v1/mail/held', '/api/v1/mail/held?state=all'],
      ...(held[0] ? [['/api/v1/mail/held/{id}', `/api/v1/mail/held/${held[0].id}`]] : []),
      ['/api/v1/mail/sender-rules', '/api/v1/mail/sender-rules'],
      ...(has.testClock ? [['/api/v1/test/clock', '/api/v1/test/clock']] : []),
    ],
    get,
  );
  assert(problems.length === 0, `the server and api/openapi.json differ:\n  ${problems.join('\n  ')}`);
});

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
  assert(/wrong/i.test(text), `alert says: ${text}`);
  await page.context().close();
});

test('a contact signs in with the printed demo password; writes without the CSRF token are refused', async () => {
  const login = server.logins['customer contact'];
  assert(login, `serve --demo printed no contact password: ${JSON.stringify(Object.keys(server.logins))}`);
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/login`);
  await page.getByLabel('E-mail').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Support tickets' }).waitFor();
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'sladesk_session');
  assert(session?.httpOnly && session.sameSite === 'Strict', `session cookie: ${JSON.stringify(session)}`);
  // The cookie alone does not make a write: the app sends X-CSRF-Token from GET /me.
  const r = await page.context().request.post(`${server.appUrl}/api/v1/tickets`, { data: { subject: 'no csrf', description: 'x' } });
  assert(r.status() === 403, `a POST with the cookie and no X-CSRF-Token answered ${r.status()}`);
  state.contactPage = page;
});

test('a contact opens a ticket (required fields, a severity chosen beside its definition)', async () => {
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal`);
  await page.getByRole('heading', { name: 'Support tickets' }).waitFor();
  await checkAxe(page, 'portal home');
  await page.getByRole('link', { name: 'Open a ticket' }).click();
  await page.getByRole('heading', { name: 'Open a ticket' }).waitFor();
  await page.getByLabel('Subject').fill('E2E: invoices page is blank');
  await page.getByLabel('What happened?').fill('Since the update the invoices page shows nothing.');
  // The policy's own fields, each in the input its type asks for.
  for (const area of await page.locator('form textarea[id^="t-"]:not(#t-description)').all()) await area.fill('1. open invoices 2. nothing shows');
  for (const input of await page.locator('form input[id^="t-"]:not(#t-subject)').all()) {
    const type = await input.getAttribute('type');
    await input.fill(type === 'datetime-local' ? '2026-12-01T09:30' : type === 'tel' ? '+44 20 7946 0000' : type === 'email' ? 'casey@example.com' : 'invoices');
  }
  // Each severity is a radio described by the policy's own definition.
  const me = await (await page.context().request.get(`${server.appUrl}/api/v1/me`)).json();
  const org = await api(server.admin, 'GET', `/api/v1/organisations/${me.organisation_id}`);
  const policy = await api(server.admin, 'GET', `/api/v1/policies/${org.json.policy_id}`);
  const severities = policy.json.severities;
  const choices = page.getByRole('radio');
  assert((await choices.count()) === severities.length, `${await choices.count()} radios for ${severities.length} severities`);
  for (const sev of severities) {
    const radio = page.locator(`input[type=radio][value="${sev.id}"]`);
    const described = await radio.getAttribute('aria-describedby');
    const text = await page.locator(`[id="${described}"]`).innerText();
    assert(text.includes(sev.definition.slice(0, 40)), `severity ${sev.id} is described by "${text.slice(0, 80)}"`);
  }
  state.severity = severities[0].id; // the most severe
  await page.locator(`input[type=radio][value="${state.severity}"]`).check();
  await checkAxe(page, 'new ticket form');
  await page.getByRole('button', { name: 'Open the ticket' }).click();
  await page.getByText('Your ticket was received.').waitFor();
  state.number = Number(/tickets\/(\d+)/.exec(page.url())[1]);
  assert(state.number > 0, 'a ticket number');
  const t = await api(server.admin, 'GET', `/api/v1/tickets/${state.number}`);
  assert(t.json.severity === state.severity, `opened with severity ${t.json.severity}, chose ${state.severity}`);
  state.orgId = t.json.organisation_id;
  state.policyId = org.json.policy_id;
  await page.getByRole('heading', { name: 'SLA clocks' }).waitFor();
  await checkAxe(page, 'portal ticket');
});

test('an agent sees the ticket at the top of the queue and answers it', async () => {
  assert(state.number, 'a ticket from the previous step');
  const page = await newPage('agent');
  state.agentPage = page;
  // Unassigned tickets of the contact's organisation: the new one, most severe, is the most urgent one not yet breached.
  await page.goto(`${server.appUrl}/queue?assignee=none&org=${state.orgId}`);
  const link = page.locator(`a[data-number="${state.number}"]`);
  await link.waitFor();
  const rows = await page.locator('.qrow').evaluateAll((els) => els.map((e) => ({ n: Number(e.querySelector('a[data-number]').dataset.number), breached: e.classList.contains('state-breached') })));
  const firstOnTime = rows.find((r) => !r.breached);
  assert(firstOnTime?.n === state.number, `queue order: ${JSON.stringify(rows.slice(0, 8))}`);
  await checkAxe(page, 'queue');
  // Keyboard: j moves the selection (and the focus) down to our row, r opens it for a reply.
  // One j at a time, each checked, as a person watching the selection would.
  const selectedRow = () => page.locator('.qrow.selected a[data-number]').getAttribute('data-number', { timeout: 2000 }).catch(() => null);
  for (let i = 0; i < 12 && (await selectedRow()) !== String(state.number); i++) {
    await page.keyboard.press('j');
    await page.waitForTimeout(100);
  }
  await page.waitForFunction((n) => document.activeElement?.getAttribute('data-number') === String(n), state.number, { timeout: 5000 }).catch(async () => {
    throw new Error(`j did not select our row: the focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 100))}; rows ${JSON.stringify(rows)}`);
  });
  await page.keyboard.press('r');
  await page.waitForFunction((n) => location.pathname === `/tickets/${n}` && location.search === '?reply=1', state.number, { timeout: 10000 }).catch(async () => {
    throw new Error(`r did not open the reply: the page is at ${page.url()}, focus on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 100))}`);
  });
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
  // The policy's own field shows under its name; support time is logged on the ticket.
  await page.getByText('The start time of the incident, where relevant').first().waitFor();
  await page.getByLabel('Minutes').fill('15');
  await page.getByLabel('Note', { exact: true }).fill('reproduced the blank page');
  await page.getByRole('button', { name: 'Log time' }).click();
  await page.getByText('15 min logged in all.').waitFor();
  // Assignment: the agent takes it.
  await page.getByRole('button', { name: 'Take it' }).click();
  await page.getByText('assigned to Alex Agent').waitFor();
  // Severity, with the reason the customer is told.
  const sev = page.getByLabel('Severity', { exact: true });
  const policy = (await api(server.admin, 'GET', `/api/v1/policies/${state.policyId}`)).json;
  const target = policy.severities.map((s) => s.id).find((x) => x !== state.severity);
  await sev.selectOption(target);
  await page.getByLabel('Reason (told to the customer)').fill('Invoices are blocked for all users');
  await page.getByRole('button', { name: 'Change severity' }).click();
  await page.getByText(`Severity changed from ${state.severity} to ${target}: Invoices are blocked for all users`).waitFor();
  // And back to the most severe, so the clocks below run on its targets.
  await sev.selectOption(state.severity);
  await page.getByLabel('Reason (told to the customer)').fill('All users affected after all');
  await page.getByRole('button', { name: 'Change severity' }).click();
  await page.getByText(`Severity changed from ${target} to ${state.severity}: All users affected after all`).waitFor();
});

test('the customer sees the reply but not the internal note', async () => {
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal/tickets/${state.number}`);
  await page.getByText('Thanks, we can reproduce it and are on it.').waitFor();
  assert((await page.getByText('Looks like the cache bug').count()) === 0, 'internal note hidden from the customer');
});

test('the queue follows the driven clock live: a warning, a breach, the breached view reorders', async () => {
  if (!has.testClock) skip('waits for serve --test-clock and POST /api/v1/test/clock on the server');
  const page = state.agentPage;
  const before = await queueRow(state.number);
  assert(before && before.next_due_at && before.warning_at, `the ticket's queue row has a due time and a warning: ${JSON.stringify(before)}`);
  assert(before.sla_state === 'running', `state before: ${before.sla_state}`);
  // The default view and, in a second tab, the breached view: both live (SSE clock events), never reloaded.
  await page.goto(`${server.appUrl}/queue?org=${state.orgId}`);
  const mine = page.locator(`.qrow:has(a[data-number="${state.number}"])`);
  await mine.waitFor();
  assert((await mine.getAttribute('class')).includes('state-running'), `row before: ${await mine.getAttribute('class')}`);
  const breachedView = await page.context().newPage();
  await breachedView.goto(`${server.appUrl}/queue?breached=1`);
  await breachedView.locator('.queue-status').getByText(/tickets/).waitFor();
  const order = () => breachedView.locator('.qrow a[data-number]').evaluateAll((a) => a.map((x) => Number(x.dataset.number)));
  const breachedBefore = await order();
  assert(!breachedBefore.includes(state.number), 'not breached yet');
  const setClock = async (iso) => {
    const r = await api(server.admin, 'POST', '/api/v1/test/clock', { now: iso });
    assert(r.status === 200, `test clock answered ${r.status}: ${JSON.stringify(r.json)}`);
  };
  const plus = (iso, s) => new Date(Date.parse(iso) + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await setClock(plus(before.warning_at, 60));
  await page.locator(`.qrow.state-warning:has(a[data-number="${state.number}"])`).waitFor({ timeout: 10000 });
  assert(/left/.test(await mine.locator('.q-due').innerText()), 'a warning still counts down');
  await setClock(plus(before.next_due_at, 60));
  await page.locator(`.qrow.state-breached:has(a[data-number="${state.number}"])`).waitFor({ timeout: 10000 });
  assert(/over|breached/.test(await mine.locator('.q-due').innerText()), `breached row says: ${await mine.locator('.q-due').innerText()}`);
  // The breached view took the ticket in by itself (live), most urgent first.
  await breachedView.locator(`a[data-number="${state.number}"]`).waitFor({ timeout: 10000 });
  const breachedAfter = await order();
  assert(breachedAfter.join() !== breachedBefore.join(), 'the breached view changed');
  const after = await queueRow(state.number);
  assert(after.sla_state === 'breached' && after.breached, `server state after: ${after.sla_state}`);
  console.log(`  clock: warning at ${before.warning_at}, due ${before.next_due_at}; breached view ${breachedBefore.length} → ${breachedAfter.length} rows`);
  await breachedView.close();
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
  await agent.locator('section[aria-labelledby="eng-h"]').getByText('ENG-4711', { exact: true }).waitFor();
  const page = state.contactPage;
  await page.goto(`${server.appUrl}/portal/tickets/${state.number}`);
  await page.getByRole('button', { name: 'Confirm the resolution' }).waitFor();
  await checkAxe(page, 'portal resolved ticket');
  await page.getByRole('button', { name: 'Reopen the ticket' }).click();
  await page.getByText(/The ticket is open again\.|Your request to reopen was sent/).first().waitFor();
  if ((await page.getByText('Your request to reopen was sent').count()) > 0) {
    // The policy (or the bug-escalated outcome) has an agent review the reopen request.
    await agent.goto(`${server.appUrl}/tickets/${state.number}`);
    await agent.getByRole('heading', { name: 'Reopen requested' }).waitFor();
    await checkAxe(agent, 'ticket page with a reopen request');
    await agent.locator('#reopen-reason').fill('The fix did not reach production yet');
    await agent.getByRole('button', { name: 'Approve the reopen' }).click();
    await agent.getByRole('heading', { name: 'Reopen requested' }).waitFor({ state: 'detached' });
  }
  const t = await api(server.agent, 'GET', `/api/v1/tickets/${state.number}`);
  assert(t.json.status === 'open', `status after reopen: ${t.json.status}`);
});

test('the status page shows an incident', async () => {
  if (!has.status) {
    console.log('  note: GET /api/v1/status is not served by this server yet; the status page shows that it waits for it (enable after the compliance merge)');
    skip('waits for GET /api/v1/status (status page API, issue 11)');
  }
  // Record an incident that is still open (no end), then the public page lists it.
  if (has.incidents) {
    const now = (await api(server.admin, 'GET', '/api/v1/test/clock')).json?.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    // A service-wide outage still open (no end): what the public page lists.
    const r = await api(server.admin, 'POST', '/api/v1/incidents', {
      title: 'E2E: dashboards unavailable',
      description: 'Dashboards do not load for some customers.',
      service: 'dashboards',
      cause: 'outage',
      start: new Date(Date.parse(now) - 600000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    console.log(`  POST /api/v1/incidents answered ${r.status}${r.status >= 300 ? `: ${JSON.stringify(r.json)}` : ''}`);
  }
  const page = await newPage(null);
  await page.goto(`${server.appUrl}/status`);
  await page.getByRole('heading', { name: 'Service status' }).waitFor();
  await page.locator('.incident').filter({ hasText: 'E2E: dashboards unavailable' }).waitFor();
  await page.getByText(/1 current incident/).waitFor();
  await checkAxe(page, 'status page with an incident');
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

test('a team lead marks an organisation\'s onboarding complete', async () => {
  const orgs = (await api(server.admin, 'GET', '/api/v1/organisations')).json.items;
  const onboarding = orgs.find((o) => o.onboarding_complete === false);
  if (!onboarding) skip('no demo organisation is onboarding');
  const page = await newPage('team lead');
  await page.goto(`${server.appUrl}/organisations/${onboarding.id}`);
  await page.getByText(/Onboarding/).first().waitFor();
  await checkAxe(page, 'organisation while onboarding');
  await page.getByRole('button', { name: 'Mark onboarding complete' }).click();
  await page.getByRole('button', { name: 'Mark onboarding complete' }).waitFor({ state: 'detached' });
  const after = await api(server.admin, 'GET', `/api/v1/organisations/${onboarding.id}`);
  assert(after.json.onboarding_complete === true, `onboarding_complete after: ${after.json.onboarding_complete}`);
  await page.context().close();
});

test('an agent reads held mail from an unknown sender and opens a ticket for them in an organisation', async () => {
  const held = (await api(server.agent, 'GET', '/api/v1/mail/held')).json.items ?? [];
  const trial = held.find((m) => m.subject === 'Trial account: SSO setup fails');
  assert(trial, `the demo holds no mail from an unknown sender: ${JSON.stringify(held.map((m) => m.subject))}`);
  const orgs = (await api(server.admin, 'GET', '/api/v1/organisations')).json.items;
  const org = orgs[orgs.length - 1];
  const page = await newPage('agent');
  await page.goto(`${server.appUrl}/mail/held`);
  await page.getByRole('heading', { name: 'Held mail' }).waitFor();
  await checkAxe(page, 'held mail list');
  await page.getByRole('link', { name: 'Trial account: SSO setup fails' }).click();
  await page.getByText('unknown sender (not a contact)').waitFor();
  await page.getByText('the SAML setup page rejects our metadata file').waitFor();
  await checkAxe(page, 'held message');
  await page.getByLabel(/Organisation/).selectOption(String(org.id));
  // The organisation's policy offers its severities; the agent picks the last (least severe) one.
  const severity = page.getByLabel('Severity', { exact: true });
  await severity.locator('option').nth(1).waitFor({ state: 'attached' });
  const options = await severity.locator('option').evaluateAll((os) => os.map((o) => o.value));
  const chosen = options[options.length - 1];
  await severity.selectOption(chosen);
  await page.getByRole('button', { name: 'Open ticket' }).click();
  const status = page.getByRole('status').filter({ hasText: 'Released: opened' });
  const alert = page.getByRole('alert');
  await status.or(alert).first().waitFor();
  // The organisation's policy may require fields the mail does not name: the
  // page asks for each one the server names, and the agent fills it in.
  let asked = 0;
  for (; asked < 5 && (await alert.count()) && !(await status.count()); asked++) {
    const said = await alert.first().innerText();
    const box = page.locator('textarea[id^="held-field-"]').last();
    assert(/is required/.test(said) && (await box.count()), `the release was refused: ${said}`);
    await box.fill('1. Open the SSO settings\n2. Upload the metadata file');
    await checkAxe(page, 'held message asking for a required field');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/mail/held/${trial.id}/release`)),
      page.getByRole('button', { name: 'Open ticket' }).click(),
    ]);
    await status.or(alert).first().waitFor();
  }
  if (!(await status.count())) assert(false, `the release was refused: ${await alert.first().innerText({ timeout: 1000 }).catch(() => '')}`);
  const number = Number((await status.innerText()).match(/ticket #(\d+)/)?.[1]);
  assert(number > 0, `released: ${await status.innerText()}`);
  const t = await api(server.admin, 'GET', `/api/v1/tickets/${number}`);
  assert(t.status === 200 && t.json.organisation_id === org.id && t.json.channel === 'email' && t.json.severity === chosen, `ticket #${number} (severity ${chosen} chosen): ${JSON.stringify(t.json)}`);
  console.log(`  held mail: ticket #${number} opened in ${org.name} after ${asked} field(s) the policy required`);
  const again = await api(server.agent, 'POST', `/api/v1/mail/held/${trial.id}/release`, { action: 'discard' });
  assert(again.status === 409, `a second release answered ${again.status}`);
  assert(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

test('an admin sets an unknown-sender setting for a domain and removes it', async () => {
  const orgs = (await api(server.admin, 'GET', '/api/v1/organisations')).json.items;
  const page = await newPage('admin');
  await page.goto(`${server.appUrl}/mail/held`);
  await page.getByRole('link', { name: 'Unknown-sender settings' }).click();
  await page.getByRole('heading', { name: 'Unknown-sender settings' }).waitFor();
  await page.getByLabel('Domain', { exact: true }).fill('Partner.Example');
  await page.getByLabel('Mail from unknown senders').selectOption('create_contact');
  await page.getByLabel('Organisation they join').selectOption(String(orgs[0].id));
  await checkAxe(page, 'unknown-sender settings');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved the setting for partner.example' }).waitFor();
  await page.getByRole('row', { name: /partner\.example/ }).waitFor();
  const rules = (await api(server.admin, 'GET', '/api/v1/mail/sender-rules')).json.items;
  const rule = rules.find((r) => r.domain === 'partner.example');
  assert(rule && rule.action === 'create_contact' && rule.organisation_id === orgs[0].id, `rules: ${JSON.stringify(rules)}`);
  await page.getByRole('button', { name: 'Remove the setting for partner.example' }).click();
  await page.getByRole('status').filter({ hasText: 'Removed the setting for partner.example' }).waitFor();
  const after = (await api(server.admin, 'GET', '/api/v1/mail/sender-rules')).json.items;
  assert(!after.some((r) => r.domain === 'partner.example'), `still there: ${JSON.stringify(after)}`);
  assert(page.errors.length === 0, `page errors: ${page.errors.join('; ')}`);
  await page.context().close();
});

test('on a phone (390 px) the queue, a ticket and the portal fit the screen', async () => {
  for (const [token, path] of [['agent', '/queue'], ['agent', `/tickets/${state.number}`], ['customer contact', '/portal'], ['customer contact', '/portal/new']]) {
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
  const page = await newPage('agent');
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

test('signing out ends the session: the queue asks to sign in again and the cookie no longer works', async () => {
  const page = state.agentPage;
  await page.goto(`${server.appUrl}/queue`);
  await page.locator('.qrow').first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to sladesk' }).waitFor();
  const me = await page.context().request.get(`${server.appUrl}/api/v1/me`);
  assert(me.status() === 401, `GET /me after sign-out answered ${me.status()}`);
  await page.goto(`${server.appUrl}/queue`);
  await page.getByRole('heading', { name: 'Sign in to sladesk' }).waitFor();
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
