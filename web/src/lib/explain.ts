// The engine's explanation of a due time, in one line a person reads:
// "due Mon 16:30 Berlin: opened Fri 16:30, 30 min Fri, 7 h 30 min Mon".
import type { SlaInstanceExplanation } from '../api/types';
import { formatDuration, formatLocal, localParts, metricName, parseInstant, zoneCity } from './time';

export function explainDue(inst: SlaInstanceExplanation, now: number): string {
  const zone = inst.calendar?.time_zone ?? 'UTC';
  const due = parseInstant(inst.due_at);
  if (!inst.has_target) return `${metricName(inst.metric)}: no target`;
  if (due === null) return `${metricName(inst.metric)}: no due time (${inst.state.replace(/_/g, ' ')})`;
  const start = parseInstant(inst.resumed_at) ?? parseInstant(inst.start) ?? due;
  const resumed = !!inst.resumed_at && inst.resumed_at !== inst.start;
  const verb = resumed ? 'resumed' : inst.metric === 'next_update' ? `cycle ${inst.cycle} started` : 'opened';
  const parts = [`${verb} ${formatLocal(start, zone, now)}`];
  const before = inst.elapsed_before_resume_seconds ?? 0;
  if (before > 0) parts.push(`${formatDuration(before)} counted before`);
  // Business time per local day of the windows that make up the due time.
  const days: { label: string; day: string; seconds: number }[] = [];
  const far = inst.due_windows.length > 0 && Math.abs(due - start) > 6 * 86400 * 1000;
  for (const w of inst.due_windows) {
    const s = parseInstant(w.start);
    if (s === null) continue;
    const p = localParts(s, zone);
    const label = far ? `${p.weekday} ${p.day.slice(8)}/${p.day.slice(5, 7)}` : p.weekday;
    const last = days[days.length - 1];
    if (last && last.day === p.day) last.seconds += w.business_seconds ?? 0;
    else days.push({ label, day: p.day, seconds: w.business_seconds ?? 0 });
  }
  // Three or more days in a row with the same business time read as one run:
  // "8 h a day on 14 days, Mon 30/11 – Thu 17/12".
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1]!.seconds === days[i]!.seconds) j++;
    const d = days[i]!;
    if (j - i >= 2) parts.push(`${formatDuration(d.seconds)} a day on ${j - i + 1} days, ${d.label} – ${days[j]!.label}`);
    else for (let k = i; k <= j; k++) parts.push(`${formatDuration(days[k]!.seconds)} ${days[k]!.label}`);
    i = j + 1;
  }
  return `due ${formatLocal(due, zone, now)} ${zoneCity(zone)}: ${parts.join(', ')}`;
}
