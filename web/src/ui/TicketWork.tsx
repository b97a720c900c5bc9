// Two staff cards of the ticket page: the engineering issue a ticket waits
// on (POST /engineering-issue links it, POST /engineering-updates records
// its progress; `done` ends a suspension of the targets) and the support
// time logged on the ticket (GET/POST /time; the plan's support-hours
// budget counts it).
import { useState } from 'preact/hooks';
import { api, must } from '../api/client';
import type { Ticket, User } from '../api/types';
import { useAsync } from '../lib/data';
import { formatDuration } from '../lib/time';
import { ErrorBox, fmtTime, Loading } from './common';

const path = (n: number) => ({ params: { path: { number: String(n) } } });

export function EngineeringCard({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const n = ticket.number ?? 0;
  const issue = ticket.engineering_issue ?? null;
  const [id, setId] = useState('');
  const [url, setUrl] = useState('');
  const [status, setStatus] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card" aria-labelledby="eng-h">
      <h2 id="eng-h">Engineering issue</h2>
      <ErrorBox error={error} />
      {issue ? (
        <p>
          {issue.url && /^https?:\/\//.test(issue.url) ? (
            <a href={issue.url} rel="noopener noreferrer" target="_blank">
              {issue.id}
            </a>
          ) : (
            <strong>{issue.id}</strong>
          )}
          {issue.priority ? ` · priority ${issue.priority}` : ''}
          {issue.status ? ` · ${issue.status}` : ''}
          {issue.linked_at ? ` · linked ${fmtTime(issue.linked_at)}` : ''}
        </p>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => must(api.POST('/api/v1/tickets/{number}/engineering-issue', { ...path(n), body: { id: id.trim(), ...(url.trim() ? { url: url.trim() } : {}) } })));
          }}
        >
          <label for="eng-id">Issue key</label>
          <input id="eng-id" required value={id} onInput={(e) => setId(e.currentTarget.value)} placeholder="ENG-123" />
          <label for="eng-url">Link (optional)</label>
          <input id="eng-url" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://…" />
          <button type="submit">Link the issue</button>
        </form>
      )}
      {issue ? (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => must(api.POST('/api/v1/tickets/{number}/engineering-updates', { ...path(n), body: { status: status.trim(), done } }))).then(() => setStatus(''));
          }}
        >
          <label for="eng-status">Progress (told to the customer)</label>
          <input id="eng-status" required value={status} onInput={(e) => setStatus(e.currentTarget.value)} placeholder="fix in review" />
          <label class="check">
            <input type="checkbox" checked={done} onChange={(e) => setDone(e.currentTarget.checked)} /> Fixed or closed (the targets run again)
          </label>
          <button type="submit">Post the update</button>
        </form>
      ) : null}
    </section>
  );
}

export function TimeCard({ number, people }: { number: number; people: Map<number, User> }) {
  const [tick, setTick] = useState(0);
  const [entries] = useAsync(() => must(api.GET('/api/v1/tickets/{number}/time', path(number))), [number, tick]);
  const [minutes, setMinutes] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await must(api.POST('/api/v1/tickets/{number}/time', { ...path(number), body: { minutes: Number(minutes), ...(note.trim() ? { note: note.trim() } : {}) } }));
      setMinutes('');
      setNote('');
      setTick((t) => t + 1);
    } catch (err) {
      setError(err);
    }
  };
  const items = entries.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="time-h">
      <h2 id="time-h">Support time</h2>
      {entries.loading ? <Loading what="time entries" /> : null}
      <ErrorBox error={entries.error ?? error} />
      {entries.data ? <p>{formatDuration(entries.data.total_seconds ?? 0)} logged in all.</p> : null}
      {items.length ? (
        <ul class="plain small">
          {items.map((t) => (
            <li key={t.id}>
              {fmtTime(t.at)}: {formatDuration(t.seconds ?? 0)} by {people.get(t.agent_id ?? 0)?.name ?? `#${t.agent_id}`}
              {t.note ? ` — ${t.note}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <form class="form inline" onSubmit={submit}>
        <label for="time-min">Minutes</label>
        <input id="time-min" type="number" min={1} max={1440} required value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        <label for="time-note">Note</label>
        <input id="time-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit">Log time</button>
      </form>
    </section>
  );
}
