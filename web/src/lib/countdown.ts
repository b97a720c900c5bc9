// The live countdown of a queue row: business seconds left (counted down only
// while the metric's calendar is open), the state as it changes with time
// (warning, breach) and the texts the queue shows.
import type { QueueItem, SlaState } from '../api/types';
import { formatDuration, formatLocal, formatRelative, metricName, parseInstant, zoneCity } from './time';

/** The part of a queue row the countdown needs, with the instant it was evaluated at. */
export type CountdownInput = Pick<
  QueueItem,
  | 'next_due_at'
  | 'next_due_metric'
  | 'sla_state'
  | 'business_seconds_left'
  | 'time_zone'
  | 'calendar_open_now'
  | 'next_open_at'
> &
  Partial<Pick<QueueItem, 'warning_at' | 'calendar_open_until'>>;

/** Business seconds left at `now`, from the row evaluated at `evaluatedAt` (ms). */
export function businessSecondsLeft(item: CountdownInput, evaluatedAt: number, now: number): number | null {
  const left = item.business_seconds_left;
  if (left === null || left === undefined) return null;
  if (item.sla_state === 'paused' || item.sla_state === 'met' || item.sla_state === 'none') return left;
  const elapsed = Math.max(0, now - evaluatedAt) / 1000;
  if (item.calendar_open_now) {
    const until = parseInstant(item.calendar_open_until);
    const counted = until === null ? elapsed : Math.max(0, Math.min(now, until) - evaluatedAt) / 1000;
    return Math.round(left - counted);
  }
  const opens = parseInstant(item.next_open_at);
  if (opens !== null && now > opens) return Math.round(left - (now - Math.max(opens, evaluatedAt)) / 1000);
  return left;
}

/** The state at `now`: running turns warning at warning_at and breached at next_due_at. */
export function liveState(item: CountdownInput, now: number): SlaState {
  const s = item.sla_state;
  if (s !== 'running' && s !== 'warning') return s;
  const due = parseInstant(item.next_due_at);
  if (due !== null && now >= due) return 'breached';
  const warn = parseInstant(item.warning_at);
  if (s === 'running' && warn !== null && now >= warn) return 'warning';
  return s;
}

/**
 * "2 h 10 min of business time left, due Mon 10:00 Berlin" (or "… over, was
 * due …", "paused with …", "no SLA target running").
 */
export function businessText(item: CountdownInput, evaluatedAt: number, now: number): string {
  const due = parseInstant(item.next_due_at);
  if (due === null) return item.sla_state === 'met' ? 'all targets met' : 'no SLA target running';
  const zone = item.time_zone ?? 'UTC';
  const when = `${formatLocal(due, zone, now)} ${zoneCity(zone)}`;
  const left = businessSecondsLeft(item, evaluatedAt, now);
  const state = liveState(item, now);
  if (left === null) return state === 'breached' ? `was due ${when}` : `due ${when}`;
  if (state === 'paused') return `paused with ${formatDuration(left)} of business time left, due ${when} if resumed now`;
  if (state === 'breached' || left < 0)
    return left < 0 ? `${formatDuration(-left)} of business time over, was due ${when}` : `breached, was due ${when}`;
  return `${formatDuration(left)} of business time left, due ${when}`;
}

/** "first response due in 3 h 5 min" / "first response due 20 min ago". */
export function wallText(item: CountdownInput, now: number): string {
  const due = parseInstant(item.next_due_at);
  if (due === null) return '';
  return `${metricName(item.next_due_metric)} due ${formatRelative(due, now)}`;
}

export const STATE_LABEL: Record<SlaState, string> = {
  running: 'On track',
  warning: 'Warning',
  paused: 'Paused',
  breached: 'Breached',
  met: 'Met',
  none: 'No target',
};
/** Icons are decorative (aria-hidden); the label carries the meaning. */
export const STATE_ICON: Record<SlaState, string> = {
  running: '●',
  warning: '▲',
  paused: '❚❚',
  breached: '✖',
  met: '✔',
  none: '–',
};
