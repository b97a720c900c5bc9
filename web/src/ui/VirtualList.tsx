// Renders only the rows in view (plus a few either side) of a long list with
// fixed-height rows, so a 1,000-ticket queue scrolls smoothly.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  label: string;
  overscan?: number;
  keyOf: (item: T) => string | number;
  renderRow: (item: T, index: number) => ComponentChildren;
  /** The row to keep in view (keyboard selection). */
  scrollToIndex?: number;
  onNearEnd?: () => void;
  total?: number | null;
}

/** The index range to render for a scroll position (exported for tests). */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, last];
}

export function VirtualList<T>(p: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const overscan = p.overscan ?? 6;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setViewport(el.clientHeight || 800);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 800));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const el = box.current;
    const i = p.scrollToIndex;
    if (!el || i === undefined || i < 0) return;
    const top = i * p.rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + p.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + p.rowHeight - el.clientHeight;
  }, [p.scrollToIndex, p.rowHeight]);
  const [first, last] = visibleRange(scrollTop, viewport, p.rowHeight, p.items.length, overscan);
  useEffect(() => {
    if (p.onNearEnd && last >= p.items.length - overscan && p.items.length > 0) p.onNearEnd();
  }, [last, p.items.length]);
  const rows = [];
  for (let i = first; i < last; i++) {
    const item = p.items[i] as T;
    rows.push(
      <div
        key={p.keyOf(item)}
        role="listitem"
        aria-setsize={p.total ?? p.items.length}
        aria-posinset={i + 1}
        class="vrow"
        style={{ transform: `translateY(${i * p.rowHeight}px)`, height: `${p.rowHeight}px` }}
      >
        {p.renderRow(item, i)}
      </div>,
    );
  }
  return (
    <div class="vlist" ref={box} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div role="list" aria-label={p.label} class="vlist-inner" style={{ height: `${p.items.length * p.rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
