/**
 * pull_request in GitHub's shape. Gitea and Forgejo say `synchronized`, give head/base a `repo_id` but no
 * `user`, omit `before`/`after` on synchronize and `draft` on older versions.
 */
import { defined, githubAction, obj, str } from "./payload.ts";
import type { Obj } from "./payload.ts";
import type { Forge, NormalizedEvent } from "./types.ts";

export function normalizePullRequest(forge: Forge, payload: Obj): NormalizedEvent {
  const pr = obj(payload.pull_request) ?? {};
  const head = obj(pr.head) ?? {};
  const base = obj(pr.base) ?? {};
  const action = githubAction(forge, payload.action);
  const number = payload.number ?? pr.number;
  const p: Obj = action === undefined ? { ...payload } : { ...payload, action };
  const headSha = str(head.sha);
  if (forge !== "github") {
    p.pull_request = { ...pr, head: withUser(head), base: withUser(base), draft: pr.draft ?? false };
    if (action === "synchronize" && p.after === undefined) p.after = headSha;
  }
  return defined({
    name: "pull_request",
    action,
    // GitHub's GITHUB_REF for pull_request; Gitea publishes only refs/pull/<n>/head, the server must cope.
    ref: number === undefined ? undefined : `refs/pull/${String(number)}/merge`,
    sha: headSha,
    before: str(payload.before),
    baseRef: str(base.ref),
    headRef: str(head.ref),
    fork: isFork(forge, head, base, obj(payload.repository)),
    payload: p,
  });
}

/** GitHub's head.user/base.user is the owner of that side's repository. */
function withUser(side: Obj): Obj {
  if (side.user !== undefined) return side;
  const owner = obj(side.repo)?.owner;
  return owner === undefined ? side : { ...side, user: owner };
}

/**
 * Gitea/Forgejo: head.repo_id ≠ base.repo_id, exactly Gitea's own IsFromFork. GitHub: the head repository
 * differs from the base one, by id (survives renames) else full_name; a null head repo is a deleted fork.
 * Anything undecidable is a fork, so a doubtful pull request never gets secrets.
 */
export function isFork(forge: Forge, head: Obj, base: Obj, repository: Obj | undefined): boolean {
  if (forge !== "github" && typeof head.repo_id === "number" && typeof base.repo_id === "number") {
    return head.repo_id !== base.repo_id;
  }
  const headRepo = obj(head.repo);
  const baseRepo = obj(base.repo) ?? repository;
  if (!headRepo || !baseRepo) return true;
  if (typeof headRepo.id === "number" && typeof baseRepo.id === "number") return headRepo.id !== baseRepo.id;
  const headName = str(headRepo.full_name);
  return headName === undefined || headName !== str(baseRepo.full_name);
}
