// Reports with charts come with the compliance API (another issue); the
// screen says which endpoints it waits for.
import { useAsync } from '../lib/data';
import { Page, Waiting } from './common';

async function probe(url: string): Promise<boolean> {
  const r = await fetch(url, { credentials: 'same-origin' });
  return r.status !== 404;
}

export function Reports() {
  const [sla] = useAsync(() => probe('/api/v1/reports/sla'), []);
  return (
    <Page title="Reports">
      <section class="card">
        <h2>SLA attainment</h2>
        <p>Attainment by week, the time-to-first-response distribution and breaches by plan and severity.</p>
        {sla.data === false || sla.error ? <Waiting endpoint="GET /api/v1/reports/sla" /> : null}
        {sla.data ? <p class="note">The server serves /api/v1/reports/sla; its charts are the next step of this screen.</p> : null}
      </section>
      <section class="card">
        <h2>Availability by month</h2>
        <Waiting endpoint="availability per organisation and month (compliance API)" />
      </section>
    </Page>
  );
}
