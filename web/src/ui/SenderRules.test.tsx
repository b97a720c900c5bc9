// The unknown-sender settings screen against a fake of
// GET/PUT/DELETE /api/v1/mail/sender-rules (the shapes of api/openapi.json
// and src/server/mail_handler.cc, including its 422 for a bad domain).
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { makeClient, setApi } from '../api/client';
import type { SenderRule } from '../api/types';
import { input, submit, useRoot } from '../test/dom';
import { SenderRulesPage, actionText, ruleRequest } from './SenderRules';

const BASE = 'http://desk.test';
const admin = { id: 1, name: 'Ada Admin', email: 'admin@sladesk.demo', role: 'admin' as const };
const agent = { id: 2, name: 'Alex Agent', email: 'alex@sladesk.demo', role: 'agent' as const };

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

function fakeServer(initial: SenderRule[]) {
  const rules = new Map(initial.map((r) => [r.domain, r]));
  const log: { method: string; path: string; body?: unknown }[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const url = new URL(req.url);
    const body = req.method === 'PUT' ? await req.json() : undefined;
    log.push({ method: req.method, path: url.pathname, body });
    if (req.method === 'GET' && url.pathname === '/api/v1/mail/sender-rules')
      return json(200, { items: [...rules.values()].sort((a, b) => a.domain.localeCompare(b.domain)) });
    if (req.method === 'GET' && url.pathname === '/api/v1/organisations') return json(200, { items: [{ id: 4, name: 'Acme' }, { id: 7, name: 'Globex' }] });
    const m = url.pathname.match(/^\/api\/v1\/mail\/sender-rules\/(.+)$/);
    if (m) {
      const domain = decodeURIComponent(m[1]!);
      if (req.method === 'DELETE') {
        if (!rules.delete(domain)) return json(404, { type: 'about:blank', title: 'Not found', status: 404, detail: `no sender rule for ${domain}`, field: 'domain' });
        return new Response(null, { status: 204 });
      }
      if (req.method === 'PUT') {
        if (!domain.includes('.')) return json(422, { type: 'about:blank', title: 'Invalid', status: 422, detail: `'${domain}' is not a domain name`, field: 'domain' });
        const b = body as { action: SenderRule['action']; organisation_id?: number };
        const r: SenderRule = { domain, action: b.action, organisation_id: b.organisation_id ?? null };
        rules.set(domain, r);
        return json(200, r);
      }
    }
    return json(404, { type: 'about:blank', title: 'Not found', status: 404, detail: `no route for ${url.pathname}` });
  };
  return { fetch: fetchImpl as typeof fetch, log, rules };
}

const root = useRoot();
const { text, $ } = root;
const button = (label: string) => root.el.querySelector(`button[aria-label="${label}"]`) as HTMLButtonElement;

describe('sender-rule requests', () => {
  it('sends an organisation only with create_contact, and a clean domain', () => {
    expect(ruleRequest({ domain: ' @NewCorp.Example ', action: 'create_contact', organisationId: '7' })).toEqual({
      domain: 'newcorp.example',
      body: { action: 'create_contact', organisation_id: 7 },
    });
    expect(ruleRequest({ domain: 'x.example', action: 'refuse', organisationId: '7' })).toEqual({ domain: 'x.example', body: { action: 'refuse' } });
  });
  it('says what a rule does', () => {
    const name = (id: number) => (id === 4 ? 'Acme' : '?');
    expect(actionText({ domain: 'a.example', action: 'create_contact', organisation_id: 4 }, name)).toBe('add to Acme and open the ticket');
    expect(actionText({ domain: 'a.example', action: 'refuse', organisation_id: null }, name)).toBe('refuse with a polite answer');
    expect(actionText({ domain: 'a.example', action: 'hold', organisation_id: null }, name)).toBe('hold for an agent');
  });
});

describe('the unknown-sender settings screen', () => {
  it('lists the rules, adds one with its organisation, changes and removes one, and shows the server\'s refusal', async () => {
    const s = fakeServer([{ domain: 'spam.example', action: 'refuse', organisation_id: null }]);
    setApi(makeClient(BASE, s.fetch));
    render(<SenderRulesPage me={admin} />, root.el);
    await vi.waitFor(() => expect(text()).toContain('spam.example'));
    expect(text()).toContain('refuse with a polite answer');

    await input($<HTMLInputElement>('#rule-domain'), 'NewCorp.Example');
    await input($<HTMLSelectElement>('#rule-action'), 'create_contact', 'change');
    await vi.waitFor(() => expect(root.el.querySelectorAll('#rule-org option')).toHaveLength(3));
    await input($<HTMLSelectElement>('#rule-org'), '4', 'change');
    submit($<HTMLFormElement>('form[aria-labelledby=rule-h]'));
    await vi.waitFor(() => expect(text()).toContain('Saved the setting for newcorp.example.'));
    expect(s.log.find((l) => l.method === 'PUT')).toMatchObject({ path: '/api/v1/mail/sender-rules/newcorp.example', body: { action: 'create_contact', organisation_id: 4 } });
    await vi.waitFor(() => expect(text()).toContain('add to Acme and open the ticket'));
    expect(($<HTMLInputElement>('#rule-domain')).value).toBe('');

    // Change fills the form with the rule; Save sends the new action.
    button('Change the setting for spam.example').click();
    await vi.waitFor(() => expect(($<HTMLInputElement>('#rule-domain')).value).toBe('spam.example'));
    await input($<HTMLSelectElement>('#rule-action'), 'hold', 'change');
    submit($<HTMLFormElement>('form[aria-labelledby=rule-h]'));
    await vi.waitFor(() => expect(s.rules.get('spam.example')?.action).toBe('hold'));

    button('Remove the setting for newcorp.example').click();
    await vi.waitFor(() => expect(text()).toContain('Removed the setting for newcorp.example'));
    expect(s.log.some((l) => l.method === 'DELETE' && l.path === '/api/v1/mail/sender-rules/newcorp.example')).toBe(true);
    await vi.waitFor(() => expect(root.el.querySelector('tr[data-domain="newcorp.example"]')).toBeNull());

    await input($<HTMLInputElement>('#rule-domain'), 'localhost');
    submit($<HTMLFormElement>('form[aria-labelledby=rule-h]'));
    await vi.waitFor(() => expect($('[role=alert]')?.textContent).toContain("'localhost' is not a domain name"));
  });

  it('tells a non-admin it is for admins, and asks the server nothing', () => {
    const s = fakeServer([]);
    setApi(makeClient(BASE, s.fetch));
    render(<SenderRulesPage me={agent} />, root.el);
    expect(text()).toContain('Only admins change');
    expect(root.el.querySelector('form')).toBeNull();
    expect(s.log).toEqual([]);
  });
});
