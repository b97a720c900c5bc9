// The server's clock as seen by the app. Countdowns use the server's `now`
// (every queue page and SLA report carries it): under `serve --test-clock`
// it is far from the browser's, and in real use it corrects a skewed PC clock.

let offsetMs = 0;
const listeners = new Set<() => void>();

/** Records a `now` the server sent; `sentAt` is the browser time of the answer. */
export function observeServerNow(serverNow: string | null | undefined, sentAt = Date.now()): void {
  if (!serverNow) return;
  const t = Date.parse(serverNow);
  if (Number.isNaN(t)) return;
  const next = t - sentAt;
  // Ignore the jitter of a round trip; follow real jumps (the test clock) at once.
  if (Math.abs(next - offsetMs) > 1500) {
    offsetMs = next;
    for (const fn of listeners) fn();
  }
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}

export function onClockJump(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** For tests. */
export function resetClock(): void {
  offsetMs = 0;
}
