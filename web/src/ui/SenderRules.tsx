// Unknown-sender settings (admins): what the mail routing does with mail
// from an address that is no contact, per sender domain
// (GET/PUT/DELETE /api/v1/mail/sender-rules[/{domain}], EMAIL.md §7):
// refuse with a polite answer, hold for an agent, or add the sender as a
// contact of an organisation and open the ticket. Domains without a rule
// follow the server's --unknown-senders default (hold).
//
// State: the list is loaded here and reloaded after each change; the form
// is local. The server checks everything (a bad domain, create_contact
// without an organisation): its problem is shown as it is.
import { useState } from 'preact/hooks';
import { api, must } from '../api/client';
import type { Me, SenderRule } from '../api/types';
import { listOrganisations, useAsync } from '../lib/data';
import { Link } from './Link';
import { ErrorBox, Loading, OrganisationOptions, Page } from './common';

type Action = SenderRule['action'];
export const SENDER_ACTIONS: [Action, string][] = [
  ['hold', 'Hold for an agent'],
  ['refuse', 'Refuse with a polite answer'],
  ['create_contact', 'Add as a contact of an organisation and open the ticket'],
];

export interface RuleForm {
  domain: string;
  action: Action;
  organisationId: string; // '' = none
}

/** The PUT body: an organisation only with create_contact; the domain trimmed and lower-cased for the path. */
export function ruleRequest(f: RuleForm): { domain: string; body: { action: Action; organisation_id?: number } } {
  const domain = f.domain.trim().replace(/^@/, '').toLowerCase();
  const body: { action: Action; organisation_id?: number } = { action: f.action };
  if (f.action === 'create_contact' && f.organisationId) body.organisation_id = Number(f.organisationId);
  return { domain, body };
}

export function actionText(r: SenderRule, orgName: (id: number) => string): string {
  if (r.action === 'create_contact') return `add to ${r.organisation_id ? orgName(r.organisation_id) : 'an organisation'} and open the ticket`;
  return r.action === 'refuse' ? 'refuse with a polite answer' : 'hold for an agent';
}

export function SenderRulesPage({ me }: { me: Me }) {
  if (me.role !== 'admin')
    return (
      <Page title="Unknown-sender settings">
        <p>Only admins change what happens to mail from unknown senders.</p>
        <p>
          <Link href="/mail/held">Back to held mail</Link>
        </p>
      </Page>
    );
  return <SenderRules />;
}

function SenderRules() {
  const [rules, reload] = useAsync(() => must(api.GET('/api/v1/mail/sender-rules')), []);
  const [orgs] = useAsync(listOrganisations, []);
  const [form, setForm] = useState<RuleForm>({ domain: '', action: 'hold', organisationId: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const orgName = (id: number) => orgs.data?.find((o) => o.id === id)?.name ?? `organisation #${id}`;
  const run = async (what: string, call: () => Promise<unknown>) => {
    setError(null);
    setSaved('');
    setBusy(true);
    try {
      await call();
      setSaved(what);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    const { domain, body } = ruleRequest(form);
    return run(`Saved the setting for ${domain}.`, async () => {
      await must(api.PUT('/api/v1/mail/sender-rules/{domain}', { params: { path: { domain } }, body }));
      setForm({ domain: '', action: 'hold', organisationId: '' });
    });
  };
  const remove = (domain: string) =>
    run(`Removed the setting for ${domain}; its mail follows the default again.`, () =>
      must(api.DELETE('/api/v1/mail/sender-rules/{domain}', { params: { path: { domain } } })),
    );
  const items = rules.data?.items ?? [];
  return (
    <Page title="Unknown-sender settings" actions={<Link href="/mail/held">Held mail</Link>}>
      <p class="muted">What the mail routing does with mail from an address that is not a contact, by the sender's domain. Domains without a setting follow the server's default (hold for an agent).</p>
      {rules.loading && !rules.data ? <Loading what="the settings" /> : null}
      <ErrorBox error={rules.error} />
      {saved ? (
        <p class="note" role="status">
          {saved}
        </p>
      ) : null}
      {rules.data ? (
        items.length === 0 ? (
          <p class="muted">No domain has its own setting.</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Unknown-sender settings">
            <table>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Mail from unknown senders</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.domain} data-domain={r.domain}>
                    <th scope="row">{r.domain}</th>
                    <td>{actionText(r, orgName)}</td>
                    <td>
                      <button type="button" class="link" disabled={busy} aria-label={`Remove the setting for ${r.domain}`} onClick={() => void remove(r.domain)}>
                        Remove
                      </button>{' '}
                      <button
                        type="button"
                        class="link"
                        disabled={busy}
                        aria-label={`Change the setting for ${r.domain}`}
                        onClick={() => setForm({ domain: r.domain, action: r.action, organisationId: r.organisation_id ? String(r.organisation_id) : '' })}
                      >
                        Change
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <section class="card" aria-labelledby="rule-h">
        <h2 id="rule-h">Set a domain's setting</h2>
        <ErrorBox error={error} />
        <form
          class="form"
          aria-labelledby="rule-h"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label for="rule-domain">Domain</label>
          <input id="rule-domain" required placeholder="customer.example" value={form.domain} onInput={(e) => setForm({ ...form, domain: e.currentTarget.value })} />
          <label for="rule-action">Mail from unknown senders</label>
          <select id="rule-action" value={form.action} onChange={(e) => setForm({ ...form, action: e.currentTarget.value as Action })}>
            {SENDER_ACTIONS.map(([a, label]) => (
              <option key={a} value={a}>
                {label}
              </option>
            ))}
          </select>
          {form.action === 'create_contact' ? (
            <>
              <label for="rule-org">Organisation they join</label>
              <select id="rule-org" required value={form.organisationId} onChange={(e) => setForm({ ...form, organisationId: e.currentTarget.value })}>
                <OrganisationOptions orgs={orgs.data} none="Pick an organisation" />
              </select>
            </>
          ) : null}
          <div class="row">
            <button type="submit" disabled={busy}>
              Save
            </button>
          </div>
        </form>
      </section>
    </Page>
  );
}
