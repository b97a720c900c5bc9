// Held mail (staff): the inbound messages the mail routing held for an agent
// or refused (docs/EMAIL.md section 7), over GET /api/v1/mail/held. A list
// (pending by default, filtered by held / refused / released, paged with
// next_after) and one message: sender, subject, why it was held, the text and
// the quoted history, the files, and the release: open a ticket from it (an
// unknown sender joins the organisation picked), attach it to a ticket, or
// discard it. A release happens once; the server's answer (a 409 when someone
// else released it first, a 404/422 naming the field) is shown as it is.
import { useState } from 'preact/hooks';
import { api, ApiError, must } from '../api/client';
import type { HeldMail, HeldMailDetail, HeldMailRelease, HeldMailReleased, Me } from '../api/types';
import { getPolicy, listOrganisations, useAsync } from '../lib/data';
import { navigate } from '../lib/router';
import { Link } from './Link';
import { ErrorBox, fmtTime, Loading, OrganisationOptions, Page } from './common';

export type HeldFilter = 'pending' | 'held' | 'refused' | 'released' | 'all';
export const HELD_FILTERS: [HeldFilter, string][] = [
  ['pending', 'Pending (held and refused)'],
  ['held', 'Held, pending'],
  ['refused', 'Refused, pending'],
  ['released', 'Released'],
  ['all', 'All'],
];

type ListQuery = { action: 'held' | 'refused' | 'all'; state: 'pending' | 'released' | 'all'; after?: string; limit?: number };

/** The query of GET /api/v1/mail/held for a filter of the screen. */
export function heldQuery(filter: HeldFilter, after?: number | null, limit = 50): ListQuery {
  const q: ListQuery =
    filter === 'held' || filter === 'refused'
      ? { action: filter, state: 'pending' }
      : { action: 'all', state: filter === 'released' ? 'released' : filter === 'all' ? 'all' : 'pending' };
  if (after) q.after = String(after);
  q.limit = limit;
  return q;
}

export function filterOf(search: string): HeldFilter {
  const f = new URLSearchParams(search).get('show');
  return HELD_FILTERS.some(([k]) => k === f) ? (f as HeldFilter) : 'pending';
}

export interface ReleaseForm {
  organisationId: string; // '' = none picked
  ticketNumber: string;
  allowDomain: boolean;
  /** Policy fields the server asked for (a 422 naming them), by field id. */
  fields?: Record<string, string>;
  /** open: a severity id of the ticket's policy; '' or absent = the policy's default. */
  severity?: string;
}

/** The release errors that name a field of the ticket rather than of the release. */
const releaseOwnFields = new Set(['action', 'organisation_id', 'ticket_number', 'allow_domain', 'severity', 'id', 'description']);
/** The policy field a refused open asks for ("fields.x" or "x"), if the error names one. */
export function missingField(e: unknown): string | undefined {
  if (!(e instanceof ApiError) || e.status !== 422 || !e.field) return undefined;
  const f = e.field.replace(/^fields\./, '');
  return releaseOwnFields.has(f) ? undefined : f;
}

/** The body of POST /api/v1/mail/held/{id}/release: only the fields the action reads. */
export function releaseBody(action: HeldMailRelease['action'], f: ReleaseForm): HeldMailRelease {
  if (action === 'open') {
    const body: HeldMailRelease = { action };
    if (f.organisationId) {
      body.organisation_id = Number(f.organisationId);
      if (f.allowDomain) body.allow_domain = true;
    }
    const fields = Object.fromEntries(Object.entries(f.fields ?? {}).filter(([, v]) => v.trim() !== ''));
    if (Object.keys(fields).length) body.fields = fields;
    if (f.severity) body.severity = f.severity;
    return body;
  }
  if (action === 'attach') return { action, ticket_number: Number(f.ticketNumber.trim().replace(/^#/, '')) };
  return { action };
}

/** One line about a release: "ticket opened (#12) by user #3 on ...". */
export function releaseText(r: HeldMail['release']): string {
  if (!r) return 'pending';
  const what = r.action === 'open' ? 'ticket opened' : r.action === 'attach' ? 'attached' : 'discarded';
  return `${what}${r.ticket_number ? ` (#${r.ticket_number})` : ''}${r.by ? ` by user #${r.by}` : ''}, ${fmtTime(r.at)}`;
}

/** "steps_to_reproduce" → "Steps to reproduce". */
export function fieldLabel(id: string): string {
  const t = id.replace(/[_-]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Who sent it, as the release rules see them (the detail's sender_status). */
export function senderText(s: HeldMailDetail['sender_status']): string {
  const rule = s.domain_rule
    ? `; this domain's setting: ${s.domain_rule.action === 'create_contact' ? `add to organisation #${s.domain_rule.organisation_id}` : s.domain_rule.action}`
    : '';
  const org = s.organisation_name ?? (s.organisation_id ? `organisation #${s.organisation_id}` : '');
  const who = [s.name, org ? `of ${org}` : ''].filter(Boolean).join(' ');
  switch (s.kind) {
    case 'contact':
      return `contact ${who}${rule}`;
    case 'deactivated':
      return `deactivated contact ${who}${rule}`;
    case 'staff':
      return `staff member ${s.name ?? ''}${rule}`;
    default:
      return `unknown sender (not a contact)${rule}`;
  }
}

function ActionBadge({ m }: { m: HeldMail }) {
  return <span class={`badge ${m.action === 'refused' ? 'warn' : 'severity'}`}>{m.action}</span>;
}

export function HeldMailList({ search, me }: { search: string; me?: Me }) {
  const filter = filterOf(search);
  const [first] = useAsync(() => must(api.GET('/api/v1/mail/held', { params: { query: heldQuery(filter) } })), [filter]);
  // Pages after the first ("More"), for the filter they were read with.
  const [extra, setExtra] = useState<{ filter: HeldFilter; items: HeldMail[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const ours = extra && extra.filter === filter ? extra : null;
  const view = first.data ? { items: [...first.data.items, ...(ours?.items ?? [])], next: ours ? ours.next : (first.data.next_after ?? null) } : null;
  const more = async () => {
    if (!view?.next) return;
    setMoreError(null);
    try {
      const r = await must(api.GET('/api/v1/mail/held', { params: { query: heldQuery(filter, view.next) } }));
      setExtra({ filter, items: [...(ours?.items ?? []), ...r.items], next: r.next_after ?? null });
    } catch (e) {
      setMoreError(e);
    }
  };
  return (
    <Page title="Held mail" actions={me?.role === 'admin' ? <Link href="/mail/sender-rules">Unknown-sender settings</Link> : undefined}>
      <div class="filters">
        <div class="f">
          <label for="held-show">Show</label>
          <select id="held-show" value={filter} onChange={(e) => navigate(`/mail/held?show=${e.currentTarget.value}`)}>
            {HELD_FILTERS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {first.loading && !view ? <Loading what="held mail" /> : null}
      <ErrorBox error={first.error} />
      {view ? (
        view.items.length === 0 ? (
          <p class="muted">No messages.</p>
        ) : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Held mail">
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Sender</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Routing</th>
                  <th scope="col">Why</th>
                  <th scope="col">Release</th>
                </tr>
              </thead>
              <tbody>
                {view.items.map((m) => (
                  <tr key={m.id} data-id={m.id}>
                    <td>
                      <time dateTime={m.received_at}>{fmtTime(m.received_at)}</time>
                    </td>
                    <td>{m.sender}</td>
                    <th scope="row">
                      <Link href={`/mail/held/${m.id}`}>{m.subject || '(no subject)'}</Link>
                    </th>
                    <td>
                      <ActionBadge m={m} />
                    </td>
                    <td>{m.reason}</td>
                    <td>{releaseText(m.release)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <ErrorBox error={moreError} />
      {view?.next ? (
        <button type="button" onClick={() => void more()}>
          More
        </button>
      ) : null}
    </Page>
  );
}

export function HeldMailPage({ id, me }: { id: number; me: Me }) {
  const [v, reload] = useAsync(() => must(api.GET('/api/v1/mail/held/{id}', { params: { path: { id: String(id) } } })), [id]);
  const [orgs] = useAsync(listOrganisations, []);
  const [form, setForm] = useState<ReleaseForm>({ organisationId: '', ticketNumber: '', allowDomain: false });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<HeldMailReleased | null>(null);
  const [busy, setBusy] = useState(false);
  // The policy of the organisation the ticket would open in (the sender's,
  // or the one picked for an unknown sender): its severities for the choice.
  const st = v.data?.sender_status;
  const targetOrgId = st?.kind === 'unknown' ? (form.organisationId ? Number(form.organisationId) : null) : (st?.organisation_id ?? null);
  const policyId = orgs.data?.find((o) => o.id === targetOrgId)?.policy_id;
  const [policy] = useAsync(() => (policyId ? getPolicy(policyId) : Promise.resolve(null)), [policyId]);
  if (v.loading) return <Loading what="the message" />;
  if (v.error) return <Page title="Held mail"><ErrorBox error={v.error} /><p><Link href="/mail/held">Back to held mail</Link></p></Page>;
  const m: HeldMailDetail = v.data;
  const msg = m.message;
  const sender = m.sender_status;
  const unknownSender = sender.kind === 'unknown';
  const cannotOpen = sender.kind === 'staff' || sender.kind === 'deactivated';
  const release = async (action: HeldMailRelease['action']) => {
    setError(null);
    setBusy(true);
    try {
      const r = await must(api.POST('/api/v1/mail/held/{id}/release', { params: { path: { id: String(id) } }, body: releaseBody(action, form) }));
      setDone(r);
      reload();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 409) reload(); // show the release that came first
      const field = action === 'open' ? missingField(e) : undefined;
      if (field && !(field in (form.fields ?? {}))) setForm({ ...form, fields: { ...(form.fields ?? {}), [field]: '' } });
    } finally {
      setBusy(false);
    }
  };
  const outcome = done?.outcome;
  return (
    <Page title={m.subject || msg?.subject || '(no subject)'} actions={<Link href="/mail/held">Back to held mail</Link>}>
      <section class="card" aria-labelledby="held-h">
        <h2 id="held-h">Message</h2>
        <dl class="fields">
          <div><dt>From</dt><dd>{msg?.from?.name ? `${msg.from.name} <${msg.from.email ?? m.sender}>` : msg?.from?.email || m.sender}</dd></div>
          {msg?.to?.length ? <div><dt>To</dt><dd>{msg.to.join(', ')}</dd></div> : null}
          {msg?.cc?.length ? <div><dt>Cc</dt><dd>{msg.cc.join(', ')}</dd></div> : null}
          {msg?.date ? <div><dt>Sent</dt><dd>{msg.date}</dd></div> : null}
          <div><dt>Sender</dt><dd class="held-sender">{senderText(sender)}</dd></div>
          <div><dt>Received</dt><dd><time dateTime={m.received_at}>{fmtTime(m.received_at)}</time>{m.source ? <span class="muted"> ({m.source})</span> : null}</dd></div>
          <div><dt>Routing</dt><dd><ActionBadge m={m} /> <span class="held-reason">{m.reason}</span></dd></div>
          {msg?.auto_generated || msg?.dmarc_failed || msg?.bounce ? (
            <div><dt>Flags</dt><dd>{[msg.auto_generated ? 'automatic mail' : '', msg.dmarc_failed ? 'DMARC failed' : '', msg.bounce ? 'delivery report' : ''].filter(Boolean).join(', ')}</dd></div>
          ) : null}
          {m.ticket_number ? <div><dt>Ticket</dt><dd><Link href={`/tickets/${m.ticket_number}`}>#{m.ticket_number}</Link></dd></div> : null}
          <div><dt>Release</dt><dd>{releaseText(m.release)}{m.release?.ticket_number ? <> · <Link href={`/tickets/${m.release.ticket_number}`}>open ticket #{m.release.ticket_number}</Link></> : null}</dd></div>
        </dl>
        {msg?.error ? <p class="error" role="alert">The stored message could not be decoded: {msg.error}</p> : null}
        {msg ? (
          <>
            <h3>Text</h3>
            <div class="pre held-text">{msg.text || <span class="muted">(no text)</span>}</div>
            {msg.quoted ? (
              <details>
                <summary>Quoted history</summary>
                <div class="pre muted">{msg.quoted}</div>
              </details>
            ) : null}
            {msg.attachments?.length ? (
              <>
                <h3>Files</h3>
                <ul>
                  {msg.attachments.map((a, i) => (
                    <li key={i}>
                      {a.filename || '(unnamed)'} <span class="muted">({a.content_type}, {a.size} bytes)</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </section>
      {outcome ? (
        <p class="note" role="status">
          Released: {outcome.action}
          {outcome.ticket_number ? <> on <Link href={`/tickets/${outcome.ticket_number}`}>ticket #{outcome.ticket_number}</Link></> : null}
          {outcome.reason ? ` (${outcome.reason})` : ''}
          {outcome.acknowledged ? '; an acknowledgement is queued.' : '.'}
        </p>
      ) : null}
      <section class="card" aria-labelledby="release-h">
        <h2 id="release-h">Release</h2>
        <ErrorBox error={error} />
        {m.release ? (
          <p>This message was released: {releaseText(m.release)}.</p>
        ) : (
          <>
            <form
              class="form"
              aria-labelledby="open-h"
              onSubmit={(e) => {
                e.preventDefault();
                void release('open');
              }}
            >
              <h3 id="open-h">Open a ticket</h3>
              {cannotOpen ? (
                <p class="muted">{sender.kind === 'staff' ? 'The sender is a staff member: no customer ticket can be opened for them.' : 'The sender is a deactivated contact: reactivate them to open a ticket.'}</p>
              ) : unknownSender ? (
                <>
                  <label for="held-org">Organisation (the sender is unknown: they join it as a contact)</label>
                  <select id="held-org" value={form.organisationId} required onChange={(e) => setForm({ ...form, organisationId: e.currentTarget.value, severity: '' })}>
                    <OrganisationOptions orgs={orgs.data} none="Pick an organisation" />
                  </select>
                </>
              ) : (
                <p class="muted">The ticket opens for {sender.name ?? msg?.from?.email ?? m.sender} of {sender.organisation_name ?? `organisation ${sender.organisation_id}`}.</p>
              )}
              {!cannotOpen && policy.data ? (
                <>
                  <label for="held-severity">Severity</label>
                  <select id="held-severity" value={form.severity ?? ''} aria-describedby="held-severity-def" onChange={(e) => setForm({ ...form, severity: e.currentTarget.value })}>
                    <option value="">The policy's default ({policy.data.severities.find((x) => x.id === policy.data?.default_severity)?.name ?? policy.data.default_severity})</option>
                    {policy.data.severities.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </select>
                  <p id="held-severity-def" class="muted">
                    {policy.data.severities.find((x) => x.id === (form.severity || policy.data?.default_severity))?.definition ?? ''}
                  </p>
                </>
              ) : null}
              {Object.entries(form.fields ?? {}).map(([id, value]) => (
                <div key={id}>
                  <label for={`held-field-${id}`}>{fieldLabel(id)} (the policy requires it; the message does not say)</label>
                  <textarea
                    id={`held-field-${id}`}
                    rows={3}
                    value={value}
                    required
                    onInput={(e) => setForm({ ...form, fields: { ...(form.fields ?? {}), [id]: e.currentTarget.value } })}
                  />
                </div>
              ))}
              {me.role === 'admin' && unknownSender && form.organisationId ? (
                <label class="check">
                  <input type="checkbox" checked={form.allowDomain} onChange={(e) => setForm({ ...form, allowDomain: e.currentTarget.checked })} /> Always add unknown senders of this domain to the organisation
                </label>
              ) : null}
              <div class="row">
                <button type="submit" disabled={busy || cannotOpen}>Open ticket</button>
              </div>
            </form>
            <form
              class="form inline"
              aria-labelledby="attach-h"
              onSubmit={(e) => {
                e.preventDefault();
                void release('attach');
              }}
            >
              <h3 id="attach-h">Attach to a ticket</h3>
              <label for="held-ticket">Ticket number</label>
              <input id="held-ticket" inputMode="numeric" pattern="#?[0-9]+" required value={form.ticketNumber} onInput={(e) => setForm({ ...form, ticketNumber: e.currentTarget.value })} />
              <button type="submit" disabled={busy}>Attach</button>
            </form>
            <div class="row">
              <button type="button" disabled={busy} onClick={() => void release('discard')}>
                Discard
              </button>
            </div>
          </>
        )}
      </section>
    </Page>
  );
}
