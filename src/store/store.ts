/**
 * The state store: what a run did, durable enough to survive the process that ran it.
 *
 * One implementation per database (SQLite now in ./sqlite/, PostgreSQL later); every method is async and
 * speaks only plain records, so callers never see a driver. JSON-valued fields (plan, matrix, needs,
 * outputs) must be plain JSON: they round-trip through JSON text.
 *
 * Lifecycle, as the engine is expected to drive it:
 *
 * 1. On start, `recoverInterrupted(isOwnerAlive)`: runs left unfinished by a process that was killed or
 *    crashed are closed as `completed`/`cancelled` with {@link INTERRUPTED_REASON}, together with their
 *    unfinished jobs and steps. Runs whose owner is still alive (another `slipway run` in parallel) are
 *    left alone.
 * 2. `createRun(newRun, owner)` → status `queued`, a fresh `runNumber` (1, 2, 3… per repo + workflow
 *    file, allocated atomically even when several processes share the store), owner = this process.
 * 3. `updateRun(id, { status: "in_progress", startedAt })`, then `createJob` for each planned job
 *    (`queued`); a job moves `queued` → `waiting` (needs not done) → `in_progress` → `completed`.
 * 4. While a job runs: `upsertStep` each time a step starts or ends, and `appendLogs` in batches (each
 *    batch is one transaction; `seq` is assigned per job, 1, 2, 3…, in batch order).
 * 5. `updateJob(id, { status: "completed", result, outputs, finishedAt })`, and at the end
 *    `updateRun(id, { status: "completed", result, finishedAt })`.
 * 6. `close()`.
 *
 * Invariants the engine keeps (the store does not police them): `result` is null until `status` is
 * `completed`, and `completed` is final. Every write is durable once its promise resolves, even if the
 * process is SIGKILLed right after.
 */

export type Status = "queued" | "waiting" | "in_progress" | "completed";
export type Result = "success" | "failure" | "cancelled" | "skipped";

export const STATUSES: readonly Status[] = ["queued", "waiting", "in_progress", "completed"];
export const RESULTS: readonly Result[] = ["success", "failure", "cancelled", "skipped"];

/** The reason written by `recoverInterrupted`. */
export const INTERRUPTED_REASON = "interrupted: the process running it stopped (killed or crashed)";

/** The process that runs a run; `recoverInterrupted` asks whether it is still alive. */
export interface Owner {
  pid: number;
  host: string;
}

export interface NewRun {
  /** Absolute path of a local checkout, or OWNER/NAME. */
  repo: string;
  workflowFile: string;
  workflowName: string;
  event: string;
  sha: string;
  ref: string;
  actor?: string;
  /** Plain JSON. */
  plan?: unknown;
  /** Defaults to 1. */
  runAttempt?: number;
  /** The server's queued trigger (webhook, dispatch, schedule) this run came from; absent for `slipway run`. */
  triggerId?: number;
}

export interface RunRecord extends NewRun {
  /** Never reused. */
  id: number;
  /** Per repo + workflowFile: 1, 2, 3… */
  runNumber: number;
  runAttempt: number;
  status: Status;
  result: Result | null;
  reason: string | null;
  /** ISO 8601, set by the store. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  ownerPid: number | null;
  ownerHost: string | null;
}

export interface NewJob {
  runId: number;
  /** Unique within the run, e.g. "build", "build (1, a)" or "call/inner". */
  key: string;
  /** The job's id in the YAML. */
  jobId: string;
  name: string;
  matrix: Record<string, unknown> | null;
  needs: string[];
  /** The run attempt this job belongs to; defaults to 1. A re-run adds the next attempt's jobs. */
  attempt?: number;
}

export interface JobRecord extends NewJob {
  id: number;
  attempt: number;
  status: Status;
  result: Result | null;
  reason: string | null;
  outputs: Record<string, string>;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface StepRecord {
  /** JobRecord.id, not the YAML job id. */
  jobId: number;
  /** 0-based position in the job; (jobId, index) identifies the step. */
  index: number;
  stepId: string;
  name: string;
  status: Status;
  outcome: Result | null;
  conclusion: Result | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface LogLine {
  /** JobRecord.id. */
  jobId: number;
  /** Per job, 1, 2, 3…, assigned by the store. */
  seq: number;
  ts: string;
  text: string;
  stepIndex: number | null;
}

export type NewLogLine = Omit<LogLine, "seq">;

/** `ownerPid`/`ownerHost`: a re-run is owned by the process that runs the new attempt; `actor`: and triggered by who asked for it. */
export type RunPatch = Partial<Pick<RunRecord, "status" | "result" | "reason" | "startedAt" | "finishedAt" | "plan" | "runAttempt" | "ownerPid" | "ownerHost" | "actor">>;

/** `name` is patchable because a job's name may contain expressions only known once it starts. */
export type JobPatch = Partial<
  Pick<JobRecord, "name" | "status" | "result" | "reason" | "outputs" | "startedAt" | "finishedAt">
>;

export interface RunFilter {
  repo?: string;
  workflowFile?: string;
  event?: string;
  ref?: string;
  sha?: string;
  actor?: string;
  result?: Result;
  triggerId?: number;
  /** One status, or any of several (e.g. every unfinished one). */
  status?: Status | readonly Status[];
  /** Newest first; all when absent. */
  limit?: number;
  /** Skips this many of the newest matches (pagination). */
  offset?: number;
}

export interface LogQuery {
  /** Only lines with a greater seq: lets a follower resume where it stopped. */
  afterSeq?: number;
  limit?: number;
}

export interface Store {
  createRun(run: NewRun, owner: Owner): Promise<RunRecord>;
  /** Rejects with NotFoundError when the run does not exist. */
  updateRun(id: number, patch: RunPatch): Promise<RunRecord>;
  getRun(id: number): Promise<RunRecord | null>;
  /** Newest (highest id) first. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** How many runs match, ignoring limit and offset. */
  countRuns(filter?: RunFilter): Promise<number>;

  /** Status `queued`, no outputs. Rejects when the run does not exist or the key is taken. */
  createJob(job: NewJob): Promise<JobRecord>;
  /** Rejects with NotFoundError when the job does not exist. */
  updateJob(id: number, patch: JobPatch): Promise<JobRecord>;
  getJob(id: number): Promise<JobRecord | null>;
  /** In creation order; every attempt's jobs. */
  listJobs(runId: number): Promise<JobRecord[]>;

  /** Inserts or replaces the step at (jobId, index). */
  upsertStep(step: StepRecord): Promise<void>;
  /** Several upserts in one transaction, in order: how a busy run records its steps. */
  upsertSteps(steps: readonly StepRecord[]): Promise<void>;
  /** By index. */
  listSteps(jobId: number): Promise<StepRecord[]>;

  /**
   * Appends in one transaction; lines may belong to several jobs. Returns the lines with the seq each
   * got, in the order given.
   */
  appendLogs(lines: readonly NewLogLine[]): Promise<LogLine[]>;
  /** By seq. */
  readLogs(jobId: number, query?: LogQuery): Promise<LogLine[]>;

  /**
   * Closes every unfinished run, job and step whose owner `isAlive` says is gone (see the lifecycle
   * above). `isAlive` is asked once per distinct owner; runs without an owner are left alone. Returns
   * the ids of the runs it closed.
   */
  recoverInterrupted(isAlive: (owner: Owner) => boolean): Promise<number[]>;

  /** Idempotent; other methods reject afterwards. */
  close(): Promise<void>;
}
