/**
 * push, create and delete in GitHub's shape. Gitea and Forgejo omit push's created/deleted/forced/base_ref
 * (derived here from all-zero shas), call `compare` `compare_url`, and leave create's `master_branch`,
 * `description` and `pusher_type` out.
 */
import { defined, obj, str } from "./payload.ts";
import type { Obj } from "./payload.ts";
import type { NormalizedEvent } from "./types.ts";

const isZeroSha = (sha: string | undefined): boolean => sha !== undefined && /^0+$/.test(sha);

export function normalizePush(payload: Obj): NormalizedEvent {
  const before = str(payload.before);
  const after = str(payload.after);
  const p: Obj = { ...payload };
  if (typeof p.created !== "boolean") p.created = isZeroSha(before);
  if (typeof p.deleted !== "boolean") p.deleted = isZeroSha(after);
  // Gitea does not report force pushes; false is GitHub's value for an ordinary push.
  if (typeof p.forced !== "boolean") p.forced = false;
  if (!("base_ref" in p)) p.base_ref = null;
  if (p.compare === undefined && typeof p.compare_url === "string") p.compare = p.compare_url;
  return defined({ name: "push", ref: str(payload.ref), sha: after, before, fork: false, payload: p });
}

/** create/delete carry the short ref name and its type; GITHUB_REF is the full ref. */
export function normalizeRefEvent(name: "create" | "delete", payload: Obj): NormalizedEvent {
  const short = str(payload.ref);
  const type = str(payload.ref_type);
  const ref = short === undefined ? undefined : short.startsWith("refs/") ? short : `refs/${type === "tag" ? "tags" : "heads"}/${short}`;
  const p: Obj = { ...payload };
  if (p.pusher_type === undefined) p.pusher_type = "user";
  if (name === "create") {
    const repo = obj(payload.repository);
    if (p.master_branch === undefined && repo) p.master_branch = repo.default_branch;
    if (p.description === undefined) p.description = repo?.description ?? null;
  }
  return defined({ name, ref, sha: str(payload.sha), fork: false, payload: p });
}
