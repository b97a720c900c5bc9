// Reports from the compliance API (issue 11): SLA attainment by week, the
// time to first response by week (median and 90th percentile, business
// time), breaches by plan and by severity, and availability by month. Until
// the server serves GET /api/v1/reports/sla the screen says so. Charts are
// plain SVG bars with the figures also in a table (screen readers, print).
import { api, toApiError } from '../api/client';
import { serverNow } from '../lib/clock';
import { listPolicies, useAsync } from '../lib/data';
import { navigate } from '../lib/router';
import { formatDuration } from '../lib/time';
import { loadStatus } from './StatusPage';
import { ErrorBox, Loading, Page, Waiting } from './common';

/** The parts of GET /api/v1/reports/sla (JSON) the screen reads. */
export interface SlaGroup {
  key?: string;
  tickets?: { opened?: number; resolved?: number; open?: number };
  metrics?: Record<string, { met?: number; breached?: number; share_met?: number | null }>;
  first_response_business_seconds?: { count?: number; median?: number | null; p90?: number | null };
  breaches?: { count?: number };
}
export interface SlaReportDoc {
  period?: { from?: string; to?: string };
  groups?: SlaGroup[];
  total?: SlaGroup;
}

export interface WeekRow {
  from: string; // YYYY-MM-DD, a Monday (UTC)
  opened: number;
  firstResponse: number | null; // share met, 0..1
  resolution: number | null;
  frMedian: number | null; // business seconds
  frP90: number | null;
}

const DAY = 86400000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `n` whole weeks (Monday 00:00 UTC) before the one of `now`, oldest first, plus the current one. */
export function weeks(now: number, n: number): { from: string; to: string }[] {
  const d = new Date(now);
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY;
  const out: { from: string; to: string }[] = [];
  for (let i = n - 1; i >= 0; i--) out.push({ from: ymd(monday - i * 7 * DAY), to: ymd(monday - (i - 1) * 7 * DAY) });
  return out;
}

export function weekRow(from: string, r: SlaReportDoc): WeekRow {
  const t = r.total ?? {};
  return {
    from,
    opened: t.tickets?.opened ?? 0,
    firstResponse: t.metrics?.first_response?.share_met ?? null,
    resolution: t.metrics?.resolution?.share_met ?? null,
    frMedian: t.first_response_business_seconds?.median ?? null,
    frP90: t.first_response_business_seconds?.p90 ?? null,
  };
}

type ReportQuery = { from: string; to: string; policy: string; group_by?: 'plan' | 'severity' };

async function report(query: ReportQuery): Promise<SlaReportDoc | null> {
  const r = await api.GET('/api/v1/reports/sla', { params: { query: query as never } });
  if (r.response.status === 404) return null;
  if (!r.response.ok || !r.data) throw toApiError(r.response, r.error);
  // groups and total are documented as objects (the JSON of `sladesk report sla`): read as SlaGroup.
  return r.data as unknown as SlaReportDoc;
}

interface Loaded {
  weeks: WeekRow[];
  byPlan: SlaGroup[];
  bySeverity: SlaGroup[];
}

async function loadReports(policy: string): Promise<Loaded | null> {
  const now = serverNow();
  const ws = weeks(now, 8);
  const first = await report({ from: ws[0]!.from, to: ws[0]!.to, policy });
  if (first === null) return null;
  const rest = await Promise.all(ws.slice(1).map((w) => report({ from: w.from, to: w.to, policy })));
  const from = ymd(now - 30 * DAY);
  const to = ymd(now + DAY);
  const [plan, sev] = await Promise.all([report({ from, to, policy, group_by: 'plan' }), report({ from, to, policy, group_by: 'severity' })]);
  return {
    weeks: [first, ...rest].map((r, i) => weekRow(ws[i]!.from, r ?? {})),
    byPlan: plan?.groups ?? [],
    bySeverity: sev?.groups ?? [],
  };
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);

/** Horizontal bars: one row per label, the value's share of `max`. */
function Bars({ rows, max, label, fmt }: { rows: { label: string; value: number | null }[]; max: number; label: string; fmt: (v: number | null) => string }) {
  const h = 22;
  return (
    <svg class="bars" role="img" aria-label={label} viewBox={`0 0 400 ${rows.length * h}`} width="100%" height={rows.length * h}>
      {rows.map((r, i) => (
        <g key={r.label} transform={`translate(0 ${i * h})`}>
          <text x="0" y="15" font-size="12">
            {r.label}
          </text>
          <rect x="110" y="4" height="14" width={Math.max(0, (230 * (r.value ?? 0)) / (max || 1))} class="bar" />
          <text x="346" y="15" font-size="12">
            {fmt(r.value)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function Reports({ search }: { search: string }) {
  const [policies] = useAsync(listPolicies, []);
  const chosen = new URLSearchParams(search).get('policy') ?? policies.data?.[0]?.id ?? '';
  const [rep] = useAsync(() => (chosen ? loadReports(chosen) : new Promise<never>(() => undefined)), [chosen]);
  const [av] = useAsync(loadStatus, []);
  const w = rep.data?.weeks ?? [];
  const maxP90 = Math.max(1, ...w.map((x) => x.frP90 ?? 0));
  const breaches = (gs: SlaGroup[]) => gs.map((g) => ({ label: g.key ?? '–', value: g.breaches?.count ?? 0 }));
  const maxBreaches = Math.max(1, ...breaches([...(rep.data?.byPlan ?? []), ...(rep.data?.bySeverity ?? [])]).map((x) => x.value));
  return (
    <Page title="Reports">
      {policies.data?.length ? (
        <form class="form inline" onSubmit={(e) => e.preventDefault()}>
          <label for="rep-policy">Policy</label>
          <select id="rep-policy" value={chosen} onChange={(e) => navigate(`/reports?policy=${encodeURIComponent(e.currentTarget.value)}`, true)}>
            {policies.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </form>
      ) : null}
      <section class="card" aria-labelledby="att-h">
        <h2 id="att-h">SLA attainment by week</h2>
        {rep.loading ? <Loading what="the SLA reports" /> : null}
        <ErrorBox error={rep.error} />
        {rep.data === null ? <Waiting endpoint="GET /api/v1/reports/sla" /> : null}
        {rep.data ? (
          <>
            <p class="muted">Share of SLA clocks met (met ÷ (met + breached), running breaches counted), weeks from Monday, UTC.</p>
            <Bars label="First response met, by week" rows={w.map((x) => ({ label: x.from, value: x.firstResponse }))} max={1} fmt={pct} />
            <table>
              <caption>Attainment by week</caption>
              <thead>
                <tr>
                  <th scope="col">Week from</th>
                  <th scope="col">Opened</th>
                  <th scope="col">First response met</th>
                  <th scope="col">Resolution met</th>
                </tr>
              </thead>
              <tbody>
                {w.map((x) => (
                  <tr key={x.from}>
                    <th scope="row">{x.from}</th>
                    <td>{x.opened}</td>
                    <td>{pct(x.firstResponse)}</td>
                    <td>{pct(x.resolution)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
      {rep.data ? (
        <>
          <section class="card" aria-labelledby="ttfr-h">
            <h2 id="ttfr-h">Time to first response</h2>
            <p class="muted">Business time, by week: the median and the 90th percentile.</p>
            <Bars label="90th percentile time to first response, by week" rows={w.map((x) => ({ label: x.from, value: x.frP90 }))} max={maxP90} fmt={(v) => (v === null ? '–' : formatDuration(v))} />
            <table>
              <caption>Time to first response by week (business time)</caption>
              <thead>
                <tr>
                  <th scope="col">Week from</th>
                  <th scope="col">Median</th>
                  <th scope="col">90th percentile</th>
                </tr>
              </thead>
              <tbody>
                {w.map((x) => (
                  <tr key={x.from}>
                    <th scope="row">{x.from}</th>
                    <td>{x.frMedian === null ? '–' : formatDuration(x.frMedian)}</td>
                    <td>{x.frP90 === null ? '–' : formatDuration(x.frP90)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="br-h">
            <h2 id="br-h">Breaches in the last 30 days</h2>
            <h3>By plan</h3>
            {rep.data.byPlan.length ? <Bars label="Breaches by plan" rows={breaches(rep.data.byPlan)} max={maxBreaches} fmt={(v) => String(v ?? 0)} /> : <p class="muted">No tickets.</p>}
            <h3>By severity</h3>
            {rep.data.bySeverity.length ? <Bars label="Breaches by severity" rows={breaches(rep.data.bySeverity)} max={maxBreaches} fmt={(v) => String(v ?? 0)} /> : <p class="muted">No tickets.</p>}
          </section>
        </>
      ) : null}
      <section class="card" aria-labelledby="avm-h">
        <h2 id="avm-h">Availability by month</h2>
        {av.loading ? <Loading what="availability" /> : null}
        <ErrorBox error={av.error} />
        {av.data === null ? <Waiting endpoint="GET /api/v1/status (availability per month)" /> : null}
        {av.data?.availability.filter((a) => !chosen || a.id === null || a.id === chosen).map((a) => (
          <Bars
            key={a.name}
            label={`${a.name}: availability by month${a.target !== null ? `, target ${a.target} %` : ''}`}
            rows={a.months.slice(-6).map((m) => ({ label: `${m.month}${m.met === false ? ' ✖' : ''}`, value: m.percent }))}
            max={100}
            fmt={(v) => (v === null ? '–' : `${v.toFixed(2)} %`)}
          />
        ))}
      </section>
    </Page>
  );
}
