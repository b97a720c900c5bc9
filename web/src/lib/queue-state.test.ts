import { describe, expect, it } from 'vitest';
import type { QueueItem, QueuePage } from '../api/types';
import { row } from '../test/mock-server';
import { followSelection, queueReducer, type QueueData } from './queue-state';

const items = (...ns: number[]): QueueItem[] => ns.map((n) => row({ number: n }));
const page = (ns: number[], next: string | null = null, now = '2026-12-03T08:00:00Z'): QueuePage => ({ now, items: items(...ns), next_cursor: next, total: null });

describe('queueReducer', () => {
  const first = queueReducer(null, { type: 'page', page: page([1, 2, 3], 'c1'), etag: '"a"' }) as QueueData;

  it('a page replaces the rows and keeps the cursor, the ETag and the evaluation instant', () => {
    expect(first.items.map((i) => i.number)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ cursor: 'c1', etag: '"a"', evaluatedAt: Date.parse('2026-12-03T08:00:00Z') });
    const re = queueReducer(first, { type: 'page', page: page([3, 1], null, '2026-12-03T09:00:00Z'), etag: '"b"' }) as QueueData;
    expect(re.items.map((i) => i.number)).toEqual([3, 1]);
    expect(re).toMatchObject({ cursor: null, etag: '"b"', evaluatedAt: Date.parse('2026-12-03T09:00:00Z') });
  });

  it('304 keeps the state; reset empties it', () => {
    expect(queueReducer(first, { type: 'not-modified' })).toBe(first);
    expect(queueReducer(first, { type: 'reset' })).toBeNull();
  });

  const table: { name: string; next: number[]; cursor: string | null; max: number; want: number[]; wantCursor: string | null }[] = [
    { name: 'appends the next page', next: [4, 5], cursor: 'c2', max: 100, want: [1, 2, 3, 4, 5], wantCursor: 'c2' },
    { name: 'drops a ticket that moved onto the next page meanwhile', next: [3, 4], cursor: null, max: 100, want: [1, 2, 3, 4], wantCursor: null },
    { name: 'stops at the cap and forgets the cursor', next: [4, 5, 6], cursor: 'c2', max: 4, want: [1, 2, 3, 4], wantCursor: null },
    { name: 'an empty page changes nothing but the cursor', next: [], cursor: null, max: 100, want: [1, 2, 3], wantCursor: null },
  ];
  for (const c of table)
    it(`more: ${c.name}`, () => {
      const s = queueReducer(first, { type: 'more', page: page(c.next, c.cursor), max: c.max }) as QueueData;
      expect(s.items.map((i) => i.number)).toEqual(c.want);
      expect(s.cursor).toBe(c.wantCursor);
      expect(s.etag).toBe('"a"');
    });

  it('more before any page is ignored', () => {
    expect(queueReducer(null, { type: 'more', page: page([1]), max: 10 })).toBeNull();
  });
});

describe('followSelection', () => {
  const cases: [string, number[], number[], number, number][] = [
    ['nothing selected stays so', [1, 2, 3], [3, 2, 1], -1, -1],
    ['the selected ticket moved up', [1, 2, 3], [3, 1, 2], 2, 0],
    ['the selected ticket moved down', [1, 2, 3], [2, 3, 1], 0, 2],
    ['it left: the same place', [1, 2, 3], [1, 3], 1, 1],
    ['it left from the end: clamped', [1, 2, 3], [1, 2], 2, 1],
    ['all rows left', [1, 2], [], 0, -1],
  ];
  for (const [name, before, after, sel, want] of cases)
    it(name, () => {
      expect(followSelection(items(...before), items(...after), sel)).toBe(want);
    });
});
