// The customer portal: a contact sees their organisation's tickets with the
// targets that apply and whether they are on time, opens tickets with the
// fields the policy requires and a severity chosen beside its definition and
// examples, replies, attaches, escalates, reopens and confirms resolutions.
import { useState } from 'preact/hooks';
import { api, must } from '../api/client';
import type { Me, Policy, PolicyField, Ticket, TicketCreate } from '../api/types';
import { serverNow } from '../lib/clock';
import { getPolicy, listOrganisations, useAsync } from '../lib/data';
import { navigate } from '../lib/router';
import { formatLocal, formatRelative, metricName, parseInstant } from '../lib/time';
import { addMessage, changeStatus, escalate } from '../lib/ticket-data';
import { Link } from './Link';
import { SeverityDefinitions } from './Policies';
import { useTicket } from './TicketPage';
import { AttachForm, Conversation, SlaPanel } from './TicketParts';
import { ErrorBox, fmtTime, Loading, Page, StatusBadge, Waiting, statusLabel } from './common';

async function myOrg() {
  const orgs = await listOrganisations();
  const org = orgs[0];
  if (!org) throw new Error('Your account belongs to no organisation.');
  const policy = await getPolicy(org.policy_id ?? '').catch(() => null);
  return { org, policy };
}

/** "on time" / "late" per metric that has a due time. */
export function onTimeSummary(t: Ticket, now: number): { metric: string; text: string; late: boolean }[] {
  const out: { metric: string; text: string; late: boolean }[] = [];
  for (const m of t.sla?.metrics ?? []) {
    const due = parseInstant(m.due_at);
    if (due === null) continue;
    const late = m.state === 'breached' || (m.state === 'running' && due <= now) || (m.breaches ?? 0) > 0;
    const when = m.state === 'met' ? (late ? 'answered late' : 'answered on time') : late ? `late since ${formatRelative(due, now).replace(' ago', '')}` : `due ${formatRelative(due, now)}`;
    out.push({ metric: metricName(m.metric), text: when, late });
  }
  return out;
}

export function PortalHome({ me }: { me: Me }) {
  const [which, setWhich] = useState<'open' | 'closed'>('open');
  const [tickets] = useAsync(
    async () => (await must(api.GET('/api/v1/tickets', { params: { query: { sort: 'newest', limit: 100, status: which === 'open' ? 'new,open,waiting_on_customer' : 'resolved,closed' } } }))).items ?? [],
    [which],
  );
  const now = serverNow();
  return (
    <Page title="Support tickets" actions={<Link class="button primary" href="/portal/new">Open a ticket</Link>}>
      <p class="muted">Tickets of your organisation{me.organisation_name ? `, ${me.organisation_name}` : ''}.</p>
      <div class="tabs" role="group" aria-label="Which tickets">
        <button type="button" aria-pressed={which === 'open'} onClick={() => setWhich('open')}>Open</button>
        <button type="button" aria-pressed={which === 'closed'} onClick={() => setWhich('closed')}>Resolved and closed</button>
      </div>
      {tickets.loading ? <Loading what="tickets" /> : null}
      <ErrorBox error={tickets.error} />
      {tickets.data && tickets.data.length === 0 ? <p class="empty">No {which} tickets.</p> : null}
      <ul class="portal-list">
        {(tickets.data ?? []).map((t) => (
          <li key={t.number} class="card">
            <h2 class="h-small">
              <Link href={`/portal/tickets/${t.number}`}>
                #{t.number} {t.subject}
              </Link>
            </h2>
            <p>
              <span class="badge severity">{t.severity}</span> <StatusBadge status={t.status} />
            </p>
            <ul class="ontime">
              {onTimeSummary(t, now).map((s) => (
                <li key={s.metric} class={s.late ? 'late' : 'ok'}>
                  <span aria-hidden="true">{s.late ? '✖' : '✔'}</span> {s.metric}: {s.text}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Page>
  );
}

const FIELD_NAMES: Record<string, string> = {
  steps_to_reproduce: 'Steps to reproduce',
  business_impact: 'Business impact',
  product_area: 'Product area',
  error_details: 'Error messages or details',
};

type FormField = Pick<PolicyField, 'id' | 'name' | 'requirement'> & Partial<Pick<PolicyField, 'help' | 'source' | 'type'>>;

/** The policy's fields the contact types in: the ticket's own text fields and its `fields`; what the desk fills from the profile is listed apart. */
export function formFields(policy: Policy | null): { ask: FormField[]; fromProfile: FormField[] } {
  if (!policy) return { ask: Object.keys(FIELD_NAMES).map((id) => ({ id, name: FIELD_NAMES[id] ?? id, requirement: 'requested', source: 'ticket' })), fromProfile: [] };
  const ask: FormField[] = [];
  const fromProfile: FormField[] = [];
  for (const f of policy.fields ?? []) {
    if (f.id === 'description' || f.source === 'uncollectable') continue; // the description box is always there
    if (f.source === 'contact' || f.source === 'organisation') fromProfile.push(f);
    else ask.push(f);
  }
  return { ask, fromProfile };
}

/** A datetime-local value ("2026-12-02T09:30") as RFC 3339 in the browser's zone; other values as typed. */
export function fieldValue(f: FormField, v: string): string {
  if (f.type !== 'datetime' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** TicketCreate from the form: ticket-level fields at the top, the policy's own in `fields`. */
export function ticketBody(form: Record<string, string>, ask: FormField[], severity: string): TicketCreate {
  const body: TicketCreate = { subject: (form.subject ?? '').trim(), description: form.description ?? '', channel: 'portal' };
  const extra: Record<string, string> = {};
  for (const f of ask) {
    const v = form[f.id]?.trim();
    if (!v) continue;
    if (f.source === 'ticket') (body as Record<string, unknown>)[f.id] = v;
    else extra[f.id] = fieldValue(f, v);
  }
  if (Object.keys(extra).length) body.fields = extra;
  if (severity) body.severity = severity;
  return body;
}

const INPUT_TYPES: Record<string, string> = { text: 'text', phone: 'tel', email: 'email', datetime: 'datetime-local', number: 'number', url: 'url' };

export function PortalNewTicket({ me }: { me: Me }) {
  const [ctx] = useAsync(myOrg, []);
  const [form, setForm] = useState<Record<string, string>>({ subject: '', description: '', phone: me.phone ?? '' });
  const [severity, setSeverity] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (ctx.loading) return <Loading what="the form" />;
  if (ctx.error) return <Page title="Open a ticket"><ErrorBox error={ctx.error} /></Page>;
  const { policy } = ctx.data;
  const { ask, fromProfile } = formFields(policy);
  const describe = policy?.fields?.find((f) => f.id === 'description');
  const chosen = severity ?? policy?.default_severity ?? '';
  const set = (k: string, v: string) => setForm({ ...form, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await must(api.POST('/api/v1/tickets', { body: ticketBody(form, ask, chosen), headers: { 'Idempotency-Key': `portal-${me.id}-${Date.now()}` } }));
      navigate(`/portal/tickets/${t.number}?created=1`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Open a ticket">
      <form class="form wide" onSubmit={submit}>
        <label for="t-subject">Subject <span class="req">(required)</span></label>
        <input id="t-subject" required maxLength={300} value={form.subject} onInput={(e) => set('subject', e.currentTarget.value)} />
        <label for="t-description">
          What happened? <span class="req">(required)</span>
        </label>
        <textarea id="t-description" required rows={5} aria-describedby={describe ? 't-description-help' : undefined} value={form.description} onInput={(e) => set('description', e.currentTarget.value)} />
        {describe ? (
          <p id="t-description-help" class="muted small">
            {describe.name}
            {describe.help ? `: ${describe.help}` : '.'}
          </p>
        ) : null}
        {ask.map((f) => {
          const required = f.requirement === 'required';
          const common = {
            id: `t-${f.id}`,
            required,
            'aria-describedby': f.help ? `t-${f.id}-help` : undefined,
            value: form[f.id] ?? '',
            onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => set(f.id, e.currentTarget.value),
          };
          return (
            <div key={f.id} class="field">
              <label for={`t-${f.id}`}>
                {f.name} <span class="req">({required ? 'required' : 'if applicable'})</span>
              </label>
              {f.type && f.type !== 'multiline' ? <input type={INPUT_TYPES[f.type] ?? 'text'} {...common} /> : <textarea rows={3} {...common} />}
              {f.help ? <p id={`t-${f.id}-help`} class="muted small">{f.help}</p> : null}
            </div>
          );
        })}
        {fromProfile.length ? (
          <p class="muted small">
            From your profile: {fromProfile.map((f) => f.name).join(', ')}.
          </p>
        ) : null}
        {policy ? <SeverityChooser policy={policy} value={chosen} onChange={setSeverity} /> : <Waiting endpoint="GET /api/v1/policies/{id}">Until then the ticket gets your plan's default severity; support can change it.</Waiting>}
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Sending…' : 'Open the ticket'}
        </button>
      </form>
    </Page>
  );
}

export function SeverityChooser({ policy, value, onChange }: { policy: Policy; value: string; onChange: (id: string) => void }) {
  return (
    <fieldset class="severity-chooser">
      <legend>Severity: how badly does this affect you?</legend>
      {policy.severities.map((s) => (
        <div key={s.id} class={`sev-choice${value === s.id ? ' chosen' : ''}`}>
          <input type="radio" id={`sev-${s.id}`} name="severity" value={s.id} checked={value === s.id} onChange={() => onChange(s.id)} aria-describedby={`sev-${s.id}-def`} />
          <label for={`sev-${s.id}`}>{s.name}</label>
          <div id={`sev-${s.id}-def`} class="sev-text">
            <p>{s.definition}</p>
            {s.examples.length ? (
              <ul class="examples">
                {s.examples.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ))}
    </fieldset>
  );
}

export function reopenAllowed(t: Ticket, policy: Policy | null, now: number): { ok: boolean; why: string } {
  if (t.status !== 'resolved' && t.status !== 'closed') return { ok: false, why: '' };
  if (!policy) return { ok: true, why: '' };
  const lc = policy.lifecycle;
  if (!lc.reopen_allowed) return { ok: false, why: `The ${policy.name} policy does not allow reopening; please open a new ticket.` };
  // The server computes the deadline (calendar months in the plan's zone).
  const deadline = parseInstant(t.reopen_deadline ?? null);
  if (deadline !== null && now > deadline)
    return { ok: false, why: `The reopen window (${lc.reopen_window?.text ?? 'of the policy'}) has passed; please open a new ticket.` };
  const review = lc.reopen_by === 'agent_review' ? ' A support engineer reviews the request.' : '';
  return { ok: true, why: (lc.reopen_window ? `You can reopen within ${lc.reopen_window.text} of the resolution.` : '') + review };
}

export function PortalTicket({ number, me }: { number: number; me: Me }) {
  const [view, reload] = useTicket(number);
  const [reply, setReply] = useState('');
  const [impact, setImpact] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(new URLSearchParams(location.search).get('created') ? 'Your ticket was received.' : null);
  if (view.loading && !view.data) return <Loading what={`ticket #${number}`} />;
  if (view.error) return <Page title={`Ticket #${number}`}><ErrorBox error={view.error} /></Page>;
  const v = view.data!;
  const t = v.ticket;
  const now = serverNow();
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await fn();
      if (done) setNotice(done);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const open = t.status === 'new' || t.status === 'open' || t.status === 'waiting_on_customer';
  const reopen = reopenAllowed(t, v.policy, now);
  const ladder = v.policy?.lifecycle.escalation ?? [];
  const nextLevel = ladder[t.escalation_level ?? 0];
  const sev = v.policy?.severities.find((s) => s.id === t.severity);
  return (
    <Page title={`#${t.number} ${t.subject}`}>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p>
        <span class="badge severity">{sev?.name ?? t.severity}</span> <StatusBadge status={t.status} />
        {t.escalation_level ? <span class="badge warn">escalated (level {t.escalation_level})</span> : null}
      </p>
      <ErrorBox error={error} />
      <div class="ticket-layout">
        <div class="ticket-main">
          <section class="card">
            <h2>Your request</h2>
            <p class="pre">{t.description}</p>
          </section>
          <Conversation messages={v.messages} attachments={v.attachments} number={number} people={new Map()} meId={me.id} />
          {open ? (
            <section class="card" aria-labelledby="reply-h">
              <h2 id="reply-h">Reply</h2>
              <form class="form" onSubmit={(e) => { e.preventDefault(); void run(() => addMessage(number, reply, 'public')).then(() => setReply('')); }}>
                <label for="p-reply">Your message</label>
                <textarea id="p-reply" required rows={4} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
                <button type="submit" class="primary">Send</button>
              </form>
            </section>
          ) : null}
          {open ? <AttachForm number={number} onDone={reload} /> : null}
        </div>
        <div class="ticket-side">
          <SlaPanel sla={v.sla} policy={v.policy} planId={v.org.plan_id ?? ''} now={now} staff={false} />
          {t.status === 'resolved' ? (
            <section class="card">
              <h2>Is it solved?</h2>
              <p>Support marked this ticket resolved{t.outcome ? ` (${statusLabel(t.outcome)})` : ''}.</p>
              <div class="row">
                <button type="button" class="primary" onClick={() => void run(() => changeStatus(number, { status: 'closed' }), 'Thank you: the ticket is closed.')}>Confirm the resolution</button>
              </div>
            </section>
          ) : null}
          {(t.status === 'resolved' || t.status === 'closed') ? (
            <section class="card">
              <h2>Reopen</h2>
              {reopen.why ? <p class="muted">{reopen.why}</p> : null}
              {t.reopen_requested_at ? <p role="status">You asked to reopen the ticket on {fmtTime(t.reopen_requested_at)}; a support engineer reviews the request.</p> : null}
              <button
                type="button"
                disabled={!reopen.ok || !!t.reopen_requested_at}
                onClick={() =>
                  void run(async () => {
                    const after = await changeStatus(number, { status: 'open', reason: 'reopened by the customer' });
                    // 202: the policy has an agent review the request first.
                    setNotice(after.status === 'open' ? 'The ticket is open again.' : 'Your request to reopen was sent; a support engineer reviews it.');
                  })
                }
              >
                Reopen the ticket
              </button>
            </section>
          ) : null}
          {open ? (
            <section class="card" aria-labelledby="esc-h">
              <h2 id="esc-h">Escalate</h2>
              {v.policy && ladder.length === 0 ? (
                <p class="muted">Your policy defines no escalation levels.</p>
              ) : nextLevel || !v.policy ? (
                <form class="form" onSubmit={(e) => { e.preventDefault(); void run(() => escalate(number, impact), 'Escalation requested.').then(() => setImpact('')); }}>
                  {nextLevel ? <p>Next level: <strong>{nextLevel.name}</strong>{nextLevel.trigger ? ` — ${nextLevel.trigger}` : ''}</p> : null}
                  <label for="p-impact">Business impact (required)</label>
                  <textarea id="p-impact" required rows={3} value={impact} onInput={(e) => setImpact(e.currentTarget.value)} />
                  <button type="submit">Request escalation</button>
                </form>
              ) : (
                <p class="muted">The ticket is at the top escalation level.</p>
              )}
            </section>
          ) : null}
          {v.policy ? (
            <details class="card">
              <summary>What the severities mean</summary>
              <SeverityDefinitions policy={v.policy} />
            </details>
          ) : null}
        </div>
      </div>
    </Page>
  );
}
