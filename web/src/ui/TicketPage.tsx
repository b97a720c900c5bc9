// The agent's ticket page: conversation and reply, SLA clocks with the
// engine's explanation, severity (with a reason), assignment, status and
// outcome (a bug escalation links its engineering issue), escalations, the
// timeline and notification deliveries.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me, Outcome, User } from '../api/types';
import { serverNow } from '../lib/clock';
import { contactsOf, staffById, useAsync } from '../lib/data';
import { connectLive } from '../lib/live';
import { addMessage, assign, changeSeverity, changeStatus, loadNotifications, loadTicket, reviewReopen, type TicketView } from '../lib/ticket-data';
import { Link } from './Link';
import { EngineeringCard, TimeCard } from './TicketWork';
import { AttachForm, Conversation, EscalationHistory, SlaPanel, Timeline } from './TicketParts';
import { ErrorBox, fmtTime, Loading, Page, SeverityBadge, StatusBadge, Waiting, statusLabel } from './common';

export const OUTCOMES: { id: Outcome; label: string }[] = [
  { id: 'solved', label: 'Solved' },
  { id: 'workaround', label: 'Workaround given' },
  { id: 'feature_request', label: 'Feature request' },
  { id: 'bug_escalated', label: 'Bug escalated to engineering' },
  { id: 'paid_work', label: 'Paid work' },
  { id: 'training', label: 'Training' },
  { id: 'no_response', label: 'No response from the customer' },
];

export function useTicket(number: number) {
  const [view, reload] = useAsync(() => loadTicket(number), [number]);
  // Re-read when the stream says this ticket changed.
  useEffect(() => {
    const live = connectLive({ onTicket: (n) => n === number && reload(), onPoll: () => reload(), pollMs: 30000 });
    return () => live.close();
  }, [number]);
  return [view, reload] as const;
}

export function TicketPage({ number, me, search }: { number: number; me: Me; search: string }) {
  const [view, reload] = useTicket(number);
  const [staff] = useAsync(staffById, []);
  const [contacts] = useAsync(() => (view.data ? contactsOf(view.data.ticket.organisation_id ?? 0) : Promise.resolve([])), [view.data?.ticket.organisation_id]);
  const people = new Map<number, User>([...(staff.data ?? new Map()), ...(contacts.data ?? []).map((u) => [u.id ?? 0, u] as [number, User])]);
  if (view.loading && !view.data) return <Loading what={`ticket #${number}`} />;
  if (view.error) return <Page title={`Ticket #${number}`}><ErrorBox error={view.error} /></Page>;
  const v = view.data!;
  const t = v.ticket;
  const now = serverNow();
  const sevName = v.policy?.severities.find((s) => s.id === t.severity)?.name;
  const requester = people.get(t.requester_id ?? 0);
  return (
    <Page title={`#${t.number} ${t.subject}`}>
      <p class="ticket-meta">
        <SeverityBadge severity={t.severity ?? ''} name={sevName} /> <StatusBadge status={t.status} />
        {t.over_quota ? <span class="badge warn">over the plan's quota</span> : null}
        {t.escalation_level ? <span class="badge warn">escalation level {t.escalation_level}</span> : null}{' '}
        <Link href={`/organisations/${t.organisation_id}`}>{v.org.name}</Link> · {v.org.policy_id} / {v.org.plan_id} · requested by{' '}
        {requester?.name ?? `contact #${t.requester_id}`} · assigned to {t.assignee?.name ?? (t.assignee_id ? people.get(t.assignee_id)?.name : null) ?? 'nobody'}
      </p>
      <div class="ticket-layout">
        <div class="ticket-main">
          <section class="card" aria-labelledby="desc-h">
            <h2 id="desc-h">Description</h2>
            <p class="pre">{t.description}</p>
            <dl class="fields">
              {(['steps_to_reproduce', 'business_impact', 'product_area', 'error_details'] as const).map((k) =>
                t[k] ? (
                  <div key={k}>
                    <dt>{v.policy?.fields.find((f) => f.id === k)?.name ?? k.replace(/_/g, ' ')}</dt>
                    <dd class="pre">{t[k]}</dd>
                  </div>
                ) : null,
              )}
              {Object.entries(t.fields ?? {}).map(([k, val]) => (
                <div key={`f-${k}`}>
                  <dt>{v.policy?.fields.find((f) => f.id === k)?.name ?? k.replace(/_/g, ' ')}</dt>
                  <dd class="pre">{v.policy?.fields.find((f) => f.id === k)?.type === 'datetime' && !Number.isNaN(Date.parse(String(val))) ? fmtTime(String(val)) : String(val)}</dd>
                </div>
              ))}
            </dl>
          </section>
          <Conversation messages={v.messages} attachments={v.attachments} number={number} people={people} meId={me.id} />
          <Reply view={v} onDone={reload} focus={new URLSearchParams(search).get('reply') === '1'} />
          <AttachForm number={number} onDone={reload} />
          <Timeline events={v.events} people={people} meId={me.id} />
        </div>
        <div class="ticket-side">
          <SlaPanel sla={v.sla} policy={v.policy} planId={v.org.plan_id ?? ''} now={now} staff />
          <Actions view={v} me={me} staff={[...(staff.data?.values() ?? [])]} onDone={reload} />
          <EngineeringCard ticket={t} onDone={reload} />
          <TimeCard number={number} people={people} />
          <EscalationHistory events={v.events} people={people} />
          <Notifications number={number} />
        </div>
      </div>
    </Page>
  );
}

function Reply({ view, onDone, focus }: { view: TicketView; onDone: () => void; focus: boolean }) {
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focus) setTimeout(() => ref.current?.focus(), 50);
  }, [focus]);
  const closed = view.ticket.status === 'resolved' || view.ticket.status === 'closed';
  return (
    <section class="card" aria-labelledby="reply-h">
      <h2 id="reply-h">Reply</h2>
      <form
        class="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await addMessage(view.ticket.number ?? 0, body, visibility);
            setBody('');
            onDone();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset class="radios">
          <legend>Kind</legend>
          <label>
            <input type="radio" name="vis" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public reply to the customer
          </label>
          <label>
            <input type="radio" name="vis" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} /> Internal note (staff only)
          </label>
        </fieldset>
        <label for="reply-body">{visibility === 'public' ? 'Message to the customer' : 'Internal note'}</label>
        <textarea id="reply-body" ref={ref} required rows={5} value={body} onInput={(e) => setBody(e.currentTarget.value)} class={visibility === 'internal' ? 'internal' : ''} />
        {closed && visibility === 'public' ? <p class="note small">The ticket is {statusLabel(view.ticket.status)}: reopen it before a public reply.</p> : null}
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {visibility === 'public' ? 'Send reply' : 'Add note'}
        </button>
      </form>
    </section>
  );
}

function Actions({ view, me, staff, onDone }: { view: TicketView; me: Me; staff: User[]; onDone: () => void }) {
  const t = view.ticket;
  const n = t.number ?? 0;
  const [error, setError] = useState<unknown>(null);
  const [severity, setSeverity] = useState(t.severity ?? '');
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<string>('');
  const [outcome, setOutcome] = useState<string>('solved');
  const [external, setExternal] = useState(t.external_issue ?? '');
  const [assignee, setAssignee] = useState<string>(t.assignee_id ? String(t.assignee_id) : '');
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const [reopenReason, setReopenReason] = useState('');
  const [followUp, setFollowUp] = useState(false);
  const lead = me.role === 'lead' || me.role === 'admin';
  const severities = view.policy?.severities ?? [];
  const nextStatuses = ({
    new: ['open', 'waiting_on_customer', 'resolved'],
    open: ['waiting_on_customer', 'resolved'],
    waiting_on_customer: ['open', 'resolved'],
    resolved: ['open', 'closed'],
    closed: ['open'],
  } as Record<string, string[]>)[t.status ?? 'new'] ?? [];
  return (
    <section class="card" aria-labelledby="act-h">
      <h2 id="act-h">Work the ticket</h2>
      <ErrorBox error={error} />
      {t.reopen_requested_at ? (
        <form class="form reopen-review" onSubmit={(e) => e.preventDefault()} aria-labelledby="reopen-h">
          <h3 id="reopen-h">Reopen requested</h3>
          <p>The customer asked to reopen the ticket on {fmtTime(t.reopen_requested_at)}.</p>
          <label for="reopen-reason">Reason (told to the customer)</label>
          <input id="reopen-reason" value={reopenReason} onInput={(e) => setReopenReason(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={followUp} onChange={(e) => setFollowUp(e.currentTarget.checked)} /> When declining, open a follow-up ticket
          </label>
          <div class="row">
            <button type="button" class="primary" onClick={() => void run(() => reviewReopen(n, { decision: 'approve', reason: reopenReason }))}>
              Approve the reopen
            </button>
            <button type="button" onClick={() => void run(() => reviewReopen(n, { decision: 'decline', reason: reopenReason, open_new_ticket: followUp }))}>
              Decline
            </button>
          </div>
        </form>
      ) : null}
      <form class="form" onSubmit={(e) => { e.preventDefault(); void run(() => changeSeverity(n, severity, reason)).then(() => setReason('')); }}>
        <h3>Change the severity</h3>
        <label for="sev">Severity</label>
        {severities.length ? (
          <select id="sev" value={severity} onChange={(e) => setSeverity(e.currentTarget.value)}>
            {severities.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        ) : (
          <input id="sev" value={severity} onInput={(e) => setSeverity(e.currentTarget.value)} />
        )}
        <label for="sev-reason">Reason (told to the customer)</label>
        <input id="sev-reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <button type="submit" disabled={severity === t.severity}>
          Change severity
        </button>
      </form>
      <form class="form" onSubmit={(e) => { e.preventDefault(); void run(() => assign(n, assignee ? Number(assignee) : null, view.etag)); }}>
        <h3>Assign</h3>
        <label for="assignee">Assignee</label>
        <select id="assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
          <option value="">nobody</option>
          {(lead ? staff : staff.filter((s) => s.id === me.id || s.id === t.assignee_id)).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.id === me.id ? ' (me)' : ''}
            </option>
          ))}
          {!staff.some((s) => s.id === me.id) ? <option value={me.id}>{me.name} (me)</option> : null}
        </select>
        <div class="row">
          <button type="submit">Assign</button>
          {t.assignee_id !== me.id ? (
            <button type="button" onClick={() => void run(() => assign(n, me.id ?? null, view.etag))}>
              Take it
            </button>
          ) : null}
        </div>
      </form>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!status) return;
          const body: Parameters<typeof changeStatus>[1] = { status: status as never };
          if (status === 'resolved') {
            body.outcome = outcome;
            if (outcome === 'bug_escalated' && external) body.external_issue = external;
          }
          void run(() => changeStatus(n, body));
        }}
      >
        <h3>Status and outcome</h3>
        <label for="status">New status</label>
        <select id="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">choose…</option>
          {nextStatuses.map((s) => (
            <option key={s} value={s}>
              {s === 'open' && (t.status === 'resolved' || t.status === 'closed') ? 'reopen' : statusLabel(s)}
            </option>
          ))}
        </select>
        {status === 'resolved' ? (
          <>
            <label for="outcome">Outcome</label>
            <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              {OUTCOMES.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
            {outcome === 'bug_escalated' ? (
              <>
                <label for="external">Engineering issue (link or key)</label>
                <input id="external" required value={external} onInput={(e) => setExternal(e.currentTarget.value)} placeholder="ENG-123 or https://…" />
              </>
            ) : null}
          </>
        ) : null}
        <button type="submit" disabled={!status}>
          Change status
        </button>
      </form>
      {t.outcome ? (
        <p>
          Outcome: <strong>{OUTCOMES.find((o) => o.id === t.outcome)?.label ?? t.outcome}</strong>
        </p>
      ) : null}
      {t.external_issue ? (
        <p>
          Bug escalation:{' '}
          {/^https?:\/\//.test(t.external_issue) ? (
            <a href={t.external_issue} rel="noopener noreferrer" target="_blank">
              {t.external_issue}
            </a>
          ) : (
            <strong>{t.external_issue}</strong>
          )}
        </p>
      ) : null}
    </section>
  );
}

function Notifications({ number }: { number: number }) {
  const [n] = useAsync(() => loadNotifications(number), [number]);
  return (
    <section class="card" aria-labelledby="notif-h">
      <h2 id="notif-h">Notifications</h2>
      {n.loading ? <Loading what="notifications" /> : null}
      {n.error ? <ErrorBox error={n.error} /> : null}
      {n.data === null ? <Waiting endpoint="GET /api/v1/tickets/{number}/notifications" /> : null}
      {n.data && n.data.length === 0 ? <p class="muted">No notifications sent.</p> : null}
      {n.data && n.data.length ? (
        <ul>
          {(n.data as Record<string, unknown>[]).map((d, i) => {
            const state = String(d.state ?? d.status ?? '');
            const when = d.sent_at ? `sent ${fmtTime(String(d.sent_at))}` : d.next_attempt_at ? `next attempt ${fmtTime(String(d.next_attempt_at))}` : '';
            return (
              <li key={String(d.id ?? i)} class={`delivery ${state}`}>
                <strong>{String(d.channel ?? '')}</strong> to {String(d.recipient ?? d.to ?? '')}
                {d.template || d.event_type ? ` (${String(d.template ?? d.event_type)})` : ''}: {state.replace(/_/g, ' ')}
                {when ? ` · ${when}` : ''}
                {typeof d.attempts === 'number' && d.attempts > 1 ? ` · ${d.attempts} attempts` : ''}
                {d.last_error ? <span class="late"> · {String(d.last_error)}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
