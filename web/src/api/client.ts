// The one HTTP client of the app: openapi-fetch typed by api/openapi.json.
// Same-origin cookie session; every unsafe request carries the session's
// CSRF token (X-CSRF-Token) once GET /me or the login has handed it out.
// Problems (application/problem+json) become ApiError values.
import createClient, { type Middleware } from 'openapi-fetch';
import type { Problem, paths } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
    readonly retryAfter?: number,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  get field(): string | undefined {
    return this.problem.field;
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}
export function getCsrfToken(): string | undefined {
  return csrfToken;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && UNSAFE.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** Listeners told when any call answers 401 (the session ended). */
const unauthorised = new Set<() => void>();
export function onUnauthorised(fn: () => void): () => void {
  unauthorised.add(fn);
  return () => unauthorised.delete(fn);
}

export function makeClient(baseUrl = '', fetchImpl?: typeof fetch) {
  const c = createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  c.use(csrfMiddleware);
  c.use({
    onResponse({ response, request }) {
      if (response.status === 401 && !request.url.endsWith('/api/v1/auth/login')) for (const fn of unauthorised) fn();
      return response;
    },
  });
  return c;
}

export let api = makeClient();
/** Tests point the app at a mock. */
export function setApi(client: ReturnType<typeof makeClient>): void {
  api = client;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The data of a 2xx answer, or throws ApiError. */
export async function must<T>(p: Promise<Answer<T>>): Promise<T> {
  const r = await p;
  if (r.response.ok) return r.data as T;
  throw toApiError(r.response, r.error);
}

export function toApiError(response: Response, error: unknown): ApiError {
  const problem: Partial<Problem> =
    error && typeof error === 'object' ? (error as Partial<Problem>) : { detail: typeof error === 'string' && error ? error : response.statusText };
  const ra = response.headers.get('Retry-After');
  return new ApiError(response.status, { status: response.status, ...problem }, ra ? Number(ra) : undefined);
}

/** True when the server answered that the route does not exist (an endpoint not yet served). */
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && /no route for/.test(e.message);
}
