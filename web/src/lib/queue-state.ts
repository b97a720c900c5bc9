// The queue's loaded rows as a pure reducer: the first page or a live
// re-read replaces them, "more" appends the next page without duplicates
// (a ticket can move between pages while the clock runs), a 304 keeps them;
// the selection follows the selected ticket when a re-read reorders rows.
import type { QueueItem, QueuePage } from '../api/types';

export interface QueueData {
  items: QueueItem[];
  evaluatedAt: number; // server ms the rows were evaluated at
  cursor: string | null;
  etag: string | null;
  total: number | null;
}

export type QueueAction =
  | { type: 'reset' }
  | { type: 'page'; page: QueuePage; etag: string | null }
  | { type: 'more'; page: QueuePage; max: number }
  | { type: 'not-modified' };

export function queueReducer(state: QueueData | null, action: QueueAction): QueueData | null {
  switch (action.type) {
    case 'reset':
      return null;
    case 'not-modified':
      return state;
    case 'page':
      return {
        items: action.page.items,
        evaluatedAt: Date.parse(action.page.now),
        cursor: action.page.next_cursor ?? null,
        etag: action.etag,
        total: action.page.total ?? null,
      };
    case 'more': {
      if (!state) return state;
      const seen = new Set(state.items.map((i) => i.number));
      const fresh = action.page.items.filter((i) => !seen.has(i.number));
      const items = [...state.items, ...fresh].slice(0, action.max);
      // The appended rows were evaluated later than the first ones; the countdowns
      // run from the older instant, which errs on the side of urgency by the gap.
      return { ...state, items, cursor: items.length >= action.max ? null : (action.page.next_cursor ?? null) };
    }
  }
}

/** The index of the previously selected ticket in the new rows; the same place (clamped) when it left; -1 stays -1. */
export function followSelection(before: readonly QueueItem[], after: readonly QueueItem[], selected: number): number {
  if (selected < 0) return selected;
  const n = before[selected]?.number;
  if (n === undefined) return -1;
  const i = after.findIndex((x) => x.number === n);
  return i >= 0 ? i : Math.min(selected, after.length - 1);
}
