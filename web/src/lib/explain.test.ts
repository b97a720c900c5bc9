import { describe, expect, it } from 'vitest';
import type { SlaInstanceExplanation } from '../api/types';
import { explainDue } from './explain';

const base: SlaInstanceExplanation = {
  metric: 'first_response',
  cycle: 0,
  latest: true,
  state: 'running',
  severity: 'high',
  has_target: true,
  target_seconds: 28800,
  calendar: { id: 'berlin-business', time_zone: 'Europe/Berlin' },
  start: '2026-01-09T15:30:00Z', // Fri 16:30 Berlin
  spans: [],
  pauses: [],
  elapsed_seconds: 0,
  due_at: '2026-01-12T15:30:00Z', // Mon 16:30
  resumed_at: '2026-01-09T15:30:00Z',
  elapsed_before_resume_seconds: 0,
  due_windows: [
    { start: '2026-01-09T15:30:00Z', end: '2026-01-09T16:00:00Z', business_seconds: 1800 },
    { start: '2026-01-12T08:00:00Z', end: '2026-01-12T15:30:00Z', business_seconds: 27000 },
  ],
};
const now = Date.parse('2026-01-09T15:30:00Z');

describe('explainDue', () => {
  it('sums business time per local day', () => {
    expect(explainDue(base, now)).toBe('due Mon 16:30 Berlin: opened Fri 16:30, 30 min Fri, 7 h 30 min Mon');
  });
  it('says what was counted before a pause', () => {
    const resumed = { ...base, resumed_at: '2026-01-12T08:00:00Z', elapsed_before_resume_seconds: 1800, due_windows: [base.due_windows[1]!] };
    expect(explainDue(resumed, now)).toBe('due Mon 16:30 Berlin: resumed Mon 09:00, 30 min counted before, 7 h 30 min Mon');
  });
  it('names next-update cycles and merges windows of one day', () => {
    const nu = {
      ...base,
      metric: 'next_update' as const,
      cycle: 2,
      due_windows: [
        { start: '2026-01-12T08:00:00Z', end: '2026-01-12T11:00:00Z', business_seconds: 10800 },
        { start: '2026-01-12T12:00:00Z', end: '2026-01-12T15:30:00Z', business_seconds: 12600 },
      ],
    };
    expect(explainDue(nu, now)).toBe('due Mon 16:30 Berlin: cycle 2 started Fri 16:30, 6 h 30 min Mon');
  });
  it('has words for no target and no due time', () => {
    expect(explainDue({ ...base, has_target: false }, now)).toBe('first response: no target');
    expect(explainDue({ ...base, due_at: null, state: 'not_started' }, now)).toBe('first response: no due time (not started)');
  });
  it('reads three or more equal days in a row as one run, two as two', () => {
    // Opened Mon 30 Nov 2026 09:00 Berlin, 8 h a day for 14 business days, then 2 h.
    const windows = [];
    for (let d = Date.parse('2026-11-30T08:00:00Z'), n = 0; n < 15; d += 86400000) {
      const wd = new Date(d).getUTCDay();
      if (wd === 0 || wd === 6) continue;
      const secs = n === 14 ? 7200 : 28800;
      windows.push({ start: new Date(d).toISOString(), end: new Date(d + secs * 1000).toISOString(), business_seconds: secs });
      n++;
    }
    const long = { ...base, start: '2026-11-30T08:00:00Z', resumed_at: '2026-11-30T08:00:00Z', due_at: '2026-12-18T10:00:00Z', due_windows: windows };
    const at = Date.parse('2026-11-30T08:00:00Z');
    expect(explainDue(long, at)).toBe('due Fri 18 Dec 11:00 Berlin: opened Mon 09:00, 8 h a day on 14 days, Mon 30/11 – Thu 17/12, 2 h Fri 18/12');
    const two = { ...long, due_at: '2026-12-01T16:00:00Z', due_windows: windows.slice(0, 2) };
    expect(explainDue(two, at)).toBe('due Tue 17:00 Berlin: opened Mon 09:00, 8 h Mon, 8 h Tue');
  });
});
