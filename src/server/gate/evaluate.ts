/**
 * The merge gate's verdict for one commit and target branch, from facts the service gathered: the rule
 * that applies, every job of the commit's runs, the workflows filters excluded, and (strict rules)
 * whether the commit contains the branch's tip. Pure.
 */
import type { FilteredWorkflow, ProtectionRule } from "../../store/protection-store.ts";
import { describeJob, fails, latestByName, passes, stateOf, type CheckState, type JobCheck } from "./check-state.ts";

export interface GateFacts {
  sha: string;
  branch: string;
  rule: ProtectionRule | null;
  jobs: readonly JobCheck[];
  /** Workflows excluded by filters of an event that targets `branch`. */
  filtered: readonly FilteredWorkflow[];
  /** Runs of the commit not completed yet: a missing check may still come. */
  unfinishedRuns: number;
  /** Strict rules only: whether the commit contains the branch's tip; null when not asked. */
  upToDate: boolean | null;
}

export interface CheckReport {
  name: string;
  state: CheckState;
  passing: boolean;
  reason: string;
  run_id: number | null;
  job_id: number | null;
}

export interface MergeCheck {
  mergeable: boolean;
  sha: string;
  branch: string;
  rule: { pattern: string; strict: boolean; checks: string[]; filtered_checks_pass: boolean } | null;
  checks: CheckReport[];
  /** Strict rules: whether the commit contains the branch's tip; null when the rule is not strict. */
  up_to_date: boolean | null;
  reasons: string[];
}

export function evaluateGate(f: GateFacts): MergeCheck {
  const base = { sha: f.sha, branch: f.branch, up_to_date: f.upToDate };
  if (!f.rule) return { ...base, mergeable: true, rule: null, checks: [], reasons: [`no protection rule covers branch ${f.branch}`] };
  const rule = f.rule;
  const latest = latestByName(f.jobs);
  const checks = rule.checks.map((name) => checkReport(name, latest.get(name), rule, f));
  const reasons = checks.filter((c) => !c.passing).map(blockingReason);
  if (f.upToDate === false) reasons.push(`the branch is not up to date with ${f.branch}`);
  const mergeable = reasons.length === 0;
  if (mergeable) reasons.push(checks.length ? `all ${checks.length} required checks pass` : `the rule for ${rule.pattern} requires no checks`);
  return { ...base, mergeable, rule: { pattern: rule.pattern, strict: rule.strict, checks: rule.checks, filtered_checks_pass: rule.filteredChecksPass }, checks, reasons };
}

function checkReport(name: string, job: JobCheck | undefined, rule: ProtectionRule, f: GateFacts): CheckReport {
  if (job) {
    const state = stateOf(job.status, job.result);
    return { name, state, passing: passes(state), reason: describeJob(job), run_id: job.runId, job_id: job.jobId };
  }
  const filtered = f.filtered.find((w) => w.jobs.includes(name));
  if (filtered && rule.filteredChecksPass) return { name, state: "skipped", passing: true, reason: filtered.reason, run_id: null, job_id: null };
  const reason = filtered
    ? `${filtered.reason} (the rule does not let filtered checks pass)`
    : f.unfinishedRuns > 0
      ? `not reported yet: ${f.unfinishedRuns} run(s) of this commit have not finished`
      : "no job with this name has run for this commit";
  return { name, state: "missing", passing: false, reason, run_id: null, job_id: null };
}

function blockingReason(c: CheckReport): string {
  // A job's own reason already starts with what happened ("failed: …", "cancelled", "in progress").
  if (fails(c.state)) return `required check '${c.name}' ${c.reason}`;
  return `required check '${c.name}' is ${c.state}: ${c.reason}`;
}

/** The one commit status that sums the verdict up, for a Git host whose own protection requires only it. */
export function aggregateStatus(m: MergeCheck): { state: "success" | "pending" | "failure"; description: string } {
  const passed = m.checks.filter((c) => c.passing).length;
  const summary = `${passed}/${m.checks.length} required checks passed`;
  if (m.mergeable) return { state: "success", description: summary };
  // A failed check or an outdated branch will not pass by waiting; a pending or missing check may.
  const failing = m.checks.some((c) => fails(c.state)) || m.up_to_date === false;
  return { state: failing ? "failure" : "pending", description: `${summary}; ${m.reasons[0] ?? ""}`.slice(0, 140) };
}
