// Keyboard navigation of the queue: j / k move the selection, Enter opens the
// selected ticket, r opens it with the reply box focused. Keys typed into a
// form field, or with a modifier, are left alone.

export interface QueueKeyActions {
  count: () => number;
  selected: () => number; // -1 when nothing is selected
  select: (index: number) => void;
  open: (index: number) => void;
  reply: (index: number) => void;
}

export function isTypingTarget(t: EventTarget | null): boolean {
  if (!t || typeof (t as Element).closest !== 'function') return false;
  const el = t as HTMLElement;
  if (el.isContentEditable) return true;
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
}

/** Handles one keydown; true when it was a queue key (the caller then prevents the default). */
export function handleQueueKey(e: Pick<KeyboardEvent, 'key' | 'target' | 'altKey' | 'ctrlKey' | 'metaKey'>, a: QueueKeyActions): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey || isTypingTarget(e.target)) return false;
  const n = a.count();
  if (n === 0) return false;
  const i = a.selected();
  switch (e.key) {
    case 'j':
      a.select(i < 0 ? 0 : Math.min(i + 1, n - 1));
      return true;
    case 'k':
      a.select(i < 0 ? 0 : Math.max(i - 1, 0));
      return true;
    case 'Enter':
      if (i < 0) return false;
      a.open(i);
      return true;
    case 'r':
      if (i < 0) return false;
      a.reply(i);
      return true;
    default:
      return false;
  }
}
