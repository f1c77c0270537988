/** Results as GitHub words them, and the reports the engine returns (the `--json` shape). */
export type Result = "success" | "failure" | "cancelled" | "skipped";

export interface StepReport {
  id: string;
  name: string;
  outcome: Result;
  conclusion: Result;
}

export interface JobReport {
  /** `build`, or `caller/build` for a job of a called reusable workflow. */
  id: string;
  name: string;
  matrix: Record<string, unknown> | null;
  result: Result;
  outputs: Record<string, string>;
  steps: StepReport[];
  /** Why the job was skipped or failed before its steps, when that is not obvious. */
  reason?: string;
  durationMs: number;
  /** The last lines of the failed step's log, for the summary. */
  failedTail?: string[];
  /** `continue-on-error` was true: a failure of this job does not fail the run (it still reads failed). */
  continueOnError?: boolean;
  /** What the steps wrote to GITHUB_STEP_SUMMARY, masked. */
  summary?: string;
  /** The job's `environment.url`, evaluated when it ended. */
  environmentUrl?: string | null;
  /** Kept from an earlier attempt by a re-run of failed jobs: reported again, not run again. */
  carried?: boolean;
}

export interface RunReport {
  runId: number | null;
  workflow: string;
  name: string;
  event: string;
  result: Result;
  jobs: JobReport[];
}

/** The job-level result GitHub exposes as `needs.<id>.result` for a job with several instances. */
export function combineResults(results: Result[]): Result {
  if (results.length === 0) return "skipped";
  if (results.includes("failure")) return "failure";
  if (results.includes("cancelled")) return "cancelled";
  if (results.every((r) => r === "skipped")) return "skipped";
  return "success";
}

/**
 * The result of a whole run from its jobs (or of an event from its runs): failed or cancelled parts
 * make it so; skipped ones do not, nor a failure that continue-on-error tolerates.
 */
export function runResult(parts: ReadonlyArray<{ result: Result; continueOnError?: boolean }>): Result {
  const rs = parts.filter((j) => !(j.continueOnError && j.result === "failure")).map((j) => j.result);
  if (rs.includes("failure")) return "failure";
  if (rs.includes("cancelled")) return "cancelled";
  return "success";
}
