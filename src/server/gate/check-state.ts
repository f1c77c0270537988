/**
 * A required check's state, as GitHub derives it: the newest job reporting under the check's name
 * decides (a re-run's job replaces the earlier one); success, skipped and neutral pass; queued, waiting
 * and in-progress jobs are pending and a name nobody reported is missing, both of which block; failure
 * (timeouts included) and cancelled fail. Pure.
 */
import type { Result, Status } from "../../store/store.ts";

export type CheckState = "success" | "failure" | "pending" | "missing" | "skipped" | "neutral" | "cancelled";

/** One job as a check: its name as GitHub shows it and where it came from. */
export interface JobCheck {
  name: string;
  jobId: number;
  runId: number;
  status: Status;
  result: Result | null;
  /** Why the job ended as it did (a skipped job's false condition), when the engine said. */
  reason: string | null;
}

export function stateOf(status: Status, result: Result | null): CheckState {
  if (status !== "completed" || result === null) return "pending";
  switch (result) {
    case "success":
      return "success";
    case "skipped":
      return "skipped";
    case "cancelled":
      return "cancelled";
    case "failure":
      return "failure";
  }
}

export function passes(state: CheckState): boolean {
  return state === "success" || state === "skipped" || state === "neutral";
}

/** Not passing and not going to pass without a new run: the gate says failure, not pending. */
export function fails(state: CheckState): boolean {
  return state === "failure" || state === "cancelled";
}

/** The newest job per check name: job ids only grow, so a later attempt's job wins. */
export function latestByName(jobs: readonly JobCheck[]): Map<string, JobCheck> {
  const out = new Map<string, JobCheck>();
  for (const j of jobs) {
    const seen = out.get(j.name);
    if (!seen || seen.jobId < j.jobId) out.set(j.name, j);
  }
  return out;
}

/** What a job's state means, for people: "in progress", "failed: exit code 1". */
export function describeJob(j: JobCheck): string {
  const state = stateOf(j.status, j.result);
  const why = j.reason ? `: ${j.reason}` : "";
  switch (state) {
    case "pending":
      return `${j.status === "in_progress" ? "in progress" : j.status}${why}`;
    case "success":
      return "passed";
    case "skipped":
      return `skipped${why}`;
    case "cancelled":
      return `cancelled${why}`;
    default:
      return `failed${why}`;
  }
}
