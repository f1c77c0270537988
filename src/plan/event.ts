/**
 * Synthesizes the event payload and the ref/sha facts of `github` for a local run, the way the
 * event would arrive from GitHub; `-e` payloads are merged over it (act's convention).
 */
export interface RepoFacts {
  sha: string;
  ref: string | null;
  before: string;
  defaultBranch: string;
  repository: string;
  actor: string;
  headCommit?: { message: string; timestamp: string; author: { name: string; email: string }; committer: { name: string; email: string } };
}

export interface EventFacts {
  name: string;
  payload: Record<string, unknown>;
  ref: string;
  sha: string;
  headRef: string;
  baseRef: string;
}

export function synthesizeEvent(name: string, repo: RepoFacts, refOverride: string | null, override: Record<string, unknown> | null): EventFacts {
  const ref = refOverride ?? repo.ref ?? `refs/heads/${repo.defaultBranch}`;
  const [owner = "local", repoName = "repo"] = repo.repository.split("/");
  const repository = {
    full_name: repo.repository,
    name: repoName,
    owner: { login: owner, name: owner },
    default_branch: repo.defaultBranch,
  };
  const sender = { login: repo.actor };
  const branch = shortRef(ref);
  let payload: Record<string, unknown>;
  switch (name) {
    case "push":
      payload = { ref, before: repo.before, after: repo.sha, created: false, deleted: false, forced: false, head_commit: headCommit(repo), commits: [headCommit(repo)], pusher: { name: repo.actor }, repository, sender };
      break;
    case "pull_request":
    case "pull_request_target":
      payload = {
        action: "opened",
        number: 1,
        pull_request: { number: 1, head: { ref: branch, sha: repo.sha }, base: { ref: repo.defaultBranch }, title: "", merged: false, draft: false },
        repository,
        sender,
      };
      break;
    case "workflow_dispatch":
      payload = { ref, inputs: {}, repository, sender };
      break;
    case "repository_dispatch":
      payload = { action: "", client_payload: {}, repository, sender };
      break;
    case "release":
      payload = { action: "published", release: { tag_name: branch }, repository, sender };
      break;
    default:
      payload = { repository, sender };
  }
  if (override) payload = deepMerge(payload, override);
  return facts(name, payload, ref, repo.sha);
}

function facts(name: string, payload: Record<string, unknown>, ref: string, sha: string): EventFacts {
  const pr = payload.pull_request as { number?: number; head?: { ref?: string; sha?: string }; base?: { ref?: string } } | undefined;
  if ((name === "pull_request" || name === "pull_request_target") && pr) {
    const number = pr.number ?? payload.number ?? 1;
    return {
      name,
      payload,
      // pull_request runs on the merge ref; pull_request_target on the base branch.
      ref: name === "pull_request" ? `refs/pull/${number}/merge` : `refs/heads/${pr.base?.ref ?? ""}`,
      sha,
      headRef: pr.head?.ref ?? "",
      baseRef: pr.base?.ref ?? "",
    };
  }
  const payloadRef = typeof payload.ref === "string" && payload.ref.startsWith("refs/") ? payload.ref : ref;
  return { name, payload, ref: payloadRef, sha, headRef: "", baseRef: "" };
}

function headCommit(repo: RepoFacts): Record<string, unknown> {
  const c = repo.headCommit;
  return { id: repo.sha, tree_id: "", distinct: true, message: c?.message ?? "", timestamp: c?.timestamp ?? "", author: c?.author ?? {}, committer: c?.committer ?? {}, added: [], removed: [], modified: [] };
}

export function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, "");
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
