// Reads shared by several screens, cached for the page's life: policies are
// immutable while the server runs; names of organisations and staff change
// rarely (a reload refreshes them).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, isMissingRoute, must } from '../api/client';
import type { Organisation, Policy, PolicySummary, User } from '../api/types';

const cache = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
export function forget(prefix: string): void {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

/** The policy, or null when the server does not serve GET /api/v1/policies/{id} yet. */
export function getPolicy(id: string): Promise<Policy | null> {
  return once(`policy:${id}`, async () => {
    try {
      return await must(api.GET('/api/v1/policies/{id}', { params: { path: { id } } }));
    } catch (e) {
      if (isMissingRoute(e)) return null;
      throw e;
    }
  });
}

export function listPolicies(): Promise<PolicySummary[] | null> {
  return once('policies', async () => {
    try {
      return (await must(api.GET('/api/v1/policies'))).items ?? [];
    } catch (e) {
      if (isMissingRoute(e)) return null;
      throw e;
    }
  });
}

export function listOrganisations(): Promise<Organisation[]> {
  return once('orgs', async () => (await must(api.GET('/api/v1/organisations'))).items ?? []);
}

/** Staff by id; empty for contacts (who may not list staff). */
export function staffById(): Promise<Map<number, User>> {
  return once('staff', async () => {
    try {
      const items = (await must(api.GET('/api/v1/users'))).items ?? [];
      return new Map(items.map((u) => [u.id ?? 0, u]));
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return new Map();
      throw e;
    }
  });
}

export function contactsOf(orgId: number): Promise<User[]> {
  return once(`contacts:${orgId}`, async () =>
    (await must(api.GET('/api/v1/organisations/{id}/contacts', { params: { path: { id: String(orgId) } } }))).items ?? [],
  );
}

export type Async<T> = { loading: true; data?: undefined; error?: undefined } | { loading: false; data: T; error?: undefined } | { loading: false; data?: undefined; error: Error };

/** Runs `load` when `deps` change; `reload()` runs it again. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): [Async<T>, () => void] {
  const [state, setState] = useState<Async<T>>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ loading: false, data }),
      (error: unknown) => live && setState({ loading: false, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return [state, () => setTick((t) => t + 1)];
}
