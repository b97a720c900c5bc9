// DOM helpers for component tests (vitest + happy-dom): a fresh root per
// test, queries inside it, and input as a person gives it (the event, then
// a turn of the event loop so Preact renders the new state).
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';
import { forget } from '../lib/data';

export interface TestRoot {
  readonly el: HTMLElement;
  /** Its text, as a person reads it. */
  text(): string;
  /** The first element inside it matching `sel` (the test asserts it exists). */
  $<T extends Element>(sel: string): T;
}

/** A root element per test, emptied and removed after it (and the data cache forgotten). */
export function useRoot(): TestRoot {
  let el = null as unknown as HTMLElement;
  beforeEach(() => {
    el = document.createElement('div');
    document.body.appendChild(el);
  });
  afterEach(() => {
    render(null, el);
    el.remove();
    forget('');
  });
  return {
    get el() {
      return el;
    },
    text: () => el.textContent ?? '',
    $: <T extends Element>(sel: string) => el.querySelector(sel) as T,
  };
}

/** Types into a field (or picks an option with type 'change') and lets Preact render. */
export async function input(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string, type = 'input'): Promise<void> {
  el.value = value;
  el.dispatchEvent(new Event(type, { bubbles: true }));
  await new Promise((r) => setTimeout(r, 0));
}

export const submit = (form: HTMLFormElement): boolean => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
