// The API client against a mock of the specified endpoints (test/mock-server.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, api, getCsrfToken, isMissingRoute, makeClient, must, setApi, setCsrfToken } from './client';
import { fetchQueue, resetQueueSource, usingFallback } from '../lib/queue-source';
import { EMPTY_FILTERS } from '../lib/filters';
import { getPolicy, forget } from '../lib/data';
import { resetClock, serverNow } from '../lib/clock';
import { mockServer, row } from '../test/mock-server';

const BASE = 'http://desk.test';
afterEach(() => {
  setCsrfToken(undefined);
  resetQueueSource();
  resetClock();
  forget('');
});

describe('sessions and CSRF', () => {
  it('signs in, sends the CSRF token on writes and not on reads', async () => {
    const m = mockServer();
    const anon = makeClient(BASE, m.fetch);
    const r = await anon.POST('/api/v1/auth/login', { body: { email: 'alex@sladesk.demo', password: m.password } });
    expect(r.response.status).toBe(200);
    expect(r.data?.csrf_token).toBe('csrf-s1'); // (Set-Cookie is not readable from fetch)
    setCsrfToken(r.data?.csrf_token);
    const c = makeClient(BASE, m.withCookie('sladesk_session=s1'));
    const me = await must(c.GET('/api/v1/me'));
    expect(me.csrf_token).toBe('csrf-s1');
    await must(c.POST('/api/v1/tickets/{number}/messages', { params: { path: { number: '5' } }, body: { body: 'hello', visibility: 'public' } }));
    const write = m.log.find((l) => l.method === 'POST' && l.path.includes('/messages'));
    expect(write?.headers['x-csrf-token']).toBe('csrf-s1');
    const read = m.log.find((l) => l.method === 'GET' && l.path === '/api/v1/me');
    expect(read?.headers['x-csrf-token']).toBeUndefined();
    expect((await c.POST('/api/v1/auth/logout', {})).response.status).toBe(204);
  });
  it('a write without the token is refused (403)', async () => {
    const m = mockServer();
    setCsrfToken(undefined);
    const c = makeClient(BASE, m.withCookie('sladesk_session=s1'));
    await makeClient(BASE, m.fetch).POST('/api/v1/auth/login', { body: { email: 'alex@sladesk.demo', password: m.password } });
    const e = await must(c.POST('/api/v1/auth/logout', {})).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(403);
    expect((e as ApiError).field).toBe('X-CSRF-Token');
  });
  it('wrong passwords answer 401 and then 429 with Retry-After', async () => {
    const m = mockServer();
    const c = makeClient(BASE, m.fetch);
    for (let i = 0; i < 5; i++) {
      const e = (await must(c.POST('/api/v1/auth/login', { body: { email: 'alex@sladesk.demo', password: 'x' } })).catch((x: unknown) => x)) as ApiError;
      expect(e.status).toBe(401);
    }
    const e = (await must(c.POST('/api/v1/auth/login', { body: { email: 'alex@sladesk.demo', password: m.password } })).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBe(900);
  });
  it('keeps the token between calls', () => {
    setCsrfToken('abc');
    expect(getCsrfToken()).toBe('abc');
  });
});

describe('the queue view', () => {
  it('reads /api/v1/queue, follows the server clock, and polls with If-None-Match', async () => {
    const m = mockServer({ queue: true, items: [row({ number: 2 }), row({ number: 1 })] });
    setApi(makeClient(BASE, m.fetch));
    const first = await fetchQueue(EMPTY_FILTERS, { tz: 'Europe/Berlin' });
    expect(first.source).toBe('queue');
    expect(first.page?.items.map((i) => i.number)).toEqual([2, 1]);
    expect(first.etag).toMatch(/^"q/);
    expect(Math.abs(serverNow() - Date.parse('2026-01-09T15:30:00Z'))).toBeLessThan(5000);
    const req = m.log.at(-1);
    expect(req?.path).toContain('status=new%2Copen%2Cwaiting_on_customer');
    const again = await fetchQueue(EMPTY_FILTERS, { etag: first.etag });
    expect(again.page).toBeNull();
    expect(m.log.at(-1)?.headers['if-none-match']).toBe(first.etag);
    m.setItems([row({ number: 1, version: 2 }), row({ number: 2 })]);
    const changed = await fetchQueue(EMPTY_FILTERS, { etag: first.etag });
    expect(changed.page?.items.map((i) => i.number)).toEqual([1, 2]);
  });
  it('falls back to /api/v1/tickets when the server has no queue view', async () => {
    const m = mockServer({ queue: false });
    const tickets = {
      items: [
        { number: 9, organisation_id: 1, requester_id: 3, subject: 'Export fails', severity: 'urgent', status: 'new', assignee_id: null, version: 1, updated_at: '2026-01-09T15:00:00Z',
          sla: { next_due_at: '2000-01-01T00:00:00Z', breached: true, metrics: [{ metric: 'first_response', state: 'breached', due_at: '2000-01-01T00:00:00Z', breaches: 1 }] } },
      ],
      next_cursor: null,
    };
    const f: typeof fetch = async (input, init) => {
      const req = input instanceof Request ? input : new Request(input, init);
      const p = new URL(req.url).pathname;
      if (p === '/api/v1/tickets') return new Response(JSON.stringify(tickets), { headers: { 'Content-Type': 'application/json' } });
      if (p === '/api/v1/organisations') return new Response(JSON.stringify({ items: [{ id: 1, name: 'Acme', policy_id: 'gold-support', plan_id: 'gold' }] }), { headers: { 'Content-Type': 'application/json' } });
      if (p === '/api/v1/users') return new Response(JSON.stringify({ items: [] }), { headers: { 'Content-Type': 'application/json' } });
      return m.fetch(req);
    };
    setApi(makeClient(BASE, f));
    const r = await fetchQueue(EMPTY_FILTERS);
    expect(r.source).toBe('tickets');
    expect(usingFallback()).toBe(true);
    expect(r.page?.items[0]).toMatchObject({ number: 9, organisation_name: 'Acme', sla_state: 'breached', next_due_metric: 'first_response', plan_id: 'gold', business_seconds_left: null });
  });
});

describe('policies and missing routes', () => {
  it('reads a policy, and says null while the route is not served', async () => {
    const policy = { id: 'gold-support', name: 'Gold Support', default_severity: 'normal', severities: [], plans: [], fields: [], lifecycle: {} };
    setApi(makeClient(BASE, mockServer({ policies: true, policy: policy as never }).fetch));
    expect((await getPolicy('gold-support'))?.name).toBe('Gold Support');
    await expect(getPolicy('other')).rejects.toBeInstanceOf(ApiError);
    forget('');
    setApi(makeClient(BASE, mockServer({ policies: false }).fetch));
    expect(await getPolicy('gold-support')).toBeNull();
  });
  it('tells a missing route from a missing resource', () => {
    expect(isMissingRoute(new ApiError(404, { detail: 'no route for /api/v1/queue' }))).toBe(true);
    expect(isMissingRoute(new ApiError(404, { detail: 'ticket 5 does not exist' }))).toBe(false);
    expect(isMissingRoute(new Error('x'))).toBe(false);
  });
  it('drives the test clock', async () => {
    const m = mockServer({ queue: true, items: [] });
    const c = makeClient(BASE, m.fetch);
    const t = await must(c.POST('/api/v1/test/clock', { body: { advance_seconds: 3600 } }));
    expect(t.now).toBe('2026-01-09T16:30:00.000Z');
    expect(api).toBeDefined();
  });
});
