/**
 * Check names of stored jobs, as GitHub shows them: a matrix instance is already stored as `Test (3.11)`;
 * a job of a called (reusable) workflow is stored under its own name with the job id `caller/inner`, and
 * GitHub shows it as `Caller name / inner name` (nested calls chain). Pure.
 */
import type { JobRecord } from "../../store/store.ts";

/** Job record id → check name, for the jobs of any runs and attempts. */
export function checkNames(jobs: readonly JobRecord[]): Map<number, string> {
  const out = new Map<number, string>();
  const byAttempt = new Map<string, JobRecord[]>();
  for (const j of jobs) {
    const key = `${j.runId}#${j.attempt}`;
    byAttempt.set(key, [...(byAttempt.get(key) ?? []), j]);
  }
  for (const group of byAttempt.values()) for (const j of group) out.set(j.id, nameIn(group, j, 0));
  return out;
}

function nameIn(group: readonly JobRecord[], j: JobRecord, depth: number): string {
  const slash = j.jobId.lastIndexOf("/");
  if (slash < 0 || depth > 10) return j.name;
  const callerId = j.jobId.slice(0, slash);
  const callers = group.filter((c) => c.jobId === callerId);
  // A matrix of callers shares one job id prefix, so which instance ran this job is not recorded.
  const names = new Set(callers.map((c) => nameIn(group, c, depth + 1)));
  const caller = names.size === 1 ? [...names][0] : callerId;
  return `${caller} / ${j.name}`;
}
