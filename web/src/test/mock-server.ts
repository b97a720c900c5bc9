// A small in-memory stand-in for the endpoints the app specified in
// api/openapi.json that the server does not serve yet (sessions with CSRF,
// the queue view with ETags, policies, the test clock). Tests only: it
// answers the way the document says, so the client is tested against the
// contract, not against this mock's convenience.
import type { Policy, QueueItem } from '../api/types';

type Handler = (req: Request, url: URL) => Promise<Response> | Response;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
const problem = (status: number, detail: string, field?: string, headers: Record<string, string> = {}) =>
  json(status, { type: 'about:blank', title: 'Error', status, detail, ...(field ? { field } : {}) }, headers);

export interface MockOptions {
  queue?: boolean; // serve /api/v1/queue (else "no route", as today)
  policies?: boolean;
  items?: QueueItem[];
  policy?: Policy;
}

export function mockServer(o: MockOptions = {}) {
  const users = [{ id: 1, name: 'Alex Agent', email: 'alex@sladesk.demo', role: 'agent', organisation_id: null, named_contact: false, active: true, created_at: '2026-01-01T00:00:00Z' }];
  const password = 'demo-password';
  const sessions = new Map<string, { user: number; csrf: string }>();
  let failures = 0;
  let now = Date.parse('2026-01-09T15:30:00Z');
  const log: { method: string; path: string; headers: Record<string, string> }[] = [];
  let items = o.items ?? [];
  const etag = () => `"q${items.map((i) => `${i.number}.${i.version}`).join('-')}@${Math.floor(now / 60000)}"`;

  const session = (req: Request) => {
    const c = /sladesk_session=([^;]+)/.exec(req.headers.get('Cookie') ?? '')?.[1];
    return c ? sessions.get(c) : undefined;
  };
  const routes: Record<string, Handler> = {
    'POST /api/v1/auth/login': async (req) => {
      const b = (await req.json()) as { email?: string; password?: string };
      if (failures >= 5) return problem(429, 'too many failed sign-ins', 'email', { 'Retry-After': '900' });
      const u = users.find((x) => x.email === b.email);
      if (!u || b.password !== password) {
        failures += 1;
        return problem(401, 'e-mail or password is wrong', 'password');
      }
      const id = `s${sessions.size + 1}`;
      const csrf = `csrf-${id}`;
      sessions.set(id, { user: u.id, csrf });
      return json(200, { user: u, csrf_token: csrf }, { 'Set-Cookie': `sladesk_session=${id}; HttpOnly; SameSite=Strict; Path=/` });
    },
    'POST /api/v1/auth/logout': (req) => {
      const s = session(req);
      if (!s) return problem(401, 'no session');
      if (req.headers.get('X-CSRF-Token') !== s.csrf) return problem(403, 'missing X-CSRF-Token', 'X-CSRF-Token');
      return new Response(null, { status: 204, headers: { 'Set-Cookie': 'sladesk_session=; Max-Age=0; Path=/' } });
    },
    'GET /api/v1/me': (req) => {
      const s = session(req);
      if (!s) return problem(401, "send 'Authorization: Bearer <token>'", 'Authorization');
      return json(200, { ...users.find((u) => u.id === s.user), csrf_token: s.csrf });
    },
    'POST /api/v1/tickets/{n}/messages': (req) => {
      const s = session(req);
      if (!s) return problem(401, 'no session');
      if (req.headers.get('X-CSRF-Token') !== s.csrf) return problem(403, 'missing X-CSRF-Token', 'X-CSRF-Token');
      return json(201, { id: 1, body: 'ok' });
    },
    'GET /api/v1/queue': (req) => {
      if (!o.queue) return problem(404, `no route for /api/v1/queue`);
      const tag = etag();
      if (req.headers.get('If-None-Match') === tag) return new Response(null, { status: 304, headers: { ETag: tag } });
      return json(200, { now: new Date(now).toISOString(), items, next_cursor: null, total: items.length }, { ETag: tag });
    },
    'GET /api/v1/policies/{id}': (_req, url) => {
      if (!o.policies) return problem(404, `no route for ${url.pathname}`);
      return o.policy && url.pathname.endsWith(`/${o.policy.id}`) ? json(200, o.policy) : problem(404, 'policy does not exist');
    },
    'POST /api/v1/test/clock': async (req) => {
      const b = (await req.json()) as { now?: string; advance_seconds?: number };
      if (b.now) now = Date.parse(b.now);
      else now += (b.advance_seconds ?? 0) * 1000;
      return json(200, { now: new Date(now).toISOString(), offset_seconds: 0 });
    },
  };
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    const path = url.pathname.replace(/\/tickets\/\d+\//, '/tickets/{n}/').replace(/\/policies\/[^/]+$/, '/policies/{id}');
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    log.push({ method: req.method, path: url.pathname + url.search, headers });
    const h = routes[`${req.method} ${path}`];
    return h ? h(req, url) : problem(404, `no route for ${url.pathname}`);
  };
  return {
    fetch: fetchImpl as typeof fetch,
    log,
    setItems: (next: QueueItem[]) => (items = next),
    password,
    /** A browser's cookie jar for one session id. */
    withCookie(cookie: string): typeof fetch {
      return ((input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(input, init);
        const r = new Request(req, { headers: new Headers(req.headers) });
        r.headers.set('Cookie', cookie);
        return fetchImpl(r);
      }) as typeof fetch;
    },
  };
}

export function row(p: Partial<QueueItem> & { number: number }): QueueItem {
  return {
    subject: `Ticket ${p.number}`,
    organisation_id: 1,
    organisation_name: 'Acme',
    requester_name: 'Casey',
    severity: 'high',
    status: 'open',
    assignee_id: null,
    assignee_name: null,
    policy_id: 'gold-support',
    plan_id: 'gold',
    next_due_at: '2026-01-12T09:00:00Z',
    next_due_metric: 'first_response',
    sla_state: 'running',
    warning_at: null,
    business_seconds_left: 7800,
    time_zone: 'Europe/Berlin',
    calendar_open_now: true,
    calendar_open_until: '2026-01-09T16:00:00Z',
    next_open_at: null,
    updated_at: '2026-01-09T15:00:00Z',
    version: 1,
    ...p,
  };
}
