// Pieces of a ticket shared by the console and the portal: the conversation,
// the SLA clocks with the engine's explanation, the event timeline.
import { useState } from 'preact/hooks';
import type { Attachment, EventItem, Message, Policy, SlaInstanceExplanation, SlaMetric, SlaReport, User } from '../api/types';
import { explainDue } from '../lib/explain';
import { formatDuration, formatLocal, formatRelative, metricName, parseInstant, zoneCity } from '../lib/time';
import { attach, attachmentUrl } from '../lib/ticket-data';
import { ErrorBox, fmtTime, StateBadge } from './common';
import type { SlaState } from '../api/types';

export function authorName(m: Message, people: Map<number, User>, meId: number | undefined): string {
  if (m.author?.name) return m.author.name;
  if (m.author_id === meId) return 'You';
  return people.get(m.author_id ?? 0)?.name ?? (m.author_id ? `user #${m.author_id}` : 'unknown');
}

export function Conversation({ messages, attachments, number, people, meId }: { messages: Message[]; attachments: Attachment[]; number: number; people: Map<number, User>; meId?: number }) {
  return (
    <section aria-labelledby="conv-h" class="card">
      <h2 id="conv-h">Conversation</h2>
      {messages.length === 0 ? <p class="muted">No messages yet.</p> : null}
      <ol class="messages">
        {messages.map((m) => (
          <li key={m.id} class={`msg ${m.visibility === 'internal' ? 'internal' : 'public'}`}>
            <div class="msg-head">
              <strong>{authorName(m, people, meId)}</strong>
              {m.visibility === 'internal' ? <span class="badge internal-badge">Internal note — not visible to the customer</span> : null}
              <time class="muted small" dateTime={m.created_at}>
                {fmtTime(m.created_at)}
              </time>
            </div>
            <div class="msg-body">{m.body}</div>
          </li>
        ))}
      </ol>
      <h3>Attachments</h3>
      {attachments.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="attachments">
          {attachments.map((a) => (
            <li key={a.id}>
              <a href={attachmentUrl(number, a.id ?? 0)} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span class="muted small">
                {a.content_type}, {formatBytes(a.size ?? 0)}, {fmtTime(a.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachForm({ number, onDone }: { number: number; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="form inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem('file') as HTMLInputElement;
        const file = input.files?.[0];
        if (!file) return;
        setBusy(true);
        setError(null);
        try {
          await attach(number, file);
          input.value = '';
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label for={`file-${number}`}>Add an attachment</label>
      <input id={`file-${number}`} name="file" type="file" />
      <button type="submit" disabled={busy}>
        Upload
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function metricState(m: SlaMetric): SlaState {
  switch (m.state) {
    case 'running':
      return 'running';
    case 'paused':
      return 'paused';
    case 'met':
      return 'met';
    case 'breached':
      return 'breached';
    default:
      return 'none';
  }
}

function metricTarget(policy: Policy | null, planId: string, severity: string, metric: string): string | null {
  const t = policy?.plans.find((p) => p.id === planId)?.targets?.[severity]?.[metric];
  if (!t) return null;
  return 'no_target' in t ? `no target${t.no_target ? ` (${t.no_target})` : ''}` : `${t.text} on ${t.calendar.id}`;
}

export function SlaPanel({ sla, policy, planId, now, staff }: { sla: SlaReport | null; policy: Policy | null; planId: string; now: number; staff: boolean }) {
  if (!sla) return null;
  const instances = sla.explanation?.instances ?? [];
  return (
    <section aria-labelledby="sla-h" class="card">
      <h2 id="sla-h">SLA clocks</h2>
      <ul class="metrics">
        {(sla.metrics ?? []).map((m) => {
          const inst = instances.filter((i) => i.metric === m.metric);
          const latest = inst.find((i) => i.latest) ?? inst[inst.length - 1];
          const zone = latest?.calendar?.time_zone ?? 'UTC';
          const due = parseInstant(m.due_at);
          const stopped = parseInstant(m.stopped_at ?? null);
          const city = latest ? zoneCity(zone) : 'UTC';
          const target = metricTarget(policy, planId, sla.severity ?? '', m.metric ?? '');
          return (
            <li key={m.metric} class="metric">
              <div class="metric-head">
                <strong>{metricName(m.metric)}</strong> {m.state === 'not_started' ? <span class="badge state-none">Not started</span> : <StateBadge state={metricState(m)} />}
              </div>
              {m.state === 'no_target' ? <p class="muted small">No target{target ? `: ${target}` : ''}.</p> : null}
              {m.state === 'not_started' ? <p class="muted small">Not started{target ? `; target ${target}` : ''}.</p> : null}
              {due !== null ? (
                <p>
                  {m.state === 'met' && stopped !== null ? (
                    <>
                      met {formatLocal(stopped, zone, now)} {city}{' '}
                      <span class="muted small">
                        ({formatDuration((due - stopped) / 1000)} {due >= stopped ? 'before' : 'after'} the due time, {formatLocal(due, zone, now)})
                      </span>
                    </>
                  ) : (
                    <>
                      {m.state === 'paused' ? 'paused (the due time moves when the clock resumes); as computed, due' : m.state === 'met' ? 'was due' : 'due'} {formatLocal(due, zone, now)} {city}{' '}
                      <span class="muted small">({formatRelative(due, now)})</span>
                    </>
                  )}
                  {m.target_seconds ? (
                    <span class="muted small">
                      {' '}
                      · {formatDuration(m.elapsed_seconds ?? 0)} of business time used, target {formatDuration(m.target_seconds)}
                    </span>
                  ) : null}
                  {m.breaches ? <span class="small"> · {m.breaches} breach{m.breaches > 1 ? 'es' : ''}</span> : null}
                </p>
              ) : null}
              {target && due !== null ? <p class="muted small">Target: {target}</p> : null}
              {latest ? <p class="explain">{explainDue(latest, now)}</p> : null}
              {inst.length ? <InstanceDetails instances={inst} now={now} staff={staff} /> : null}
            </li>
          );
        })}
      </ul>
      {sla.explanation?.notes?.length ? (
        <details>
          <summary>Notes from the SLA engine</summary>
          <ul>
            {sla.explanation.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {!sla.explanation ? <p class="note small">The engine's explanation of each due time appears when the server answers <code>GET /api/v1/tickets/{'{number}'}/sla?explain=true</code>.</p> : null}
    </section>
  );
}

function InstanceDetails({ instances, now, staff }: { instances: SlaInstanceExplanation[]; now: number; staff: boolean }) {
  return (
    <details>
      <summary>Pauses, cycles and the computation</summary>
      <ol class="instances">
        {instances.map((i, k) => {
          const zone = i.calendar?.time_zone ?? 'UTC';
          const at = (s: string | null | undefined) => (s ? formatLocal(Date.parse(s), zone, now) : '—');
          return (
            <li key={k}>
              <div>
                {i.metric === 'next_update' ? `Cycle ${i.cycle}` : 'Clock'}: {i.state.replace(/_/g, ' ')}, severity {i.severity}
                {i.severity_reason ? ` (${i.severity_reason})` : ''}, calendar {i.calendar?.id ?? '—'} ({zone})
              </div>
              <div class="small">Started {at(i.start)}; {formatDuration(i.elapsed_seconds)} business time counted{i.stopped_at ? `; stopped ${at(i.stopped_at)}` : ''}.</div>
              {i.pauses.length ? (
                <div class="small">
                  Paused: {i.pauses.map((p) => `${at(p.from)} – ${p.to ? at(p.to) : 'still paused'}`).join('; ')}
                </div>
              ) : null}
              {staff && i.due_reason ? <div class="small mono">{i.due_reason}</div> : null}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

const EVENT_WORDS: Record<string, string> = {
  opened: 'opened the ticket',
  agent_reply: 'replied',
  customer_reply: 'replied',
  internal_note: 'added an internal note',
  status_changed: 'changed the status',
  waiting_on_customer: 'set it waiting on the customer',
  severity_changed: 'changed the severity',
  assigned: 'changed the assignee',
  escalation_requested: 'requested an escalation',
  resolved: 'resolved the ticket',
  reopened: 'reopened the ticket',
  closed: 'closed the ticket',
  attachment_added: 'added an attachment',
  fields_updated: 'updated fields',
};

export function eventDetail(e: EventItem, people: Map<number, User>): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const s = (k: string) => (d[k] === undefined || d[k] === null ? '' : String(d[k]));
  switch (e.type) {
    case 'opened':
      return `severity ${s('severity')}, via ${s('channel')}`;
    case 'status_changed':
    case 'resolved':
    case 'reopened':
    case 'closed':
      return [s('from') && `${s('from').replace(/_/g, ' ')} → ${s('to').replace(/_/g, ' ')}`, s('outcome') && `outcome ${s('outcome').replace(/_/g, ' ')}`, s('reason')].filter(Boolean).join('; ');
    case 'severity_changed':
      return `${s('from')} → ${s('severity')}${s('reason') ? `: ${s('reason')}` : ''}`;
    case 'assigned': {
      const id = d.assignee_id as number | null | undefined;
      return id ? `to ${people.get(id)?.name ?? `user #${id}`}` : 'unassigned';
    }
    case 'escalation_requested':
      return `level ${s('level')} (${s('level_name')}): ${s('business_impact')}`;
    case 'attachment_added':
      return s('filename');
    case 'fields_updated':
      return Array.isArray(d.fields) ? (d.fields as string[]).join(', ') : '';
    default:
      return '';
  }
}

export function Timeline({ events, people, meId }: { events: EventItem[]; people: Map<number, User>; meId?: number }) {
  return (
    <section aria-labelledby="tl-h" class="card">
      <h2 id="tl-h">Timeline</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time class="muted small" dateTime={e.at}>
              {fmtTime(e.at)}
            </time>{' '}
            <span>
              {e.actor_id === meId ? 'You' : (people.get(e.actor_id ?? 0)?.name ?? (e.actor_id ? `user #${e.actor_id}` : 'sladesk'))} {EVENT_WORDS[e.type ?? ''] ?? e.type}
            </span>
            {eventDetail(e, people) ? <span class="muted"> — {eventDetail(e, people)}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function EscalationHistory({ events, people }: { events: EventItem[]; people: Map<number, User> }) {
  const esc = events.filter((e) => e.type === 'escalation_requested');
  return (
    <section aria-labelledby="esc-h" class="card">
      <h2 id="esc-h">Escalations</h2>
      {esc.length === 0 ? (
        <p class="muted">No escalation requested.</p>
      ) : (
        <ol>
          {esc.map((e) => (
            <li key={e.id}>
              {fmtTime(e.at)}: {eventDetail(e, people)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
