// The held-mail screen against a fake of GET/POST /api/v1/mail/held (the
// shapes of api/openapi.json and src/server/mail_handler.cc).
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { ApiError, makeClient, setApi } from '../api/client';
import type { HeldMail, HeldMailDetail } from '../api/types';
import { input, submit, useRoot } from '../test/dom';
import { HeldMailList, HeldMailPage, fieldLabel, filterOf, heldQuery, missingField, releaseBody, releaseText, senderText } from './HeldMail';

const BASE = 'http://desk.test';
const me = { id: 1, name: 'Alex Agent', email: 'alex@sladesk.demo', role: 'agent' as const };

const mail = (id: number, p: Partial<HeldMail> = {}): HeldMail => ({
  id,
  message_id: `<m${id}@customer.example>`,
  received_at: '2026-12-03T09:00:00Z',
  source: 'imap:INBOX',
  sender: `someone${id}@customer.example`,
  subject: `Help ${id}`,
  action: 'held',
  reason: 'unknown sender',
  ticket_number: null,
  size: 1200,
  release: null,
  ...p,
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const problem = (status: number, detail: string, field?: string, type = 'about:blank') => json(status, { type, title: 'Error', status, detail, ...(field ? { field } : {}) });

function fakeServer(pages: HeldMail[][], detail: HeldMailDetail, opts: { requireSteps?: boolean } = {}) {
  const log: { method: string; path: string; query: Record<string, string>; body?: unknown }[] = [];
  let released = false;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    const body = req.method === 'POST' ? await req.json() : undefined;
    log.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
    if (req.method === 'GET' && url.pathname === '/api/v1/mail/held') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const i = after ? pages.findIndex((p) => p[0] && p[0].id > after) : 0;
      const page = pages[i] ?? [];
      return json(200, { items: page, next_after: i + 1 < pages.length ? page[page.length - 1]?.id : null });
    }
    if (req.method === 'GET' && url.pathname === `/api/v1/mail/held/${detail.id}`)
      return json(200, released ? { ...detail, release: { action: 'discard', at: '2026-12-03T10:00:00Z', by: 2, ticket_number: null } } : detail);
    if (req.method === 'GET' && url.pathname === '/api/v1/organisations')
      return json(200, { items: [{ id: 4, name: 'Acme', policy_id: 'gold' }, { id: 7, name: 'Globex', policy_id: 'gold' }] });
    if (req.method === 'GET' && url.pathname === '/api/v1/policies/gold')
      return json(200, {
        id: 'gold',
        name: 'Gold',
        default_severity: 's2',
        severities: [
          { id: 's1', name: 'Critical', definition: 'Production is down.', examples: [] },
          { id: 's2', name: 'Normal', definition: 'Something does not work as documented.', examples: [] },
        ],
      });
    if (req.method === 'POST' && url.pathname === `/api/v1/mail/held/${detail.id}/release`) {
      const b = body as { action: string; ticket_number?: number; organisation_id?: number; fields?: Record<string, string> };
      if (opts.requireSteps && b.action === 'open' && !b.fields?.steps_to_reproduce)
        return problem(422, "'steps_to_reproduce' is required by the Test policy (Full steps)", 'steps_to_reproduce');
      if (released) return problem(409, `held message ${detail.id} was already released (discard, by user 2, at 2026-12-03T10:00:00Z)`, 'id', 'https://sladesk.dev/problems/already-released');
      if (b.action === 'attach' && b.ticket_number === 999) return problem(404, 'ticket 999 does not exist', 'ticket_number');
      released = true;
      return json(200, { ...detail, release: { action: b.action, at: '2026-12-03T10:00:00Z', by: 1, ticket_number: b.ticket_number ?? 31 }, outcome: { action: b.action === 'open' ? 'opened' : 'noted', reason: '', ticket_number: b.ticket_number ?? 31, acknowledged: b.action === 'open' } });
    }
    return problem(404, `no route for ${url.pathname}`);
  };
  return { fetch: fetchImpl as typeof fetch, log, release: () => (released = true) };
}

const root = useRoot();
const { text, $ } = root;

describe('held-mail queries and bodies', () => {
  it('maps the filters of the screen to action and state', () => {
    expect(heldQuery('pending')).toEqual({ action: 'all', state: 'pending', limit: 50 });
    expect(heldQuery('held')).toEqual({ action: 'held', state: 'pending', limit: 50 });
    expect(heldQuery('refused')).toEqual({ action: 'refused', state: 'pending', limit: 50 });
    expect(heldQuery('released', 40)).toEqual({ action: 'all', state: 'released', after: '40', limit: 50 });
    expect(heldQuery('all')).toEqual({ action: 'all', state: 'all', limit: 50 });
    expect(filterOf('')).toBe('pending');
    expect(filterOf('?show=refused')).toBe('refused');
    expect(filterOf('?show=nonsense')).toBe('pending');
  });
  it('sends only the fields the action reads', () => {
    const f = { organisationId: '', ticketNumber: ' #12 ', allowDomain: true };
    expect(releaseBody('open', f)).toEqual({ action: 'open' });
    expect(releaseBody('open', { ...f, organisationId: '7' })).toEqual({ action: 'open', organisation_id: 7, allow_domain: true });
    expect(releaseBody('open', { ...f, organisationId: '7', allowDomain: false })).toEqual({ action: 'open', organisation_id: 7 });
    expect(releaseBody('attach', f)).toEqual({ action: 'attach', ticket_number: 12 });
    expect(releaseBody('discard', f)).toEqual({ action: 'discard' });
    expect(releaseBody('open', { ...f, organisationId: '7', allowDomain: false, fields: { steps_to_reproduce: 'Open it', business_impact: ' ' } })).toEqual({
      action: 'open',
      organisation_id: 7,
      fields: { steps_to_reproduce: 'Open it' },
    });
    expect(releaseBody('attach', { ...f, fields: { steps_to_reproduce: 'x' }, severity: 's1' })).toEqual({ action: 'attach', ticket_number: 12 });
    expect(releaseBody('open', { ...f, severity: 's1' })).toEqual({ action: 'open', severity: 's1' });
    expect(releaseBody('open', { ...f, severity: '' })).toEqual({ action: 'open' });
  });
  it('tells a missing policy field from the release\'s own errors', () => {
    expect(missingField(new ApiError(422, { field: 'steps_to_reproduce' }))).toBe('steps_to_reproduce');
    expect(missingField(new ApiError(422, { field: 'fields.error_details' }))).toBe('error_details');
    expect(missingField(new ApiError(422, { field: 'organisation_id' }))).toBeUndefined();
    expect(missingField(new ApiError(404, { field: 'ticket_number' }))).toBeUndefined();
    expect(missingField(new Error('x'))).toBeUndefined();
    expect(fieldLabel('steps_to_reproduce')).toBe('Steps to reproduce');
  });
  it('says who the sender is to the desk', () => {
    const none = { user_id: null, name: null, organisation_id: null, organisation_name: null, domain_rule: null };
    expect(senderText({ ...none, kind: 'unknown' })).toBe('unknown sender (not a contact)');
    expect(senderText({ ...none, kind: 'unknown', domain_rule: { domain: 'x.example', action: 'create_contact', organisation_id: 4 } })).toBe(
      "unknown sender (not a contact); this domain's setting: add to organisation #4",
    );
    expect(senderText({ ...none, kind: 'contact', user_id: 5, name: 'Sam', organisation_id: 4, organisation_name: 'Acme' })).toBe('contact Sam of Acme');
    expect(senderText({ ...none, kind: 'deactivated', user_id: 5, name: 'Sam', organisation_id: 4 })).toBe('deactivated contact Sam of organisation #4');
  });
  it('says how a message was released', () => {
    expect(releaseText(null)).toBe('pending');
    expect(releaseText({ action: 'attach', at: '2026-12-03T10:00:00Z', by: 3, ticket_number: 12 })).toMatch(/^attached \(#12\) by user #3, /);
  });
});

describe('the held-mail list', () => {
  it('lists pending mail by default, pages with next_after, and filters', async () => {
    const s = fakeServer([[mail(1), mail(2, { action: 'refused', reason: "'steps_to_reproduce' is required" })], [mail(5, { subject: 'Third' })]], mail(1) as HeldMailDetail);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailList search="" />, root.el);
    await vi.waitFor(() => expect(root.el.querySelectorAll('tbody tr')).toHaveLength(2));
    expect(s.log[0]?.query).toEqual({ action: 'all', state: 'pending', limit: '50' });
    expect(text()).toContain('someone1@customer.example');
    expect(text()).toContain("'steps_to_reproduce' is required");
    expect($<HTMLAnchorElement>('tbody a').getAttribute('href')).toBe('/mail/held/1');

    ($<HTMLButtonElement>('button')).click(); // More
    await vi.waitFor(() => expect(root.el.querySelectorAll('tbody tr')).toHaveLength(3));
    expect(s.log[1]?.query).toEqual({ action: 'all', state: 'pending', after: '2', limit: '50' });
    expect(text()).toContain('Third');
    expect(root.el.querySelector('button')).toBeNull(); // no next page

    await input($<HTMLSelectElement>('#held-show'), 'released', 'change');
    expect(location.pathname + location.search).toBe('/mail/held?show=released');
    render(<HeldMailList search="?show=released" />, root.el);
    await vi.waitFor(() => expect(s.log.at(-1)?.query).toEqual({ action: 'all', state: 'released', limit: '50' }));
    render(<HeldMailList search="?show=refused" />, root.el);
    await vi.waitFor(() => expect(s.log.at(-1)?.query).toEqual({ action: 'refused', state: 'pending', limit: '50' }));
  });
});

describe('one held message', () => {
  const detail: HeldMailDetail = {
    ...mail(9, { subject: 'Login broken', reason: 'unknown sender' }),
    message: {
      from: { email: 'sam@newcustomer.example', name: 'Sam Stranger' },
      to: ['support@sladesk.demo'],
      cc: [],
      date: '2026-12-03T08:59:00Z',
      subject: 'Login broken',
      text: 'The login page shows a blank screen.',
      quoted: '> earlier mail',
      attachments: [{ filename: 'screen.png', content_type: 'image/png', size: 2048 }],
      auto_generated: false,
      dmarc_failed: true,
      bounce: false,
    },
    sender_status: { kind: 'unknown', user_id: null, name: null, organisation_id: null, organisation_name: null, domain_rule: null },
  };

  it('shows sender, subject, why it was held and the text; attaches with the right body and refreshes', async () => {
    const s = fakeServer([], detail);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(text()).toContain('The login page shows a blank screen.'));
    expect($('h1').textContent).toBe('Login broken');
    expect(text()).toContain('Sam Stranger <sam@newcustomer.example>');
    expect(text()).toContain('unknown sender');
    expect(text()).toContain('DMARC failed');
    expect(text()).toContain('screen.png');
    await vi.waitFor(() => expect(root.el.querySelectorAll('#held-org option')).toHaveLength(3));

    // A 404 naming the field is shown, nothing else changes.
    await input($<HTMLInputElement>('#held-ticket'), '999');
    submit($<HTMLFormElement>('form[aria-labelledby=attach-h]'));
    await vi.waitFor(() => expect($('[role=alert]')?.textContent).toContain('ticket 999 does not exist'));
    expect($('[role=alert]').textContent).toContain('(field: ticket_number)');

    await input($<HTMLInputElement>('#held-ticket'), '#12');
    submit($<HTMLFormElement>('form[aria-labelledby=attach-h]'));
    await vi.waitFor(() => expect(text()).toContain('Released: noted on ticket #12'));
    const post = s.log.filter((l) => l.method === 'POST');
    expect(post.at(-1)).toMatchObject({ path: '/api/v1/mail/held/9/release', body: { action: 'attach', ticket_number: 12 } });
    await vi.waitFor(() => expect(s.log.filter((l) => l.method === 'GET' && l.path === '/api/v1/mail/held/9').length).toBe(2)); // refreshed
  });

  it('opens a ticket for an unknown sender in the organisation picked', async () => {
    const s = fakeServer([], detail);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(root.el.querySelectorAll('#held-org option')).toHaveLength(3));
    expect($('label[for=held-org]').textContent).toContain('the sender is unknown');
    await input($<HTMLSelectElement>('#held-org'), '7', 'change');
    submit($<HTMLFormElement>('form[aria-labelledby=open-h]'));
    await vi.waitFor(() => expect(text()).toContain('an acknowledgement is queued'));
    expect(s.log.find((l) => l.method === 'POST')?.body).toEqual({ action: 'open', organisation_id: 7 });
  });

  it('asks for a field the policy requires and the message lacks, then opens with it', async () => {
    const s = fakeServer([], detail, { requireSteps: true });
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(root.el.querySelectorAll('#held-org option')).toHaveLength(3));
    await input($<HTMLSelectElement>('#held-org'), '7', 'change');
    submit($<HTMLFormElement>('form[aria-labelledby=open-h]'));
    await vi.waitFor(() => expect($('[role=alert]')?.textContent).toContain("'steps_to_reproduce' is required"));
    await vi.waitFor(() => expect(root.el.querySelector('#held-field-steps_to_reproduce')).not.toBeNull());
    expect($('label[for=held-field-steps_to_reproduce]').textContent).toContain('Steps to reproduce');
    await input($<HTMLTextAreaElement>('#held-field-steps_to_reproduce'), 'Open Reports, click Export');
    submit($<HTMLFormElement>('form[aria-labelledby=open-h]'));
    await vi.waitFor(() => expect(text()).toContain('an acknowledgement is queued'));
    expect(s.log.filter((l) => l.method === 'POST').at(-1)?.body).toEqual({ action: 'open', organisation_id: 7, fields: { steps_to_reproduce: 'Open Reports, click Export' } });
  });

  it('offers the severities of the organisation\'s policy and sends the one chosen', async () => {
    const s = fakeServer([], detail);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(root.el.querySelectorAll('#held-org option')).toHaveLength(3));
    expect(root.el.querySelector('#held-severity')).toBeNull(); // no organisation yet, no policy
    await input($<HTMLSelectElement>('#held-org'), '7', 'change');
    await vi.waitFor(() => expect(root.el.querySelectorAll('#held-severity option')).toHaveLength(3));
    expect($('#held-severity option').textContent).toBe("The policy's default (Normal)");
    expect($('#held-severity-def').textContent).toBe('Something does not work as documented.');
    await input($<HTMLSelectElement>('#held-severity'), 's1', 'change');
    expect($('#held-severity-def').textContent).toBe('Production is down.');
    submit($<HTMLFormElement>('form[aria-labelledby=open-h]'));
    await vi.waitFor(() => expect(text()).toContain('an acknowledgement is queued'));
    expect(s.log.find((l) => l.method === 'POST')?.body).toEqual({ action: 'open', organisation_id: 7, severity: 's1' });
  });

  it('opens a known contact\'s mail in their own organisation, with no picker', async () => {
    const known: HeldMailDetail = {
      ...detail,
      reason: 'automatic mail that is not on a ticket',
      sender_status: { kind: 'contact', user_id: 5, name: 'Sam Known', organisation_id: 4, organisation_name: 'Acme', domain_rule: null },
    };
    const s = fakeServer([], known);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(text()).toContain('The ticket opens for Sam Known of Acme.'));
    expect(text()).toContain('contact Sam Known of Acme');
    expect(root.el.querySelector('#held-org')).toBeNull();
    submit($<HTMLFormElement>('form[aria-labelledby=open-h]'));
    await vi.waitFor(() => expect(text()).toContain('an acknowledgement is queued'));
    expect(s.log.find((l) => l.method === 'POST')?.body).toEqual({ action: 'open' });
  });

  it('offers no Open for a staff member\'s mail', async () => {
    const staff: HeldMailDetail = { ...detail, sender_status: { kind: 'staff', user_id: 2, name: 'Alex Agent', organisation_id: null, organisation_name: null, domain_rule: null } };
    setApi(makeClient(BASE, fakeServer([], staff).fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(text()).toContain('The sender is a staff member'));
    const open = [...root.el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Open ticket') as HTMLButtonElement;
    expect(open.disabled).toBe(true);
  });

  it('shows the 409 when someone else released it first', async () => {
    const s = fakeServer([], detail);
    setApi(makeClient(BASE, s.fetch));
    render(<HeldMailPage id={9} me={me} />, root.el);
    await vi.waitFor(() => expect(text()).toContain('Discard'));
    s.release(); // another agent, meanwhile
    const discard = [...root.el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Discard') as HTMLButtonElement;
    discard.click();
    await vi.waitFor(() => expect($('[role=alert]')?.textContent).toContain('held message 9 was already released (discard, by user 2'));
    expect(s.log.find((l) => l.method === 'POST')?.body).toEqual({ action: 'discard' });
    // The refresh shows the release that won; the error stays visible.
    await vi.waitFor(() => expect(text()).toContain('This message was released: discarded by user #2'));
    expect($('[role=alert]').textContent).toContain('already released');
  });
});
