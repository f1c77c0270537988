/**
 * Where a job's processes run. One executor instance serves one job.
 *
 * Lifecycle: `prepare()` once → `exec()` any number of times, one at a time → `teardown()` once.
 * `teardown()` is safe to call even when `prepare()` failed or never ran, and more than once.
 * A non-zero exit is a result, not an error: `exec()` rejects only when the process could not be
 * started at all (missing shell, executor gone).
 */
export interface ExecRequest {
  /** argv[0] is looked up on the executor's PATH from `env.PATH`. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Called for every complete output line (without its newline), stdout and stderr interleaved. */
  onLine: (line: string, stream: "stdout" | "stderr") => void;
  /** Aborting kills the whole process tree. */
  signal: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  /** The process was killed because `signal` aborted. */
  aborted: boolean;
}

export interface JobPaths {
  /** GITHUB_WORKSPACE as the job's processes see it. */
  workspace: string;
  /** RUNNER_TEMP: step scripts and command files go here. */
  temp: string;
  toolCache: string;
  /** Where the executor keeps the job's files on the machine running Slipway; removed at teardown. */
  hostRoot: string;
  /** The workspace and temp folders as Slipway (not the job) sees them. */
  hostWorkspace: string;
  hostTemp: string;
}

export interface Executor {
  readonly name: string;
  readonly paths: JobPaths;
  prepare(): Promise<void>;
  exec(req: ExecRequest): Promise<ExecResult>;
  /** Finds a program on the executor (e.g. "bash"), or null. */
  which(program: string, envPath: string): Promise<string | null>;
  teardown(): Promise<void>;
}
