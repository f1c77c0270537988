/** Everything a step needs from its job, passed down explicitly instead of through one big object. */
import type { Executor } from "../executors/executor.ts";
import type { Masker } from "../protocol/masker.ts";
import type { JobLog, TailKeeper } from "./log.ts";
import type { JobScope, StepState } from "./scope.ts";
import type { Contexts, ExprFunctions } from "../../expr/evaluate.ts";
import type { Tpl } from "../../expr/template.ts";
import type { ActionLoader } from "../actions/loader.ts";
import { hashFiles } from "./hash-files.ts";
import type { JobEnvironment } from "./environment.ts";

export interface RunSettings {
  dataDir: string;
  actionsUrl: string;
  /** The repository the run is for, checked out by actions/checkout. */
  repoRoot: string;
  debug?: boolean;
  /** runs-on label → image (`-P`, .slipway.yml `platforms:`), or "host". */
  platforms: Record<string, string>;
  /** Image name → the image to use instead (.slipway.yml `images:`). */
  imageAliases: Record<string, string>;
  /**
   * Whose caches a job sees: a server keeps them per repository (and apart for pull requests from forks),
   * so one repository's run cannot plant what another restores. Absent: one cache for the data dir.
   */
  cacheScope?: string;
  /** False: a job may not run on this machine's host (pull requests from forks on a server). */
  allowHost?: boolean;
}

export interface JobRuntime {
  executor: Executor;
  /** Where the job runs: host or container, and its services. */
  environment: JobEnvironment;
  /** Machine environment plus GitHub's default variables (CI, GITHUB_*, RUNNER_*). */
  processEnv: Record<string, string>;
  log: JobLog;
  tails: TailKeeper;
  masker: Masker;
  scope: JobScope;
  /** github, needs, inputs, vars, secrets, matrix, strategy, runner, job: fixed for the job. */
  contexts: Contexts;
  defaultsRun: { shell: Tpl | null; workingDirectory: Tpl | null };
  settings: RunSettings;
  /**
   * A signal for one step that aborts if the job is cancelled (or times out) while that step runs.
   * Steps that start after the cancellation (`if: always()`, `cancelled()`) get a live signal.
   */
  stepSignal: () => AbortSignal;
  /** Whether the job was cancelled (for `cancelled()`), as opposed to a step failing. */
  isCancelled: () => boolean;
  hasBash: boolean;
  actions: ActionLoader;
  /** Counts steps across composite actions, for log line attribution. */
  nextStepIndex: () => number;
}

/** A list of steps being run: the job's own, or a composite action's. */
export interface Frame {
  steps: Record<string, StepState>;
  status: "success" | "failure";
  /** `inputs` as this step list sees it (a composite's inputs, else the workflow's). */
  inputs: unknown;
  /** Env of the enclosing `uses:` step, for a composite's steps. */
  envOverlay: Record<string, string>;
  /** github.action_path etc. for a composite's steps. */
  github: Record<string, unknown>;
  depth: number;
  /** Aborts when the enclosing `uses:` step is stopped (its timeout): a composite's steps stop too. */
  signal?: AbortSignal;
}

export function statusFunctions(rt: JobRuntime, frame: Frame): ExprFunctions {
  return {
    hashFiles: (patterns) => hashFiles(rt.executor.paths.hostWorkspace, patterns),
    success: () => frame.status === "success" && !rt.isCancelled(),
    failure: () => frame.status === "failure",
    cancelled: () => rt.isCancelled(),
    always: () => true,
  };
}

export function frameContexts(rt: JobRuntime, frame: Frame, stepEnv: Record<string, string> = {}): Contexts {
  return {
    ...rt.contexts,
    github: frame.github,
    inputs: frame.inputs,
    steps: frame.steps,
    env: rt.scope.envContext({ ...frame.envOverlay, ...stepEnv }),
    job: { ...(rt.contexts.job as object), status: rt.isCancelled() ? "cancelled" : frame.status },
    functions: statusFunctions(rt, frame),
  };
}
