// The queue's filters: one value type, kept in the page URL (so a view can be
// bookmarked and shared), turned into GET /api/v1/queue parameters, and saved
// as named views in localStorage.

export type AssigneeFilter = 'any' | 'me' | 'none';

export interface QueueFilters {
  assignee: AssigneeFilter;
  team: boolean; // my team
  breached: boolean;
  dueToday: boolean;
  organisationId: number | null;
  plan: string | null;
  severity: string[];
  status: string[]; // empty = the open statuses
}

export const EMPTY_FILTERS: QueueFilters = {
  assignee: 'any',
  team: false,
  breached: false,
  dueToday: false,
  organisationId: null,
  plan: null,
  severity: [],
  status: [],
};

export const OPEN_STATUSES = ['new', 'open', 'waiting_on_customer'];
export const ALL_STATUSES = ['new', 'open', 'waiting_on_customer', 'resolved', 'closed'];

function list(v: string | null): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** From the app URL's query (?assignee=me&breached=1&severity=urgent,high …). */
export function filtersFromSearch(search: string): QueueFilters {
  const q = new URLSearchParams(search);
  const a = q.get('assignee');
  const org = q.get('org');
  const orgId = org && /^\d+$/.test(org) ? Number(org) : null;
  return {
    assignee: a === 'me' || a === 'none' ? a : 'any',
    team: q.get('team') === 'mine',
    breached: q.get('breached') === '1',
    dueToday: q.get('due') === 'today',
    organisationId: orgId,
    plan: q.get('plan') || null,
    severity: list(q.get('severity')),
    status: list(q.get('status')).filter((s) => ALL_STATUSES.includes(s)),
  };
}

/** To the app URL's query; the empty filter is "". */
export function filtersToSearch(f: QueueFilters): string {
  const q = new URLSearchParams();
  if (f.assignee !== 'any') q.set('assignee', f.assignee);
  if (f.team) q.set('team', 'mine');
  if (f.breached) q.set('breached', '1');
  if (f.dueToday) q.set('due', 'today');
  if (f.organisationId !== null) q.set('org', String(f.organisationId));
  if (f.plan) q.set('plan', f.plan);
  if (f.severity.length) q.set('severity', f.severity.join(','));
  if (f.status.length) q.set('status', f.status.join(','));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export type QueueQuery = {
  limit?: number;
  cursor?: string;
  status?: string;
  severity?: string;
  organisation_id?: number;
  plan?: string;
  assignee_id?: string;
  team?: 'mine';
  due_today?: boolean;
  tz?: string;
  breached?: boolean;
};

/** The GET /api/v1/queue parameters of a filter. */
export function filtersToQuery(f: QueueFilters, tz: string, limit = 100): QueueQuery {
  const q: QueueQuery = { limit, status: (f.status.length ? f.status : OPEN_STATUSES).join(',') };
  if (f.assignee !== 'any') q.assignee_id = f.assignee;
  if (f.team) q.team = 'mine';
  if (f.breached) q.breached = true;
  if (f.dueToday) {
    q.due_today = true;
    q.tz = tz;
  }
  if (f.organisationId !== null) q.organisation_id = f.organisationId;
  if (f.plan) q.plan = f.plan;
  if (f.severity.length) q.severity = f.severity.join(',');
  return q;
}

/** Words for a filter ("mine · breached · urgent"), for headings and view names. */
export function describeFilters(f: QueueFilters, orgName?: (id: number) => string | undefined): string {
  const parts: string[] = [];
  if (f.assignee === 'me') parts.push('mine');
  if (f.assignee === 'none') parts.push('unassigned');
  if (f.team) parts.push('my team');
  if (f.breached) parts.push('breached');
  if (f.dueToday) parts.push('due today');
  if (f.organisationId !== null) parts.push(orgName?.(f.organisationId) ?? `organisation ${f.organisationId}`);
  if (f.plan) parts.push(`plan ${f.plan}`);
  if (f.severity.length) parts.push(f.severity.join(', '));
  if (f.status.length) parts.push(f.status.map((s) => s.replace(/_/g, ' ')).join(', '));
  return parts.length ? parts.join(' · ') : 'all open tickets';
}

// ------------------------------------------------------------ saved views

export interface SavedView {
  name: string;
  search: string; // filtersToSearch of the view
}

export const BUILT_IN_VIEWS: SavedView[] = [
  { name: 'All open', search: '' },
  { name: 'Mine', search: '?assignee=me' },
  { name: 'My team', search: '?team=mine' },
  { name: 'Unassigned', search: '?assignee=none' },
  { name: 'Breached', search: '?breached=1' },
  { name: 'Due today', search: '?due=today' },
];

const VIEWS_KEY = 'sladesk.views.v1';

export interface ViewStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadViews(store: ViewStore): SavedView[] {
  try {
    const raw = store.getItem(VIEWS_KEY);
    const v: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(v)) return [];
    return v.filter(
      (x): x is SavedView => !!x && typeof x.name === 'string' && typeof x.search === 'string' && x.name.length <= 80,
    );
  } catch {
    return [];
  }
}

/** Adds or replaces (by name) a view; returns the new list. */
export function saveView(store: ViewStore, view: SavedView): SavedView[] {
  const name = view.name.trim().slice(0, 80);
  if (!name) return loadViews(store);
  const views = loadViews(store).filter((v) => v.name !== name);
  views.push({ name, search: filtersToSearch(filtersFromSearch(view.search)) });
  store.setItem(VIEWS_KEY, JSON.stringify(views));
  return views;
}

export function deleteView(store: ViewStore, name: string): SavedView[] {
  const views = loadViews(store).filter((v) => v.name !== name);
  store.setItem(VIEWS_KEY, JSON.stringify(views));
  return views;
}
