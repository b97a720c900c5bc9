import { describe, expect, it } from 'vitest';
import { handleQueueKey, type QueueKeyActions } from './keys';

function actions(count: number, start = -1) {
  const calls: string[] = [];
  let sel = start;
  const a: QueueKeyActions = {
    count: () => count,
    selected: () => sel,
    select: (i) => {
      sel = i;
      calls.push(`select ${i}`);
    },
    open: (i) => void calls.push(`open ${i}`),
    reply: (i) => void calls.push(`reply ${i}`),
  };
  return { a, calls, sel: () => sel };
}
const key = (k: string, target: EventTarget | null = document.body, mods: Partial<KeyboardEvent> = {}) => ({ key: k, target, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('queue keys', () => {
  it('j and k move within the list and stop at its ends', () => {
    const t = actions(3);
    for (const k of ['j', 'j', 'j', 'j', 'k', 'k', 'k']) expect(handleQueueKey(key(k), t.a)).toBe(true);
    expect(t.calls).toEqual(['select 0', 'select 1', 'select 2', 'select 2', 'select 1', 'select 0', 'select 0']);
  });
  it('Enter opens and r replies to the selected ticket only', () => {
    const t = actions(3);
    expect(handleQueueKey(key('Enter'), t.a)).toBe(false);
    expect(handleQueueKey(key('r'), t.a)).toBe(false);
    handleQueueKey(key('j'), t.a);
    handleQueueKey(key('j'), t.a);
    expect(handleQueueKey(key('Enter'), t.a)).toBe(true);
    expect(handleQueueKey(key('r'), t.a)).toBe(true);
    expect(t.calls.slice(-2)).toEqual(['open 1', 'reply 1']);
  });
  it('leaves typing and shortcuts alone', () => {
    const t = actions(3, 0);
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    const select = document.createElement('select');
    for (const target of [input, area, select]) expect(handleQueueKey(key('j', target), t.a)).toBe(false);
    expect(handleQueueKey(key('r', document.body, { ctrlKey: true }), t.a)).toBe(false);
    expect(handleQueueKey(key('j', document.body, { metaKey: true }), t.a)).toBe(false);
    expect(handleQueueKey(key('x'), t.a)).toBe(false);
    expect(t.calls).toEqual([]);
  });
  it('does nothing on an empty list', () => {
    const t = actions(0);
    expect(handleQueueKey(key('j'), t.a)).toBe(false);
  });
});
