// Formatting of durations, instants and SLA countdowns for people.
// Pure functions: `now` is always a parameter (milliseconds since the epoch,
// on the server's clock, see clock.ts).

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

/** "2 h 10 min", "45 min", "< 1 min", "3 d 4 h" (days only when `days` and ≥ 48 h). */
export function formatDuration(seconds: number, days = false): string {
  const s = Math.abs(Math.trunc(seconds));
  if (s < MIN) return '< 1 min';
  if (days && s >= 2 * DAY) {
    const d = Math.floor(s / DAY);
    const h = Math.floor((s % DAY) / HOUR);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  const h = Math.floor(s / HOUR);
  const m = Math.floor((s % HOUR) / MIN);
  if (!h) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "Berlin" for Europe/Berlin, "New York" for America/New_York, "UTC" stays. */
export function zoneCity(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withDate}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      ...(withDate ? { day: 'numeric', month: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fmtCache.set(key, f);
  }
  return f;
}

/** Parts of an instant in a zone: weekday, day key (YYYY-MM-DD) and HH:MM. */
export function localParts(ms: number, zone: string): { weekday: string; day: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { weekday: get('weekday'), day: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * "Mon 10:00" within six days of `now`, else "Mon 12 Jan 10:00"; in `zone`.
 */
export function formatLocal(ms: number, zone: string, now: number): string {
  const near = Math.abs(ms - now) < 6 * DAY * 1000;
  const p = fmt(zone, !near).formatToParts(new Date(ms));
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}`;
  return near ? `${get('weekday')} ${time}` : `${get('weekday')} ${get('day')} ${get('month')} ${time}`;
}

/** "in 3 h 5 min" / "20 min ago" / "now". */
export function formatRelative(ms: number, now: number): string {
  const s = Math.round((ms - now) / 1000);
  if (Math.abs(s) < MIN) return 'now';
  const d = formatDuration(s, true);
  return s > 0 ? `in ${d}` : `${d} ago`;
}

export function parseInstant(s: string | null | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/** Metric ids as people read them. */
export function metricName(m: string | null | undefined): string {
  switch (m) {
    case 'first_response':
      return 'first response';
    case 'next_update':
      return 'next update';
    case 'resolution':
      return 'resolution';
    default:
      return m ?? '';
  }
}
