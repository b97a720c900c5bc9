// Small shared pieces: badges, errors, notes about endpoints the server does not serve yet.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Organisation, SlaState } from '../api/types';
import { STATE_ICON, STATE_LABEL } from '../lib/countdown';

export function StateBadge({ state }: { state: SlaState }) {
  return (
    <span class={`badge state-${state}`}>
      <span aria-hidden="true" class="icon">{STATE_ICON[state]}</span> {STATE_LABEL[state]}
    </span>
  );
}

export function statusLabel(s: string | null | undefined): string {
  return (s ?? '').replace(/_/g, ' ');
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  return <span class={`badge status-${status ?? 'none'}`}>{statusLabel(status)}</span>;
}

export function SeverityBadge({ severity, name }: { severity: string; name?: string | undefined }) {
  return <span class="badge severity" title={name ?? severity}>{name ?? severity}</span>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const msg = error instanceof Error ? error.message : String(error);
  const field = error instanceof ApiError ? error.field : undefined;
  return (
    <p class="error" role="alert">
      {msg}
      {field ? <span class="field"> (field: {field})</span> : null}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** Shown where a screen needs an endpoint the server does not serve yet. */
export function Waiting({ endpoint, children }: { endpoint: string; children?: ComponentChildren }) {
  return (
    <p class="note waiting" role="note">
      This part appears when the server provides <code>{endpoint}</code>. {children}
    </p>
  );
}

/** Sets the document title and moves focus to the page heading (for screen readers) on navigation. */
export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · sladesk`;
  }, [title]);
  useEffect(() => {
    h.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section class="page">
      <div class="page-head">
        <h1 tabIndex={-1} ref={h}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function fmtTime(s: string | null | undefined): string {
  if (!s) return '—';
  const d = new Date(s);
  return d.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The <option>s of an organisation <select>: a first empty choice named `none`, then each organisation by id. */
export function OrganisationOptions({ orgs, none }: { orgs: Organisation[] | undefined; none: string }) {
  return (
    <>
      <option value="">{none}</option>
      {(orgs ?? []).map((o) => (
        <option key={o.id} value={String(o.id)}>
          {o.name}
        </option>
      ))}
    </>
  );
}
