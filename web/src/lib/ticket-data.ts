// Everything a ticket page shows, read together, and the writes it makes.
import { api, ApiError, isMissingRoute, must, toApiError } from '../api/client';
import type { Attachment, EventItem, Message, Organisation, Policy, SlaReport, Ticket } from '../api/types';
import { observeServerNow } from './clock';
import { getPolicy } from './data';

export interface TicketView {
  ticket: Ticket;
  etag: string | null;
  messages: Message[];
  events: EventItem[];
  attachments: Attachment[];
  sla: SlaReport | null;
  org: Organisation;
  policy: Policy | null;
}

const p = (n: number) => ({ params: { path: { number: String(n) } } });

export async function loadTicket(n: number): Promise<TicketView> {
  const r = await api.GET('/api/v1/tickets/{number}', p(n));
  if (!r.response.ok || !r.data) throw toApiError(r.response, r.error);
  const ticket = r.data;
  const [messages, events, attachments, sla, org] = await Promise.all([
    must(api.GET('/api/v1/tickets/{number}/messages', p(n))),
    must(api.GET('/api/v1/tickets/{number}/events', p(n))),
    must(api.GET('/api/v1/tickets/{number}/attachments', p(n))),
    must(api.GET('/api/v1/tickets/{number}/sla', { params: { path: { number: String(n) }, query: { explain: true } } })),
    must(api.GET('/api/v1/organisations/{id}', { params: { path: { id: String(ticket.organisation_id) } } })),
  ]);
  observeServerNow(sla.now);
  const policy = await getPolicy(org.policy_id ?? '').catch(() => null);
  return {
    ticket,
    etag: r.response.headers.get('ETag'),
    messages: messages.items ?? [],
    events: events.items ?? [],
    attachments: attachments.items ?? [],
    sla,
    org,
    policy,
  };
}

export async function addMessage(n: number, body: string, visibility: 'public' | 'internal'): Promise<void> {
  await must(api.POST('/api/v1/tickets/{number}/messages', { ...p(n), body: { body, visibility } }));
}

export async function changeSeverity(n: number, severity: string, reason: string): Promise<void> {
  await must(api.POST('/api/v1/tickets/{number}/severity', { ...p(n), body: { severity, reason } }));
}

export async function changeStatus(
  n: number,
  body: { status: 'open' | 'waiting_on_customer' | 'resolved' | 'closed'; outcome?: string; external_issue?: string; reason?: string },
): Promise<Ticket> {
  return await must(api.POST('/api/v1/tickets/{number}/status', { ...p(n), body: body as never }));
}

/** An agent's answer to a customer's reopen request (202 of POST /status). */
export async function reviewReopen(n: number, body: { decision: 'approve' | 'decline'; reason?: string; open_new_ticket?: boolean }): Promise<void> {
  await must(api.POST('/api/v1/tickets/{number}/reopen-review', { ...p(n), body }));
}

export async function assign(n: number, assigneeId: number | null, etag: string | null): Promise<void> {
  await must(
    api.PATCH('/api/v1/tickets/{number}', {
      params: { path: { number: String(n) }, header: { 'If-Match': etag ?? '*' } },
      body: { assignee_id: assigneeId },
    }),
  );
}

export async function escalate(n: number, businessImpact: string) {
  return must(api.POST('/api/v1/tickets/{number}/escalations', { ...p(n), body: { business_impact: businessImpact } }));
}

export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error ?? new Error('could not read the file'));
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

export async function attach(n: number, file: File): Promise<void> {
  const content_base64 = await fileToBase64(file);
  await must(
    api.POST('/api/v1/tickets/{number}/attachments', {
      ...p(n),
      body: { filename: file.name, content_type: file.type || 'application/octet-stream', content_base64 },
    }),
  );
}

export function attachmentUrl(n: number, id: number): string {
  return `/api/v1/tickets/${n}/attachments/${id}`;
}

/** GET /tickets/{n}/notifications is planned (another issue); null until served. */
export async function loadNotifications(n: number): Promise<unknown[] | null> {
  const r = await fetch(`/api/v1/tickets/${n}/notifications`, { credentials: 'same-origin' });
  if (r.status === 404) return null;
  if (!r.ok) throw new ApiError(r.status, { detail: `notifications answered ${r.status}` });
  const j = (await r.json()) as { items?: unknown[] };
  return j.items ?? [];
}

export { isMissingRoute };
