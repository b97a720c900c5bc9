import { describe, expect, it } from 'vitest';
import { weekRow, weeks } from './Reports';

describe('report weeks', () => {
  const cases: [string, string, { from: string; to: string }[]][] = [
    ['a Wednesday: this week from Monday, the one before', '2026-12-02T13:00:00Z', [{ from: '2026-11-23', to: '2026-11-30' }, { from: '2026-11-30', to: '2026-12-07' }]],
    ['a Monday at midnight starts its own week', '2026-11-30T00:00:00Z', [{ from: '2026-11-23', to: '2026-11-30' }, { from: '2026-11-30', to: '2026-12-07' }]],
    ['a Sunday belongs to the week of the Monday before', '2026-12-06T23:59:59Z', [{ from: '2026-11-23', to: '2026-11-30' }, { from: '2026-11-30', to: '2026-12-07' }]],
    ['across a year end', '2027-01-01T10:00:00Z', [{ from: '2026-12-21', to: '2026-12-28' }, { from: '2026-12-28', to: '2027-01-04' }]],
  ];
  for (const [name, now, want] of cases) it(name, () => expect(weeks(Date.parse(now), 2)).toEqual(want));
  it('eight weeks, oldest first, each seven days', () => {
    const w = weeks(Date.parse('2026-12-02T13:00:00Z'), 8);
    expect(w).toHaveLength(8);
    expect(w[0]?.from).toBe('2026-10-12');
    for (const x of w) expect(Date.parse(x.to) - Date.parse(x.from)).toBe(7 * 86400000);
  });
});

describe('weekRow', () => {
  it('reads the total of a report', () => {
    const r = weekRow('2026-11-30', {
      total: { tickets: { opened: 12 }, metrics: { first_response: { met: 9, breached: 3, share_met: 0.75 }, resolution: { share_met: null } }, first_response_business_seconds: { count: 12, median: 1800, p90: 7200 } },
    });
    expect(r).toEqual({ from: '2026-11-30', opened: 12, firstResponse: 0.75, resolution: null, frMedian: 1800, frP90: 7200 });
  });
  it('an empty report is an empty week', () => {
    expect(weekRow('2026-11-30', {})).toEqual({ from: '2026-11-30', opened: 0, firstResponse: null, resolution: null, frMedian: null, frP90: null });
  });
});
