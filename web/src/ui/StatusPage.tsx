// The public status page: current incidents and maintenance, availability
// per month against the target, from GET /api/v1/status (issue 11, the
// compliance work). Until the server serves it the page says so. The
// document is read tolerantly (normaliseStatus): the compliance API's shape
// ({status, current_incidents, maintenance, availability[policy → months]})
// and a flat one ({incidents, maintenance, availability[month]}).
import { api, toApiError } from '../api/client';
import { useAsync } from '../lib/data';
import { ErrorBox, fmtTime, Loading, Page, Waiting } from './common';

export interface StatusIncident {
  id: number | string;
  title: string;
  service: string;
  cause: string;
  start: string | null;
  end: string | null;
}
export interface StatusMonth {
  month: string;
  percent: number | null;
  target: number | null;
  met: boolean | null;
  complete: boolean;
}
export interface StatusAvailability {
  id: string | null; // the policy
  name: string;
  target: number | null;
  months: StatusMonth[];
}
export interface StatusView {
  now: string | null;
  incidents: StatusIncident[]; // current (not ended)
  maintenance: StatusIncident[];
  availability: StatusAvailability[];
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);

function incident(o: Obj, i: number): StatusIncident {
  return {
    id: (o.id as number | string | undefined) ?? i,
    title: str(o.title) ?? 'Incident',
    service: str(o.service) ?? '',
    cause: str(o.cause) ?? str(o.impact) ?? '',
    start: str(o.start) ?? str(o.started_at) ?? str(o.starts_at),
    end: str(o.end) ?? str(o.resolved_at) ?? str(o.ends_at),
  };
}

function month(o: Obj, target: number | null): StatusMonth {
  const percent = num(o.availability_percent) ?? num(o.percent);
  const t = num(o.target_percent) ?? target;
  const met = typeof o.met === 'boolean' ? o.met : percent !== null && t !== null ? percent >= t : null;
  return { month: str(o.month) ?? '', percent, target: t, met, complete: o.complete !== false };
}

/** The status document, whichever of the two shapes, as the page shows it. */
export function normaliseStatus(doc: unknown): StatusView {
  const d = (doc && typeof doc === 'object' ? doc : {}) as Obj;
  const current = 'current_incidents' in d ? arr(d.current_incidents) : arr(d.incidents).filter((x) => !x.resolved_at && !x.end);
  const av = arr(d.availability);
  const grouped = av.some((a) => Array.isArray(a.months));
  const availability: StatusAvailability[] = grouped
    ? av.map((a) => {
        const target = num(a.target_percent);
        return { id: str(a.policy_id), name: str(a.policy_name) ?? str(a.policy_id) ?? 'Service', target, months: arr(a.months).map((m) => month(m, target)) };
      })
    : av.length
      ? [{ id: null, name: 'Service', target: num(av[0]?.target_percent), months: av.map((m) => month(m, null)) }]
      : [];
  return { now: str(d.now), incidents: current.map(incident), maintenance: arr(d.maintenance).map(incident), availability };
}

export async function loadStatus(): Promise<StatusView | null> {
  const r = await api.GET('/api/v1/status', { headers: { Accept: 'application/json' } });
  if (r.response.status === 404) return null;
  if (!r.response.ok || !r.data) throw toApiError(r.response, r.error);
  return normaliseStatus(r.data);
}

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(3).replace(/\.?0+$/, '')} %`);

export function StatusPage() {
  const [s] = useAsync(loadStatus, []);
  const v = s.data;
  return (
    <Page title="Service status">
      {s.loading ? <Loading what="the status" /> : null}
      <ErrorBox error={s.error} />
      {v === null ? <Waiting endpoint="GET /api/v1/status" /> : null}
      {v ? (
        <>
          <p class={`status-summary ${v.incidents.length ? 'degraded' : 'ok'}`} role="status">
            <span aria-hidden="true">{v.incidents.length ? '▲' : '✔'}</span>{' '}
            {v.incidents.length ? `${v.incidents.length} current incident${v.incidents.length > 1 ? 's' : ''}` : 'All systems operational'}
          </p>
          <section class="card" aria-labelledby="inc-h">
            <h2 id="inc-h">Current incidents</h2>
            {v.incidents.length === 0 ? <p class="muted">No incidents.</p> : null}
            <ul class="plain">
              {v.incidents.map((i) => (
                <li key={i.id} class="incident">
                  <h3 class="h-small">{i.title}</h3>
                  <p>
                    {[i.service, i.cause.replace(/_/g, ' ')].filter(Boolean).join(' · ')}
                    {i.start ? ` · since ${fmtTime(i.start)}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="mnt-h">
            <h2 id="mnt-h">Maintenance</h2>
            {v.maintenance.length === 0 ? <p class="muted">None scheduled.</p> : null}
            <ul class="plain">
              {v.maintenance.map((m) => (
                <li key={m.id} class="maintenance">
                  <strong>{m.title}</strong>
                  {m.service ? ` (${m.service})` : ''}: {fmtTime(m.start)}
                  {m.end ? ` – ${fmtTime(m.end)}` : ' – until further notice'}
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="av-h">
            <h2 id="av-h">Availability by month</h2>
            {v.availability.length === 0 ? <p class="muted">No months measured yet.</p> : null}
            {v.availability.map((a) => (
              <table key={a.name}>
                <caption>
                  {a.name}
                  {a.target !== null ? `: target ${pct(a.target)} a month` : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">Availability</th>
                    <th scope="col">Target</th>
                    <th scope="col">Met</th>
                  </tr>
                </thead>
                <tbody>
                  {a.months.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">
                        {m.month}
                        {m.complete ? '' : ' (so far)'}
                      </th>
                      <td class={m.met === false ? 'late' : ''}>{pct(m.percent)}</td>
                      <td>{pct(m.target)}</td>
                      <td>{m.met === null ? '–' : m.met ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </section>
        </>
      ) : null}
    </Page>
  );
}
