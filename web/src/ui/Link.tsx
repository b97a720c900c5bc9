import type { ComponentChildren, JSX } from 'preact';
import { linkClick } from '../lib/router';

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children: ComponentChildren }) {
  return <a {...props} onClick={(e) => { props.onClick?.(e as never); linkClick(e as unknown as MouseEvent); }} />;
}
