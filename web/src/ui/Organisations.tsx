// Organisations: contract data, quota use this month, named contacts against
// the plan's limit (with the audit of changes) and the plan's targets.
import { useState } from 'preact/hooks';
import { api, must } from '../api/client';
import type { Me } from '../api/types';
import { forget, getPolicy, listOrganisations, staffById, useAsync } from '../lib/data';
import { Link } from './Link';
import { TargetTable } from './Policies';
import { ErrorBox, fmtTime, Loading, Page, Waiting } from './common';

export function OrganisationList() {
  const [orgs] = useAsync(listOrganisations, []);
  return (
    <Page title="Organisations">
      {orgs.loading ? <Loading what="organisations" /> : null}
      <ErrorBox error={orgs.error} />
      {orgs.data ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Organisations">
          <table>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Policy</th>
                <th scope="col">Plan</th>
                <th scope="col">Incidents / month</th>
                <th scope="col">Named contacts</th>
                <th scope="col">Renewal</th>
              </tr>
            </thead>
            <tbody>
              {orgs.data.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link href={`/organisations/${o.id}`}>{o.name}</Link>
                  </th>
                  <td>{o.policy_id}</td>
                  <td>{o.plan_id}</td>
                  <td>{o.incidents_per_month ?? 'unlimited'}</td>
                  <td>{o.named_contact_limit ?? 'no limit'}</td>
                  <td>{o.renewal_date ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}

async function loadOrg(id: number) {
  const pid = { params: { path: { id: String(id) } } };
  const [org, contacts, audit] = await Promise.all([
    must(api.GET('/api/v1/organisations/{id}', pid)),
    must(api.GET('/api/v1/organisations/{id}/contacts', pid)),
    must(api.GET('/api/v1/organisations/{id}/contact-audit', pid)),
  ]);
  const policy = await getPolicy(org.policy_id ?? '').catch(() => null);
  return { org, contacts: contacts.items ?? [], audit: audit.items ?? [], policy };
}

export function OrganisationPage({ id, me }: { id: number; me: Me }) {
  const [v, reload] = useAsync(() => loadOrg(id), [id]);
  const [staff] = useAsync(staffById, []);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [named, setNamed] = useState(true);
  const manage = me.role === 'lead' || me.role === 'admin';
  if (v.loading) return <Loading what="the organisation" />;
  if (v.error) return <Page title="Organisation"><ErrorBox error={v.error} /></Page>;
  const { org, contacts, audit, policy } = v.data;
  const namedCount = contacts.filter((c) => c.named_contact && c.active).length;
  const plan = policy?.plans.find((p) => p.id === org.plan_id);
  const who = (uid: number | undefined) => staff.data?.get(uid ?? 0)?.name ?? contacts.find((c) => c.id === uid)?.name ?? (uid ? `user #${uid}` : 'sladesk (setup)');
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      forget(`contacts:${id}`);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const path = { params: { path: { id: String(id) } } };
  return (
    <Page title={org.name ?? `Organisation ${id}`}>
      <section class="card">
        <h2>Contract</h2>
        <dl class="fields">
          <div><dt>Policy and plan</dt><dd><Link href={`/policies/${encodeURIComponent(org.policy_id ?? '')}?plan=${encodeURIComponent(org.plan_id ?? '')}`}>{org.policy_id} / {org.plan_id}</Link></dd></div>
          <div><dt>Incidents this month</dt><dd>{org.incidents_this_month ?? 0} of {org.incidents_per_month ?? 'unlimited'}<Meter value={org.incidents_this_month ?? 0} max={org.incidents_per_month} label="Incident quota used" /></dd></div>
          <div><dt>Support hours budget</dt><dd>{org.support_hours_budget ?? 'not set'}</dd></div>
          <div><dt>Escalation requests</dt><dd>{org.escalation_requests ?? 0}</dd></div>
          <div><dt>Customer success manager</dt><dd>{org.csm_user_id ? who(org.csm_user_id) : 'none'}</dd></div>
          <div><dt>Renewal</dt><dd>{org.renewal_date ?? '—'}</dd></div>
          {org.onboarding_complete === false ? (
            <div>
              <dt>Onboarding</dt>
              <dd>
                in progress: the policy's onboarding plan applies to new tickets{' '}
                {manage ? (
                  <button type="button" onClick={() => void run(() => must(api.POST('/api/v1/organisations/{id}/onboarding-complete', path)))}>
                    Mark onboarding complete
                  </button>
                ) : null}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="contacts-h">
        <h2 id="contacts-h">Contacts</h2>
        <p>
          Named support contacts: <strong>{namedCount}</strong> of {org.named_contact_limit ?? 'no limit'}
          {org.named_contact_limit ? <Meter value={namedCount} max={org.named_contact_limit} label="Named contacts used" /> : null}
        </p>
        <ErrorBox error={error} />
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Contacts">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Named contact</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.email}</td>
                  <td>
                    {manage ? (
                      <label class="check">
                        <input
                          type="checkbox"
                          checked={!!c.named_contact}
                          onChange={(e) => void run(() => must(api.PATCH('/api/v1/organisations/{id}/contacts/{user_id}', { params: { path: { id: String(id), user_id: String(c.id) } }, body: { named_contact: e.currentTarget.checked } })))}
                        />{' '}
                        <span class="sr-only">Named contact: {c.name}</span>
                        {c.named_contact ? 'yes' : 'no'}
                      </label>
                    ) : c.named_contact ? 'yes' : 'no'}
                  </td>
                  <td>
                    {manage ? (
                      <label class="check">
                        <input
                          type="checkbox"
                          checked={!!c.active}
                          onChange={(e) => void run(() => must(api.PATCH('/api/v1/organisations/{id}/contacts/{user_id}', { params: { path: { id: String(id), user_id: String(c.id) } }, body: { active: e.currentTarget.checked } })))}
                        />{' '}
                        <span class="sr-only">Active: {c.name}</span>
                        {c.active ? 'yes' : 'no'}
                      </label>
                    ) : c.active ? 'yes' : 'no'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {manage ? (
          <form
            class="form inline"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => must(api.POST('/api/v1/organisations/{id}/contacts', { ...path, body: { name, email, named_contact: named } }))).then(() => {
                setName('');
                setEmail('');
              });
            }}
          >
            <h3>Add a contact</h3>
            <label for="c-name">Name</label>
            <input id="c-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <label for="c-email">E-mail</label>
            <input id="c-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            <label class="check">
              <input type="checkbox" checked={named} onChange={(e) => setNamed(e.currentTarget.checked)} /> Named support contact
            </label>
            <button type="submit">Add contact</button>
          </form>
        ) : null}
        <h3>Audit of contact changes</h3>
        {audit.length === 0 ? (
          <p class="muted">No changes recorded.</p>
        ) : (
          <ol class="timeline">
            {audit.map((a) => (
              <li key={a.id}>
                <time class="muted small" dateTime={a.at}>{fmtTime(a.at)}</time> {who(a.actor_id)} {a.action} {who(a.contact_id)}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section class="card">
        <h2>The plan's targets</h2>
        {policy && plan ? <TargetTable policy={policy} plans={[plan]} caption={`${policy.name}, ${plan.name || plan.id}: targets`} /> : <Waiting endpoint="GET /api/v1/policies/{id}" />}
      </section>
    </Page>
  );
}

function Meter({ value, max, label }: { value: number; max: number | null | undefined; label: string }) {
  if (!max) return null;
  return <meter class="meter" min={0} max={max} value={value} high={max * 0.8} optimum={0} aria-label={label} />;
}
