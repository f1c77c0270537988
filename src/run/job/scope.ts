/**
 * The mutable state of one running job (or composite action): its layered environment, PATH
 * additions, `steps` context and status. Kept apart from step execution so each stays small.
 */
import type { Result } from "../types.ts";

export interface StepState {
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
}

export class JobScope {
  /** Variables added through GITHUB_ENV (or ::set-env); they outlive the step that set them. */
  readonly addedEnv: Record<string, string> = {};
  /** GITHUB_PATH additions, newest first. */
  readonly addedPath: string[] = [];
  readonly steps: Record<string, StepState> = {};
  /** "failure" once a step's conclusion failed: what `success()` and `failure()` look at. */
  status: "success" | "failure" = "success";
  readonly summaries: string[] = [];
  /** Saved with GITHUB_STATE / ::save-state, per action step, for its post step. */
  readonly state = new Map<string, Record<string, string>>();
  readonly postSteps: Array<() => Promise<void>> = [];
  /** A failed post step fails the job, wherever the action that registered it ran. */
  postFailed = false;

  constructor(readonly baseEnv: Record<string, string>) {}

  /** The env context for expressions: base layers, then GITHUB_ENV, then the step's own env. */
  envContext(stepEnv: Record<string, string> = {}): Record<string, string> {
    return { ...this.baseEnv, ...this.addedEnv, ...stepEnv };
  }
}
