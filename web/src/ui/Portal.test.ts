import { describe, expect, it } from 'vitest';
import type { Policy, Ticket } from '../api/types';
import { formFields, onTimeSummary, reopenAllowed, ticketBody } from './Portal';

const now = Date.parse('2026-03-01T12:00:00Z');
const policy = (lifecycle: Partial<Policy['lifecycle']>): Policy =>
  ({ id: 'p', name: 'Agency Support', default_severity: 'p3', severities: [], plans: [], fields: [], lifecycle: { reopen_allowed: true, ...lifecycle } }) as Policy;

describe('reopening from the portal', () => {
  const resolved: Ticket = { status: 'resolved', resolved_at: '2026-02-20T12:00:00Z', reopen_deadline: '2027-02-20T12:00:00Z' };
  it('is allowed until the deadline the server computed, and says so', () => {
    const r = reopenAllowed(resolved, policy({ reopen_window: { months: 12, days: 0, text: '12 months' } }), now);
    expect(r).toEqual({ ok: true, why: 'You can reopen within 12 months of the resolution.' });
  });
  it('is refused after the deadline, and when the policy does not allow it', () => {
    const late: Ticket = { ...resolved, reopen_deadline: '2026-02-27T12:00:00Z' };
    expect(reopenAllowed(late, policy({ reopen_window: { months: 0, days: 7, text: '7 days' } }), now).ok).toBe(false);
    expect(reopenAllowed(resolved, policy({ reopen_allowed: false }), now)).toEqual({ ok: false, why: 'The Agency Support policy does not allow reopening; please open a new ticket.' });
  });
  it('says when an agent reviews the request', () => {
    const r = reopenAllowed(resolved, policy({ reopen_window: { months: 12, days: 0, text: '12 months' }, reopen_by: 'agent_review' }), now);
    expect(r.why).toContain('reviews the request');
  });
  it('does not apply to open tickets', () => {
    expect(reopenAllowed({ status: 'open' }, null, now).ok).toBe(false);
  });
});

describe('on-time summary of a customer ticket', () => {
  it('tells met, late and running targets apart', () => {
    const t: Ticket = {
      sla: {
        metrics: [
          { metric: 'first_response', state: 'met', due_at: '2026-03-01T10:00:00Z', breaches: 0 },
          { metric: 'next_update', state: 'breached', due_at: '2026-03-01T11:00:00Z', breaches: 1 },
          { metric: 'resolution', state: 'running', due_at: '2026-03-02T12:00:00Z', breaches: 0 },
        ],
      },
    };
    expect(onTimeSummary(t, now)).toEqual([
      { metric: 'first response', text: 'answered on time', late: false },
      { metric: 'next update', text: 'late since 1 h', late: true },
      { metric: 'resolution', text: 'due in 24 h', late: false },
    ]);
  });
});


describe('the new-ticket form and TicketCreate', () => {
  const policy = {
    id: 'agency-support',
    fields: [
      { id: 'description', name: 'A full description', requirement: 'required', source: 'ticket', type: 'multiline' },
      { id: 'incident_start', name: 'Start time', requirement: 'required', source: 'fields', type: 'datetime' },
      { id: 'steps_to_reproduce', name: 'Steps', requirement: 'required', source: 'ticket', type: 'multiline' },
      { id: 'contact_name', name: 'Contact name', requirement: 'required', source: 'contact', type: 'text' },
      { id: 'phone', name: 'Phone', requirement: 'required', source: 'contact_or_fields', type: 'phone' },
      { id: 'nope', name: 'Not collected', requirement: 'requested', source: 'uncollectable', type: 'text' },
    ],
  } as unknown as Policy;

  it('asks for ticket and policy fields; the profile fills contact details; the description box is the description', () => {
    const { ask, fromProfile } = formFields(policy);
    expect(ask.map((f) => f.id)).toEqual(['incident_start', 'steps_to_reproduce', 'phone']);
    expect(fromProfile.map((f) => f.id)).toEqual(['contact_name']);
  });

  it('puts ticket fields at the top and the policy own ones in fields (a datetime as RFC 3339)', () => {
    const { ask } = formFields(policy);
    const body = ticketBody({ subject: ' Blank page ', description: 'd', incident_start: '2026-12-01T09:30', steps_to_reproduce: '1. 2.', phone: ' ' }, ask, 'p1');
    expect(body).toMatchObject({ subject: 'Blank page', description: 'd', steps_to_reproduce: '1. 2.', severity: 'p1', channel: 'portal' });
    expect(Object.keys(body.fields ?? {})).toEqual(['incident_start']);
    expect(body.fields?.incident_start).toBe(new Date('2026-12-01T09:30').toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(ticketBody({ subject: 's', description: 'd' }, ask, '').fields).toBeUndefined();
  });
});
