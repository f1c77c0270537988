// Hash routes of docs/design/dashboard-api.md, parsed into typed values, and the links that make them.

export type Route =
  | { page: "runs"; query: URLSearchParams }
  | { page: "run"; owner: string; repo: string; runId: number }
  | { page: "job"; owner: string; repo: string; runId: number; jobId: number; line: number | null }
  | { page: "dispatch"; owner: string; repo: string; file: string }
  | { page: "repos" }
  | { page: "repo"; owner: string; repo: string }
  | { page: "environments"; owner: string; repo: string }
  | { page: "environment"; owner: string; repo: string; name: string }
  | { page: "deployments"; owner: string; repo: string }
  | { page: "notifications"; owner: string; repo: string }
  | { page: "audit"; owner: string | null; repo: string | null; query: URLSearchParams }
  | { page: "approve"; token: string }
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
  if (a === "audit" && parts.length === 1) return { page: "audit", owner: null, repo: null, query };
  if (a === "approve" && owner && parts.length === 2) return { page: "approve", token: owner };
  if (a !== "repos") return { page: "notfound", path };
  if (parts.length === 1) return { page: "repos" };
  if (!owner || !repo) return { page: "notfound", path };
  if (parts.length === 3) return { page: "repo", owner, repo };
  if (kind === "dispatch" && id && parts.length === 5) return { page: "dispatch", owner, repo, file: id };
  const section = repoSection(owner, repo, parts.slice(3), query);
  if (section) return section;
  if (kind === "runs" && isId(id)) {
    if (parts.length === 5) return { page: "run", owner, repo, runId: Number(id) };
    if (sub === "jobs" && isId(subId) && parts.length === 7) {
      const line = Number(query.get("line"));
      return { page: "job", owner, repo, runId: Number(id), jobId: Number(subId), line: line > 0 ? line : null };
    }
  }
  return { page: "notfound", path };
}

/** The governance pages under a repository: environments, deployments, notifications, audit. */
function repoSection(owner: string, repo: string, rest: string[], query: URLSearchParams): Route | null {
  const [kind, name] = rest;
  if (kind === "environments" && rest.length === 1) return { page: "environments", owner, repo };
  if (kind === "environments" && name && rest.length === 2) return { page: "environment", owner, repo, name };
  if (rest.length !== 1) return null;
  if (kind === "deployments") return { page: "deployments", owner, repo };
  if (kind === "notifications") return { page: "notifications", owner, repo };
  if (kind === "audit") return { page: "audit", owner, repo, query };
  return null;
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
export const environmentsHref = (owner: string, repo: string): string => `${repoHref(owner, repo)}/environments`;
export const environmentHref = (owner: string, repo: string, name: string): string => `${environmentsHref(owner, repo)}/${seg(name)}`;
export const deploymentsHref = (owner: string, repo: string): string => `${repoHref(owner, repo)}/deployments`;
export const notificationsHref = (owner: string, repo: string): string => `${repoHref(owner, repo)}/notifications`;

/** The audit page of a repository, or of every repository (site administrators) without one. */
export function auditHref(owner: string | null, repo: string | null, filters: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const s = q.toString();
  const base = owner && repo ? `${repoHref(owner, repo)}/audit` : "#/audit";
  return s ? `${base}?${s}` : base;
}

export const dispatchHref = (owner: string, repo: string, file: string): string => `${repoHref(owner, repo)}/dispatch/${seg(file)}`;

export function runsHref(filters: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `#/runs?${s}` : "#/";
}

/** `.github/workflows/ci.yml` → `ci.yml`: the name the dispatch and filter endpoints take. */
export const workflowFile = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
