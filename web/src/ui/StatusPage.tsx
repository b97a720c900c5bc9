// The public status page: current incidents and maintenance, availability
// per month against the target. Its endpoint (GET /api/v1/status) comes with
// the compliance work; until then the page says so.
import { useAsync } from '../lib/data';
import { ErrorBox, fmtTime, Loading, Page, Waiting } from './common';

interface StatusDoc {
  now?: string;
  incidents?: { id?: number; title?: string; status?: string; impact?: string; started_at?: string; resolved_at?: string | null; updates?: { at?: string; text?: string }[] }[];
  maintenance?: { id?: number; title?: string; starts_at?: string; ends_at?: string }[];
  availability?: { month?: string; percent?: number; target_percent?: number }[];
}

async function loadStatus(): Promise<StatusDoc | null> {
  const r = await fetch('/api/v1/status', { credentials: 'same-origin' });
  if (r.status === 404) return null;
  if (!r.ok) throw new Error(`The status service answered ${r.status}.`);
  return (await r.json()) as StatusDoc;
}

export function StatusPage() {
  const [s] = useAsync(loadStatus, []);
  const incidents = s.data?.incidents ?? [];
  const current = incidents.filter((i) => !i.resolved_at);
  return (
    <Page title="Service status">
      {s.loading ? <Loading what="the status" /> : null}
      <ErrorBox error={s.error} />
      {s.data === null ? <Waiting endpoint="GET /api/v1/status" /> : null}
      {s.data ? (
        <>
          <p class={`status-summary ${current.length ? 'degraded' : 'ok'}`} role="status">
            <span aria-hidden="true">{current.length ? '▲' : '✔'}</span> {current.length ? `${current.length} current incident${current.length > 1 ? 's' : ''}` : 'All systems operational'}
          </p>
          <section class="card">
            <h2>Incidents</h2>
            {incidents.length === 0 ? <p class="muted">No incidents.</p> : null}
            <ul>
              {incidents.map((i) => (
                <li key={i.id} class="incident">
                  <h3 class="h-small">{i.title}</h3>
                  <p>
                    {i.status} · {i.impact} · since {fmtTime(i.started_at)}
                    {i.resolved_at ? ` · resolved ${fmtTime(i.resolved_at)}` : ''}
                  </p>
                  <ul>
                    {(i.updates ?? []).map((u, k) => (
                      <li key={k}>
                        {fmtTime(u.at)}: {u.text}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>Maintenance</h2>
            {(s.data.maintenance ?? []).length === 0 ? <p class="muted">None scheduled.</p> : null}
            <ul>
              {(s.data.maintenance ?? []).map((m) => (
                <li key={m.id}>
                  {m.title}: {fmtTime(m.starts_at)} – {fmtTime(m.ends_at)}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>Availability by month</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Availability</th>
                  <th scope="col">Target</th>
                </tr>
              </thead>
              <tbody>
                {(s.data.availability ?? []).map((a) => (
                  <tr key={a.month}>
                    <th scope="row">{a.month}</th>
                    <td class={(a.percent ?? 100) < (a.target_percent ?? 0) ? 'late' : ''}>{a.percent?.toFixed(3)} %</td>
                    <td>{a.target_percent} %</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </Page>
  );
}
