// Who is signed in. GET /api/v1/me answers for the session cookie (and hands
// out the CSRF token) or, for tools and tests, a bearer token.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, isMissingRoute, must, onUnauthorised, setCsrfToken, toApiError } from '../api/client';
import type { Me } from '../api/types';

export type SessionState = { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; me: Me };

let state: SessionState = { status: 'loading' };
const listeners = new Set<(s: SessionState) => void>();
function set(s: SessionState) {
  state = s;
  for (const fn of listeners) fn(s);
}

export async function loadSession(): Promise<void> {
  const r = await api.GET('/api/v1/me');
  if (r.response.ok && r.data) {
    setCsrfToken(r.data.csrf_token);
    set({ status: 'signed-in', me: r.data });
  } else {
    set({ status: 'signed-out' });
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const r = await api.POST('/api/v1/auth/login', { body: { email, password } });
  if (!r.response.ok || !r.data) {
    const e = toApiError(r.response, r.error);
    if (isMissingRoute(e))
      throw new ApiError(404, { detail: 'This server does not offer sign-in with a password yet (POST /api/v1/auth/login is not served).' });
    throw e;
  }
  setCsrfToken(r.data.csrf_token);
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await must(api.POST('/api/v1/auth/logout', {}));
  } catch {
    /* signed out either way */
  }
  setCsrfToken(undefined);
  set({ status: 'signed-out', reason: 'You are signed out.' });
}

onUnauthorised(() => {
  if (state.status === 'signed-in') set({ status: 'signed-out', reason: 'Your session ended; please sign in again.' });
});

export function useSession(): SessionState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => void listeners.delete(setS);
  }, []);
  return s;
}

export function currentSession(): SessionState {
  return state;
}

export function isStaff(me: Me): boolean {
  return me.role === 'agent' || me.role === 'lead' || me.role === 'admin';
}
