/**
 * The merge gate over the store and the mirrors: gathers a commit's jobs, the rule for the target
 * branch, the workflows filters excluded and (strict rules) the branch's tip, then lets the pure
 * `evaluateGate` decide.
 */
import type { RepoRecord } from "../../store/server-store.ts";
import type { JobRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import type { JobCheck } from "./check-state.ts";
import { containsBranchTip } from "./commits.ts";
import { evaluateGate, type MergeCheck } from "./evaluate.ts";
import { checkNames } from "./job-names.ts";
import { ruleFor } from "./rules.ts";

export async function mergeCheck(app: App, repo: RepoRecord, sha: string, branch: string): Promise<MergeCheck> {
  const rule = ruleFor(await app.store.protection.listRules(repo.fullName), branch);
  if (!rule) return evaluateGate({ sha, branch, rule: null, jobs: [], filtered: [], unfinishedRuns: 0, upToDate: null });
  const runs = await app.store.listRuns({ repo: repo.fullName, sha });
  const jobs: JobRecord[] = [];
  for (const run of runs) jobs.push(...(await app.store.listJobs(run.id)));
  const names = checkNames(jobs);
  const attempts = new Map(runs.map((r) => [r.id, r]));
  const checks: JobCheck[] = jobs.map((j) => {
    const check: JobCheck = { name: names.get(j.id) ?? j.name, jobId: j.id, runId: j.runId, status: j.status, result: j.result, reason: j.reason };
    const run = attempts.get(j.runId);
    // A run being re-run: its earlier attempt's results no longer stand, the new attempt's are coming.
    if (run && run.status !== "completed" && j.attempt < run.runAttempt) return { ...check, status: "queued", result: null, reason: `re-run as attempt ${run.runAttempt}` };
    return check;
  });
  const filtered = (await app.store.protection.filteredAt(repo.fullName, sha)).filter((w) => w.branch === branch);
  return evaluateGate({
    sha,
    branch,
    rule,
    jobs: checks,
    filtered,
    unfinishedRuns: runs.filter((r) => r.status !== "completed").length,
    upToDate: rule.strict ? await containsBranchTip(app, repo, sha, branch) : null,
  });
}
