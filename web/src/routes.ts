// Hash routes of docs/design/dashboard-api.md, parsed into typed values, and the links that make them.

export type Route =
  | { page: "runs"; query: URLSearchParams }
  | { page: "run"; owner: string; repo: string; runId: number }
  | { page: "job"; owner: string; repo: string; runId: number; jobId: number; line: number | null }
  | { page: "dispatch"; owner: string; repo: string; file: string }
  | { page: "repos" }
  | { page: "repo"; owner: string; repo: string }
  | { page: "signin" }
  | { page: "notfound"; path: string };

export interface Located {
  route: Route;
  /** Same key, same page instance: only the query changed (e.g. `?line=` on a job page). */
  key: string;
}

export function parseHash(hash: string): Located {
  const raw = hash.replace(/^#/, "") || "/";
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  const parts = path.split("/").filter(Boolean).map(safeDecode);
  const route = match(parts, query, path);
  return { route, key: route.page === "job" ? `job:${path}` : `${route.page}:${raw}` };
}

function match(parts: string[], query: URLSearchParams, path: string): Route {
  const [a, owner, repo, kind, id, sub, subId] = parts;
  if (parts.length === 0 || (a === "runs" && parts.length === 1)) return { page: "runs", query };
  if (a === "signin" && parts.length === 1) return { page: "signin" };
  if (a !== "repos") return { page: "notfound", path };
  if (parts.length === 1) return { page: "repos" };
  if (!owner || !repo) return { page: "notfound", path };
  if (parts.length === 3) return { page: "repo", owner, repo };
  if (kind === "dispatch" && id && parts.length === 5) return { page: "dispatch", owner, repo, file: id };
  if (kind === "runs" && isId(id)) {
    if (parts.length === 5) return { page: "run", owner, repo, runId: Number(id) };
    if (sub === "jobs" && isId(subId) && parts.length === 7) {
      const line = Number(query.get("line"));
      return { page: "job", owner, repo, runId: Number(id), jobId: Number(subId), line: line > 0 ? line : null };
    }
  }
  return { page: "notfound", path };
}

const isId = (s: string | undefined): s is string => !!s && /^\d+$/.test(s);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const seg = encodeURIComponent;

export function splitFullName(fullName: string): [string, string] {
  const i = fullName.indexOf("/");
  return i < 0 ? [fullName, ""] : [fullName.slice(0, i), fullName.slice(i + 1)];
}

export const repoHref = (owner: string, repo: string): string => `#/repos/${seg(owner)}/${seg(repo)}`;
export const runHref = (owner: string, repo: string, runId: number): string => `${repoHref(owner, repo)}/runs/${runId}`;
export const jobHref = (owner: string, repo: string, runId: number, jobId: number, line?: number): string =>
  `${runHref(owner, repo, runId)}/jobs/${jobId}${line ? `?line=${line}` : ""}`;
export const dispatchHref = (owner: string, repo: string, file: string): string => `${repoHref(owner, repo)}/dispatch/${seg(file)}`;

export function runsHref(filters: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `#/runs?${s}` : "#/";
}

/** `.github/workflows/ci.yml` → `ci.yml`: the name the dispatch and filter endpoints take. */
export const workflowFile = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
