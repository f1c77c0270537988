/** What a queued trigger carries: enough to build the event again after a restart or for a re-run. */
export interface TriggerData {
  /** `github.event`. */
  payload: Record<string, unknown>;
  /** The commit whose workflows run; absent: the head of `ref`'s branch when the trigger is processed. */
  sha?: string;
  /** Full ref: refs/heads/main, refs/tags/v1, refs/pull/7/merge. */
  ref: string;
  /** push: the commit before; the diff before..sha is what path filters see. */
  before?: string;
  /** pull requests: short base and head branch names, and the base commit for the three-dot diff. */
  baseRef?: string;
  headRef?: string;
  baseSha?: string;
  actor: string;
  /** workflow_dispatch: the typed inputs; workflow_dispatch also names its one workflow file. */
  inputs?: Record<string, unknown>;
  workflow?: string;
  /** A pull request from a fork: no secrets, a read-only token. */
  fork?: boolean;
  /** How many workflow_run links led here; GitHub stops a chain after three. */
  chainDepth?: number;
}

export function triggerData(data: Record<string, unknown>): TriggerData {
  return data as unknown as TriggerData;
}
