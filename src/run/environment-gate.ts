/**
 * The swap point between a job that names an `environment:` and whoever guards that environment: the
 * server (reviewers, wait timers, branch policies, deployment records) or `slipway run` (the rules in
 * `.slipway.yml`, a TTY prompt or `--approve`).
 *
 * Lifecycle, per job instance: `enter` once the job's needs are done and before it takes a slot (a job
 * waiting for review holds no slot) → on `ok`, `started` when the job takes its slot, then `finished`
 * exactly once with the job's result and its evaluated `environment.url`. `enter` resolves (never
 * rejects for a refusal) with the reason the job fails; a cancelled wait resolves `{ok: false,
 * cancelled: true}`. Without a gate, `environment:` only names the deployment, as before.
 */
import type { Result } from "./types.ts";

export interface GateRequest {
  runId: number | null;
  /** As the run page names it: `deploy`, `deploy (eu)`. */
  jobName: string;
  environment: string;
  repository: string;
  ref: string;
  /** A pull request's head branch (`github.head_ref`); "" for other events. */
  headRef: string;
  event: string;
  sha: string;
  actor: string;
  workflow: string;
  /** Lines for the job's log while it waits (who may approve, why it failed). */
  log(line: string, kind?: "info" | "warning" | "error"): void;
  /** Called when the job starts waiting for a review or a timer (the run page shows "waiting"). */
  waiting(): void;
}

export interface GateTicket {
  /** Environment secrets and variables: they override the repository's of the same name. */
  secrets: Record<string, string>;
  vars: Record<string, string>;
  started(): Promise<void>;
  finished(result: Result, url: string | null): Promise<void>;
}

/**
 * The ref a deployment branch policy judges: a pull request's head branch, as on GitHub; except from a
 * fork, whose branch names are not to be trusted (the merge ref then matches no policy).
 */
export function policyRef(req: Pick<GateRequest, "ref" | "headRef" | "event">, fork: boolean): string {
  const pr = req.event === "pull_request" || req.event === "pull_request_target";
  return pr && req.headRef && !fork ? `refs/heads/${req.headRef}` : req.ref;
}

export type GateAnswer = { ok: true; ticket: GateTicket } | { ok: false; reason: string; cancelled?: boolean };

export interface EnvironmentGate {
  enter(req: GateRequest, signal: AbortSignal): Promise<GateAnswer>;
}

/** `environment: NAME` or `environment: {name, url}`, evaluated; null when the job names none. */
export function environmentTarget(value: unknown): { name: string; url: unknown } | null {
  if (typeof value === "string") return value.trim() ? { name: value.trim(), url: null } : null;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const { name, url } = value as { name?: unknown; url?: unknown };
    if (typeof name === "string" && name.trim()) return { name: name.trim(), url: url ?? null };
  }
  return null;
}
