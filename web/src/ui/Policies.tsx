// The policy viewer: severities with their definitions and examples, and the
// plan × severity table of targets as the seed documents show them.
import type { Policy, PolicyPlan, PolicyTarget } from '../api/types';
import { getPolicy, listPolicies, useAsync } from '../lib/data';
import { formatDuration, metricName } from '../lib/time';
import { Link } from './Link';
import { ErrorBox, Loading, Page, Waiting } from './common';

const METRICS = ['first_response', 'next_update', 'resolution'] as const;

export function targetText(t: PolicyTarget | undefined): string {
  if (!t) return '—';
  if ('no_target' in t) return t.no_target ? t.no_target : 'no target';
  return t.text;
}

function targetTitle(t: PolicyTarget | undefined): string | undefined {
  if (!t || 'no_target' in t) return undefined;
  const goal = t.goal_seconds ? `${formatDuration(t.goal_seconds)} – ` : '';
  return `${goal}${formatDuration(t.seconds)} of business time on ${t.calendar.id} (${t.calendar.time_zone})`;
}

/** Metrics any plan of the policy states, in the usual order. */
function metricsOf(policy: Policy, plans: PolicyPlan[]): string[] {
  const used = new Set<string>();
  for (const p of plans) for (const sev of Object.values(p.targets ?? {})) for (const m of Object.keys(sev ?? {})) used.add(m);
  return METRICS.filter((m) => used.has(m));
}

/** One table: a row per severity and metric, a column per plan. */
export function TargetTable({ policy, plans, caption }: { policy: Policy; plans: PolicyPlan[]; caption: string }) {
  const metrics = metricsOf(policy, plans);
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="targets">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Target</th>
            {plans.map((p) => (
              <th scope="col" key={p.id}>
                {p.name || p.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {policy.severities.map((s) =>
            metrics.map((m, i) => (
              <tr key={`${s.id}-${m}`} class={i === 0 ? 'first' : ''}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={metrics.length}>
                    {s.name}
                  </th>
                ) : null}
                <th scope="row" class="metric-name">
                  {metricName(m)}
                </th>
                {plans.map((p) => {
                  const t = p.targets?.[s.id]?.[m];
                  return (
                    <td key={p.id} title={targetTitle(t)} class={t && 'no_target' in t ? 'no-target' : ''}>
                      {targetText(t)}
                    </td>
                  );
                })}
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

export function SeverityDefinitions({ policy }: { policy: Policy }) {
  return (
    <dl class="severities">
      {policy.severities.map((s) => (
        <div key={s.id} class="sev-def">
          <dt>
            {s.name} <span class="muted small">({s.id})</span>
          </dt>
          <dd>
            <p>{s.definition}</p>
            {s.examples.length ? (
              <ul class="examples" aria-label={`Examples of ${s.name}`}>
                {s.examples.map((e, i) => (
                  <li key={i}>{e}</li>
                ))}
              </ul>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function PolicyList() {
  const [list] = useAsync(listPolicies, []);
  return (
    <Page title="Support policies">
      {list.loading ? <Loading what="policies" /> : null}
      <ErrorBox error={list.error} />
      {list.data === null ? <Waiting endpoint="GET /api/v1/policies" /> : null}
      {list.data ? (
        <ul class="cards">
          {list.data.map((p) => (
            <li key={p.id} class="card">
              <h2>
                <Link href={`/policies/${encodeURIComponent(p.id ?? '')}`}>{p.name}</Link>
              </h2>
              <p class="muted small">{p.source}</p>
              <p>Plans: {(p.plans ?? []).map((x) => x.name || x.id).join(', ')}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </Page>
  );
}

export function PolicyPage({ id, search }: { id: string; search: string }) {
  const [policy] = useAsync(() => getPolicy(id), [id]);
  const planFilter = new URLSearchParams(search).get('plan');
  if (policy.loading) return <Loading what="the policy" />;
  if (policy.error) return <Page title="Policy"><ErrorBox error={policy.error} /></Page>;
  const p = policy.data;
  if (!p) return <Page title={`Policy ${id}`}><Waiting endpoint="GET /api/v1/policies/{id}" /></Page>;
  const plans = planFilter ? p.plans.filter((x) => x.id === planFilter) : p.plans;
  return (
    <Page title={p.name}>
      <p class="muted">
        {p.source}
        {p.effective_date ? ` · effective ${p.effective_date}` : ''}
      </p>
      <section class="card">
        <h2>Targets</h2>
        <TargetTable policy={p} plans={plans} caption={`${p.name}: targets by severity and plan (business time on the plan's calendar)`} />
        {p.warn_at_percent?.length ? <p class="muted small">Warnings before a breach at {p.warn_at_percent.join(' %, ')} % of each target.</p> : null}
      </section>
      <section class="card">
        <h2>Severities</h2>
        <p class="muted small">Most severe first; new tickets default to {p.severities.find((s) => s.id === p.default_severity)?.name ?? p.default_severity}.</p>
        <SeverityDefinitions policy={p} />
      </section>
      <section class="card">
        <h2>Plans</h2>
        {plans.map((pl) => (
          <div key={pl.id} class="plan">
            <h3>{pl.name || pl.id}</h3>
            {pl.description ? <p>{pl.description}</p> : null}
            <dl class="fields">
              {pl.price ? <div><dt>Price</dt><dd>{pl.price}</dd></div> : null}
              <div><dt>Support hours</dt><dd>{pl.calendar ? `${pl.calendar.description ?? pl.calendar.id} (${pl.calendar.time_zone})` : '—'}</dd></div>
              {pl.channels?.length ? <div><dt>Channels</dt><dd>{pl.channels.map((c) => `${(c.kind ?? '').replace(/_/g, ' ')}${c.note ? ` (${c.note})` : ''}`).join('; ')}</dd></div> : null}
              {pl.coverage?.length ? <div><dt>Coverage</dt><dd>{pl.coverage.join(' ')}</dd></div> : null}
              {pl.features?.length ? <div><dt>Includes</dt><dd>{pl.features.join('; ')}</dd></div> : null}
              <div><dt>Named contacts</dt><dd>{pl.named_contacts ?? 'not stated'}</dd></div>
              <div><dt>Incidents per month</dt><dd>{pl.quota?.incidents_per_month ?? 'not limited'}{pl.quota?.incidents_per_month ? (pl.quota.incidents_exceeded === 'refuse' ? '; beyond that refused' : '; beyond that accepted and flagged') : ''}</dd></div>
              {pl.quota?.support_hours || pl.quota?.support_hours_note ? <div><dt>Support hours budget</dt><dd>{pl.quota.support_hours ?? ''} {pl.quota.support_hours_note}</dd></div> : null}
            </dl>
          </div>
        ))}
      </section>
      <section class="card">
        <h2>Tickets and lifecycle</h2>
        {p.fields.length ? (
          <>
            <h3>Fields a ticket needs</h3>
            <ul>
              {p.fields.map((f) => (
                <li key={f.id}>
                  {f.name} — {f.requirement}
                  {f.help ? <span class="muted"> ({f.help})</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <ul>
          <li>Reopen: {p.lifecycle.reopen_allowed ? (p.lifecycle.reopen_window ? `within ${p.lifecycle.reopen_window.text}` : 'allowed, no limit stated') : 'not allowed'}</li>
          <li>Auto-close: {p.lifecycle.auto_close_after ? `after ${p.lifecycle.auto_close_after.text} waiting on the customer` : 'not stated'}</li>
          {p.lifecycle.closure?.map((c, i) => <li key={i}>Closed when: {c}</li>)}
        </ul>
        {p.lifecycle.escalation?.length ? (
          <>
            <h3>Escalation ladder</h3>
            <ol>
              {p.lifecycle.escalation.map((l) => (
                <li key={l.level}>
                  <strong>{l.name}</strong>
                  {l.trigger ? ` — ${l.trigger}` : ''}
                  {l.notify?.length ? ` (notifies ${l.notify.join(', ')})` : ''}
                  {l.raises_severity_to ? `; raises severity to ${l.raises_severity_to}` : ''}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </section>
      {p.contract?.availability || p.contract?.downtime || p.contract?.notes?.length ? (
        <section class="card">
          <h2>Contract: availability and downtime</h2>
          {p.contract.availability ? (
            <p>
              Availability target: <strong>{p.contract.availability.monthly_target_percent} %</strong> a month
              {p.contract.availability.note ? ` (${p.contract.availability.note})` : ''}.
              {p.contract.availability.exclusions?.length ? ` Excluded: ${p.contract.availability.exclusions.join(' ')}` : ''}
            </p>
          ) : null}
          {p.contract.downtime ? (
            <p>
              Downtime rule: {p.contract.downtime.share_percent} % of the {p.contract.downtime.severities?.join(', ')} tickets (at least {p.contract.downtime.minimum_tickets}) of the last{' '}
              {p.contract.downtime.lookback_months} months over their target by more than {p.contract.downtime.over_target_by_percent} %; remedy: up to {p.contract.downtime.remedy_max_tickets} tickets.{' '}
              {p.contract.downtime.note}
            </p>
          ) : null}
          {p.contract.notes?.map((n, i) => <p key={i} class="muted">{n}</p>)}
        </section>
      ) : null}
    </Page>
  );
}
