// Where the queue's rows come from: GET /api/v1/queue (the narrow view with
// business time, ETag and 304) and, on a server that does not serve it yet,
// GET /api/v1/tickets?sort=urgency turned into the same rows (no business
// seconds, no warnings: those need the queue view).
import { api, ApiError, isMissingRoute, must, toApiError } from '../api/client';
import type { Organisation, QueueItem, QueuePage, SlaState, Ticket, User } from '../api/types';
import { observeServerNow } from './clock';
import { filtersToQuery, type QueueFilters } from './filters';

export interface QueueResult {
  page: QueuePage | null; // null: not modified
  etag: string | null;
  source: 'queue' | 'tickets';
}

let queueMissing = false;
/** For tests. */
export function resetQueueSource(): void {
  queueMissing = false;
  names = null;
}
export function usingFallback(): boolean {
  return queueMissing;
}

export async function fetchQueue(
  f: QueueFilters,
  opts: { cursor?: string | null; etag?: string | null; limit?: number; tz?: string } = {},
): Promise<QueueResult> {
  const tz = opts.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (!queueMissing) {
    const query = { ...filtersToQuery(f, tz, opts.limit ?? 100), ...(opts.cursor ? { cursor: opts.cursor } : {}) };
    const r = await api.GET('/api/v1/queue', {
      params: { query, header: opts.etag ? { 'If-None-Match': opts.etag } : {} },
    });
    if (r.response.status === 304) return { page: null, etag: opts.etag ?? null, source: 'queue' };
    if (r.response.ok && r.data) {
      observeServerNow(r.data.now);
      return { page: r.data, etag: r.response.headers.get('ETag'), source: 'queue' };
    }
    const err = toApiError(r.response, r.error);
    if (!isMissingRoute(err)) throw err;
    queueMissing = true;
  }
  return { page: await fromTickets(f, tz, opts.cursor ?? null, opts.limit ?? 100), etag: null, source: 'tickets' };
}

// ------------------------------------------------------------ prefetch

// Opening the app at /queue starts the first page at once, beside GET /me,
// instead of after the session and the first render (one round trip less
// before the rows show). The queue takes it if its filters are the same.
let prefetched: { key: string; result: Promise<QueueResult> } | null = null;
const prefetchKey = (f: QueueFilters, limit: number) => JSON.stringify([f, limit]);

export function prefetchQueue(f: QueueFilters, limit: number): void {
  const result = fetchQueue(f, { limit });
  result.catch(() => undefined); // a signed-out visitor: the queue is never shown
  prefetched = { key: prefetchKey(f, limit), result };
}

/** The prefetched first page for these filters, once; null otherwise. */
export function takePrefetchedQueue(f: QueueFilters, limit: number): Promise<QueueResult> | null {
  const p = prefetched;
  prefetched = null;
  return p && p.key === prefetchKey(f, limit) ? p.result : null;
}

// ------------------------------------------------------------ fallback

let names: { orgs: Map<number, Organisation>; staff: Map<number, User>; contacts: Map<number, User> } | null = null;
async function lookups(): Promise<NonNullable<typeof names>> {
  if (names) return names;
  const orgs = await must(api.GET('/api/v1/organisations'));
  let staff: User[] = [];
  try {
    staff = (await must(api.GET('/api/v1/users'))).items ?? [];
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
  }
  // Requester names: one contacts list per organisation (a few dozen at most).
  const contacts = new Map<number, User>();
  await Promise.all(
    (orgs.items ?? []).map(async (o) => {
      const r = await api.GET('/api/v1/organisations/{id}/contacts', { params: { path: { id: String(o.id) } } });
      for (const u of r.data?.items ?? []) contacts.set(u.id ?? 0, u);
    }),
  );
  names = {
    orgs: new Map((orgs.items ?? []).map((o) => [o.id ?? 0, o])),
    staff: new Map(staff.map((u) => [u.id ?? 0, u])),
    contacts,
  };
  return names;
}

function endOfToday(tz: string, now: number): string {
  // The next local midnight in tz: step forward by the hours left, checked by formatting.
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(now));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const secs = n('hour') * 3600 + n('minute') * 60 + n('second');
  return new Date(now + (86400 - secs) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function ticketToRow(t: Ticket, orgs: Map<number, Organisation>, staff: Map<number, User>, now: number, contacts = new Map<number, User>()): QueueItem {
  const org = orgs.get(t.organisation_id ?? 0);
  const metrics = t.sla?.metrics ?? [];
  const due = t.sla?.next_due_at ?? null;
  const m = metrics.find((x) => x.due_at === due && (x.state === 'running' || x.state === 'paused' || x.state === 'breached'));
  let state: SlaState = 'none';
  if (m?.state === 'paused') state = 'paused';
  else if (m?.state === 'breached' || (due && Date.parse(due) <= now)) state = 'breached';
  else if (m?.state === 'running') state = 'running';
  else if (metrics.some((x) => x.state === 'met')) state = 'met';
  return {
    number: t.number ?? 0,
    subject: t.subject ?? '',
    organisation_id: t.organisation_id ?? 0,
    organisation_name: org?.name ?? `Organisation ${t.organisation_id}`,
    requester_name: contacts.get(t.requester_id ?? 0)?.name ?? `contact #${t.requester_id}`,
    severity: t.severity ?? '',
    status: t.status ?? 'new',
    assignee_id: t.assignee_id ?? null,
    assignee_name: t.assignee_id ? (staff.get(t.assignee_id)?.name ?? `#${t.assignee_id}`) : null,
    policy_id: org?.policy_id ?? '',
    plan_id: org?.plan_id ?? '',
    next_due_at: due,
    next_due_metric: (m?.metric as QueueItem['next_due_metric']) ?? null,
    sla_state: state,
    warning_at: null,
    business_seconds_left: null,
    time_zone: null,
    calendar_open_now: false,
    next_open_at: null,
    breached: !!t.sla?.breached,
    escalation_level: t.escalation_level ?? 0,
    updated_at: t.updated_at ?? '',
    version: t.version ?? 0,
  };
}

async function fromTickets(f: QueueFilters, tz: string, cursor: string | null, limit: number): Promise<QueuePage> {
  const { orgs, staff, contacts } = await lookups();
  const now = Date.now();
  const q = filtersToQuery(f, tz, Math.min(limit, 200));
  const query: Record<string, string | number | boolean> = { sort: 'urgency', limit: q.limit ?? 100 };
  if (q.status) query.status = q.status;
  if (q.assignee_id) query.assignee_id = q.assignee_id;
  if (q.breached) query.breached = true;
  if (q.organisation_id !== undefined) query.organisation_id = q.organisation_id;
  if (f.severity.length === 1) query.severity = f.severity[0] ?? '';
  if (f.dueToday) query.due_before = endOfToday(tz, now);
  if (cursor) query.cursor = cursor;
  const page = await must(api.GET('/api/v1/tickets', { params: { query: query as never } }));
  let items = (page.items ?? []).map((t) => ticketToRow(t, orgs, staff, now, contacts));
  if (f.severity.length > 1) items = items.filter((r) => f.severity.includes(r.severity));
  if (f.plan) items = items.filter((r) => r.plan_id === f.plan || `${r.policy_id}:${r.plan_id}` === f.plan);
  if (f.team) items = items.filter((r) => r.assignee_id !== null);
  return { now: new Date(now).toISOString(), items, next_cursor: page.next_cursor ?? null };
}
