// One door to the server: adds the token, turns error bodies into ApiError, sends 401s to sign-in.
import { goToSignIn } from "./auth.ts";

const TOKEN_KEY = "slipway.token";

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const token = getToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

/** fetch with the token; a 401 leaves the page for sign-in and still rejects so callers stop. */
export async function authFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = authHeaders((init.headers as Record<string, string> | undefined) ?? {});
  const res = await fetch(url, { ...init, headers });
  if (res.status === 401) {
    goToSignIn();
    throw await toError(res);
  }
  return res;
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" } };
  if (signal) init.signal = signal;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  }
  const res = await checked(await authFetch(path, init));
  if (res.status === 204 || res.status === 205) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> => api<T>("GET", path, undefined, signal);

/** Rejects a non-2xx answer with the server's own message. */
export async function checked(res: Response): Promise<Response> {
  if (!res.ok) throw await toError(res);
  return res;
}

async function toError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy page, say): the status line is the best message there is.
  }
  if (body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") {
    message = (body as { message: string }).message;
    const errors = (body as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) message += `: ${errors.map(describeError).join("; ")}`;
  }
  return new ApiError(res.status, message, body);
}

function describeError(e: unknown): string {
  if (typeof e === "string") return e;
  if (e && typeof e === "object") {
    const o = e as { message?: unknown; field?: unknown; code?: unknown };
    if (typeof o.message === "string") return o.message;
    return [o.field, o.code].filter((x) => typeof x === "string").join(" ");
  }
  return String(e);
}

/** Path segment helper: owner, repo and file names go into URLs encoded. */
export function repoPath(prefix: string, owner: string, repo: string): string {
  return `${prefix}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
export const v3 = (owner: string, repo: string): string => repoPath("/api/v3", owner, repo);
export const sw = (owner: string, repo: string): string => repoPath("/api/slipway", owner, repo);

/** Every page of a `{total_count, <key>: [...]}` list (secrets and variables are paginated). */
export async function getAll<T>(path: string, key: string, perPage: number, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes("?") ? "&" : "?";
  for (let page = 1; ; page++) {
    const res = await get<Record<string, unknown>>(`${path}${sep}per_page=${perPage}&page=${page}`, signal);
    const items = (res[key] as T[] | undefined) ?? [];
    out.push(...items);
    const total = typeof res["total_count"] === "number" ? res["total_count"] : out.length;
    if (items.length < perPage || out.length >= total) return out;
  }
}
