// Live updates: Server-Sent Events from GET /api/v1/stream; when the stream
// is unavailable (not served, or the connection keeps failing), polling.
// The caller re-fetches what it shows on each notice.

export interface LiveOptions {
  onTicket: (number: number) => void;
  onClock?: (now: string) => void;
  /** Called every `pollMs` while polling (the stream is unavailable). */
  onPoll: () => void;
  pollMs?: number;
  url?: string;
  EventSourceImpl?: typeof EventSource | undefined;
}

export interface Live {
  mode: () => 'stream' | 'polling' | 'connecting';
  close: () => void;
}

export function connectLive(o: LiveOptions): Live {
  const ES = o.EventSourceImpl ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  let mode: 'stream' | 'polling' | 'connecting' = 'connecting';
  let timer: ReturnType<typeof setInterval> | undefined;
  let es: EventSource | undefined;
  let failures = 0;
  const startPolling = () => {
    if (mode === 'polling') return;
    mode = 'polling';
    es?.close();
    timer = setInterval(o.onPoll, o.pollMs ?? 5000);
  };
  if (!ES) {
    startPolling();
  } else {
    es = new ES(o.url ?? '/api/v1/stream', { withCredentials: true });
    es.addEventListener('open', () => {
      mode = 'stream';
      failures = 0;
    });
    es.addEventListener('ticket', (ev) => {
      try {
        const d = JSON.parse((ev as MessageEvent<string>).data) as { number?: unknown };
        if (typeof d.number === 'number') o.onTicket(d.number);
      } catch {
        /* a malformed event is ignored */
      }
    });
    es.addEventListener('clock', (ev) => {
      try {
        const d = JSON.parse((ev as MessageEvent<string>).data) as { now?: unknown };
        if (typeof d.now === 'string') o.onClock?.(d.now);
      } catch {
        /* ignored */
      }
    });
    es.addEventListener('error', () => {
      // A 404 or a non-event-stream answer closes the source for good; a dropped
      // stream reconnects by itself, but three failures in a row mean polling.
      failures += 1;
      if (!es || es.readyState === 2 || failures >= 3) startPolling();
    });
  }
  return {
    mode: () => mode,
    close: () => {
      es?.close();
      if (timer) clearInterval(timer);
    },
  };
}
