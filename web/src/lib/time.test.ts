import { describe, expect, it } from 'vitest';
import { formatDuration, formatLocal, formatRelative, zoneCity } from './time';
import { businessSecondsLeft, businessText, liveState, wallText } from './countdown';
import { row } from '../test/mock-server';

const at = (s: string) => Date.parse(s);

describe('formatDuration', () => {
  it.each([
    [0, '< 1 min'],
    [59, '< 1 min'],
    [60, '1 min'],
    [3599, '59 min'],
    [3600, '1 h'],
    [7800, '2 h 10 min'],
    [-7800, '2 h 10 min'],
    [26 * 3600 + 300, '26 h 5 min'],
  ])('%i s → %s', (s, text) => expect(formatDuration(s)).toBe(text));
  it('uses days for wall time of two days and more', () => {
    expect(formatDuration(47 * 3600, true)).toBe('47 h');
    expect(formatDuration(3 * 86400 + 4 * 3600, true)).toBe('3 d 4 h');
    expect(formatDuration(2 * 86400, true)).toBe('2 d');
  });
});

describe('zones and local times', () => {
  it('names the city of a zone', () => {
    expect(zoneCity('Europe/Berlin')).toBe('Berlin');
    expect(zoneCity('America/New_York')).toBe('New York');
    expect(zoneCity('UTC')).toBe('UTC');
    expect(zoneCity(null)).toBe('UTC');
  });
  it('formats in the calendar zone, across DST', () => {
    const now = at('2026-01-09T15:30:00Z');
    expect(formatLocal(at('2026-01-12T09:00:00Z'), 'Europe/Berlin', now)).toBe('Mon 10:00');
    // Summer time: UTC+2.
    expect(formatLocal(at('2026-07-06T08:00:00Z'), 'Europe/Berlin', at('2026-07-03T12:00:00Z'))).toBe('Mon 10:00');
    expect(formatLocal(at('2026-01-12T09:00:00Z'), 'America/New_York', now)).toBe('Mon 04:00');
  });
  it('adds the date beyond six days', () => {
    expect(formatLocal(at('2026-01-20T09:00:00Z'), 'Europe/Berlin', at('2026-01-09T15:30:00Z'))).toBe('Tue 20 Jan 10:00');
  });
  it('says in / ago', () => {
    const now = at('2026-01-09T15:30:00Z');
    expect(formatRelative(now + 3 * 3600e3 + 5 * 60e3, now)).toBe('in 3 h 5 min');
    expect(formatRelative(now - 20 * 60e3, now)).toBe('20 min ago');
    expect(formatRelative(now + 20e3, now)).toBe('now');
  });
});

describe('business-time countdown', () => {
  const evaluated = at('2026-01-09T15:30:00Z'); // Fri 16:30 Berlin
  it('reads as the issue asks', () => {
    expect(businessText(row({ number: 1 }), evaluated, evaluated)).toBe('2 h 10 min of business time left, due Mon 10:00 Berlin');
  });
  it('counts down while the calendar is open, and stops at its close', () => {
    const r = row({ number: 1 });
    expect(businessSecondsLeft(r, evaluated, evaluated + 10 * 60e3)).toBe(7800 - 600);
    // The window closes at 17:00 Berlin (16:00Z): nothing more is counted after.
    expect(businessSecondsLeft(r, evaluated, at('2026-01-09T20:00:00Z'))).toBe(7800 - 1800);
  });
  it('does not count while closed, then counts from the next opening', () => {
    const r = row({ number: 1, calendar_open_now: false, calendar_open_until: null, next_open_at: '2026-01-12T08:00:00Z' });
    expect(businessSecondsLeft(r, evaluated, at('2026-01-10T12:00:00Z'))).toBe(7800);
    expect(businessSecondsLeft(r, evaluated, at('2026-01-12T08:30:00Z'))).toBe(7800 - 1800);
  });
  it('keeps paused clocks still', () => {
    const r = row({ number: 1, sla_state: 'paused' });
    expect(businessSecondsLeft(r, evaluated, evaluated + 3600e3)).toBe(7800);
    expect(businessText(r, evaluated, evaluated + 3600e3)).toBe('paused with 2 h 10 min of business time left, due Mon 10:00 Berlin if resumed now');
  });
  it('turns warning at warning_at and breached at the due time', () => {
    const r = row({ number: 1, warning_at: '2026-01-12T08:30:00Z' });
    expect(liveState(r, evaluated)).toBe('running');
    expect(liveState(r, at('2026-01-12T08:30:00Z'))).toBe('warning');
    expect(liveState(r, at('2026-01-12T09:00:00Z'))).toBe('breached');
    expect(liveState(row({ number: 2, sla_state: 'paused' }), at('2026-02-01T00:00:00Z'))).toBe('paused');
  });
  it('says how far over a breach is', () => {
    const r = row({ number: 1, sla_state: 'breached', business_seconds_left: -1500, next_due_at: '2026-01-09T15:05:00Z', calendar_open_until: null });
    expect(businessText(r, evaluated, evaluated)).toBe('25 min of business time over, was due Fri 16:05 Berlin');
  });
  it('has words for rows without a due time', () => {
    expect(businessText(row({ number: 1, next_due_at: null, sla_state: 'none', business_seconds_left: null }), evaluated, evaluated)).toBe('no SLA target running');
    expect(businessText(row({ number: 1, next_due_at: null, sla_state: 'met', business_seconds_left: null }), evaluated, evaluated)).toBe('all targets met');
  });
  it('shows wall time too', () => {
    expect(wallText(row({ number: 1 }), evaluated)).toBe('first response due in 2 d 17 h');
    expect(wallText(row({ number: 1, next_due_metric: 'next_update', next_due_at: '2026-01-09T15:00:00Z' }), evaluated)).toBe('next update due 30 min ago');
  });
  it('falls back to wall time when the server sends no business seconds', () => {
    const r = row({ number: 1, business_seconds_left: null, time_zone: null });
    expect(businessText(r, evaluated, evaluated)).toBe('due Mon 09:00 UTC');
  });
});
