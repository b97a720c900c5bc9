import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { VirtualList, visibleRange } from './VirtualList';

describe('virtual list', () => {
  it('computes the rows in view with overscan', () => {
    expect(visibleRange(0, 680, 68, 1000, 6)).toEqual([0, 16]);
    expect(visibleRange(68 * 500, 680, 68, 1000, 6)).toEqual([494, 516]);
    expect(visibleRange(68 * 995, 680, 68, 1000, 6)).toEqual([989, 1000]);
    expect(visibleRange(0, 680, 68, 3, 6)).toEqual([0, 3]);
  });
  it('puts only the visible rows of 1,000 in the DOM, with their positions for screen readers', () => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    const items = Array.from({ length: 1000 }, (_, i) => i + 1);
    render(<VirtualList items={items} rowHeight={68} label="Tickets" keyOf={(i) => i} renderRow={(i) => <a href={`/tickets/${i}`}>#{i}</a>} />, root);
    const rows = root.querySelectorAll('[role=listitem]');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('1000');
    expect(rows[0]?.getAttribute('aria-posinset')).toBe('1');
    expect((root.querySelector('.vlist-inner') as HTMLElement).style.height).toBe('68000px');
    render(null, root);
  });
});
