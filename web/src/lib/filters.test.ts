import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_VIEWS,
  EMPTY_FILTERS,
  deleteView,
  describeFilters,
  filtersFromSearch,
  filtersToQuery,
  filtersToSearch,
  loadViews,
  saveView,
  type QueueFilters,
} from './filters';

function memoryStore(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('queue filters', () => {
  const full: QueueFilters = {
    assignee: 'me',
    team: true,
    breached: true,
    dueToday: true,
    organisationId: 7,
    plan: 'gold',
    severity: ['urgent', 'high'],
    status: ['open', 'new'],
  };
  it('round-trips through the URL', () => {
    expect(filtersFromSearch(filtersToSearch(full))).toEqual(full);
    expect(filtersToSearch(EMPTY_FILTERS)).toBe('');
    expect(filtersFromSearch('')).toEqual(EMPTY_FILTERS);
  });
  it('ignores what it does not know', () => {
    expect(filtersFromSearch('?assignee=bob&org=x1&status=open,bogus&breached=yes')).toEqual({ ...EMPTY_FILTERS, status: ['open'] });
  });
  it('becomes GET /api/v1/queue parameters', () => {
    expect(filtersToQuery(EMPTY_FILTERS, 'Europe/Berlin')).toEqual({ limit: 100, status: 'new,open,waiting_on_customer' });
    expect(filtersToQuery(full, 'Europe/Berlin', 50)).toEqual({
      limit: 50,
      status: 'open,new',
      assignee_id: 'me',
      team: 'mine',
      breached: true,
      due_today: true,
      tz: 'Europe/Berlin',
      organisation_id: 7,
      plan: 'gold',
      severity: 'urgent,high',
    });
    expect(filtersToQuery({ ...EMPTY_FILTERS, assignee: 'none' }, 'UTC').assignee_id).toBe('none');
  });
  it('has words for headings', () => {
    expect(describeFilters(EMPTY_FILTERS)).toBe('all open tickets');
    expect(describeFilters(full, (id) => (id === 7 ? 'Acme' : undefined))).toBe('mine · my team · breached · due today · Acme · plan gold · urgent, high · open, new');
  });
  it('built-in views parse to what their names say', () => {
    const byName = Object.fromEntries(BUILT_IN_VIEWS.map((v) => [v.name, filtersFromSearch(v.search)]));
    expect(byName['Mine']?.assignee).toBe('me');
    expect(byName['Unassigned']?.assignee).toBe('none');
    expect(byName['Breached']?.breached).toBe(true);
    expect(byName['Due today']?.dueToday).toBe(true);
    expect(byName['My team']?.team).toBe(true);
  });
});

describe('saved views', () => {
  it('saves, replaces by name, normalises and deletes', () => {
    const s = memoryStore();
    expect(loadViews(s)).toEqual([]);
    saveView(s, { name: ' Urgent mine ', search: '?severity=urgent&assignee=me&junk=1' });
    expect(loadViews(s)).toEqual([{ name: 'Urgent mine', search: '?assignee=me&severity=urgent' }]);
    saveView(s, { name: 'Urgent mine', search: '?breached=1' });
    expect(loadViews(s)).toEqual([{ name: 'Urgent mine', search: '?breached=1' }]);
    saveView(s, { name: '   ', search: '?breached=1' });
    expect(loadViews(s)).toHaveLength(1);
    expect(deleteView(s, 'Urgent mine')).toEqual([]);
  });
  it('survives a damaged store', () => {
    expect(loadViews(memoryStore({ 'sladesk.views.v1': '{not json' }))).toEqual([]);
    expect(loadViews(memoryStore({ 'sladesk.views.v1': '{"a":1}' }))).toEqual([]);
    expect(loadViews(memoryStore({ 'sladesk.views.v1': '[{"name":1},{"name":"ok","search":""}]' }))).toEqual([{ name: 'ok', search: '' }]);
  });
});
