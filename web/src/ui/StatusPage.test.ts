import { describe, expect, it } from 'vitest';
import { normaliseStatus } from './StatusPage';

describe('normaliseStatus', () => {
  it('reads the compliance API shape: current incidents, maintenance, months per policy', () => {
    const v = normaliseStatus({
      now: '2026-12-03T10:00:00Z',
      status: 'incident',
      current_incidents: [{ id: 7, kind: 'incident', service: 'dashboards', cause: 'outage', title: 'Dashboards down', start: '2026-12-03T09:50:00Z', end: null }],
      maintenance: [{ id: 8, kind: 'maintenance', service: 'api', cause: 'allowed_maintenance', title: 'DB upgrade', start: '2026-12-05T22:00:00Z', end: '2026-12-05T23:00:00Z' }],
      availability: [{ policy_id: 'agency-support', policy_name: 'Support Services', target_percent: '98.0', months: [{ month: '2026-11', availability_percent: 97.9, met: false, complete: true }, { month: '2026-12', availability_percent: 100, met: true, complete: false }] }],
    });
    expect(v.incidents).toEqual([{ id: 7, title: 'Dashboards down', service: 'dashboards', cause: 'outage', start: '2026-12-03T09:50:00Z', end: null }]);
    expect(v.maintenance[0]).toMatchObject({ title: 'DB upgrade', end: '2026-12-05T23:00:00Z' });
    expect(v.availability[0]).toMatchObject({ name: 'Support Services', target: 98 });
    expect(v.availability[0]?.months).toEqual([
      { month: '2026-11', percent: 97.9, target: 98, met: false, complete: true },
      { month: '2026-12', percent: 100, target: 98, met: true, complete: false },
    ]);
  });

  it('reads a flat shape and keeps only unresolved incidents as current', () => {
    const v = normaliseStatus({ incidents: [{ id: 1, title: 'Old', resolved_at: '2026-11-01T00:00:00Z' }, { id: 2, title: 'Now', started_at: '2026-12-03T09:00:00Z' }], availability: [{ month: '2026-11', percent: 99.5, target_percent: 99 }] });
    expect(v.incidents.map((i) => i.title)).toEqual(['Now']);
    expect(v.availability[0]?.months[0]).toMatchObject({ percent: 99.5, target: 99, met: true });
  });

  it('survives junk: nothing to show, no crash', () => {
    for (const junk of [null, 42, 'x', { current_incidents: 'no', availability: [null, 1] }])
      expect(normaliseStatus(junk)).toEqual({ now: null, incidents: [], maintenance: [], availability: [] });
  });
});
