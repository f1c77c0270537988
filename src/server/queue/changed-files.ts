/** The files an event changed, as GitHub's path filters see them. */
import { ZERO_SHA } from "../../git/repo.ts";
import type { Mirrors } from "../repos/mirror.ts";
import type { TriggerData } from "./trigger-data.ts";

/** Undefined means unknown: path filters then pass, as they do for events without a diff. */
export async function changedFilesFor(mirrors: Mirrors, repo: string, event: string, sha: string, data: TriggerData): Promise<string[] | undefined> {
  if (event === "push") {
    if (!data.before || data.before === ZERO_SHA) return (await mirrors.allFiles(repo, sha)) ?? undefined;
    return (await mirrors.changedFiles(repo, data.before, sha)) ?? undefined;
  }
  if ((event === "pull_request" || event === "pull_request_target") && data.baseSha) {
    // pull_request_target runs the base branch's commit, but its path filters see the pull request's diff.
    const prHead = (data.payload.pull_request as { head?: { sha?: unknown } } | undefined)?.head?.sha;
    const head = typeof prHead === "string" ? prHead : sha;
    return (await mirrors.changedFiles(repo, data.baseSha, head, true)) ?? undefined;
  }
  return undefined;
}
