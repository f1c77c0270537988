/**
 * What a notification says, as plain data built once per event: both formatters (Slack, generic
 * webhook) and the rule matcher read only this, so they stay pure and testable without a server.
 */
import type { NotifyEvent } from "../../workflow/repo-config-notifications.ts";
import type { DeploymentRecord, EnvironmentRecord, ReviewRecord } from "../../store/environment-store.ts";
import type { RunRecord } from "../../store/store.ts";

export interface RunFacts {
  id: number;
  number: number;
  attempt: number;
  workflow: { name: string; file: string };
  event: string;
  /** The branch the commit is on (a pull request's head branch); null for tags. */
  branch: string | null;
  ref: string;
  sha: string;
  actor: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  htmlUrl: string;
  url: string;
}

export interface DeploymentFacts {
  id: number;
  environment: string;
  sha: string;
  ref: string;
  state: string;
  /** The environment's URL (`environment.url`), when the job set one. */
  environmentUrl: string | null;
  job: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  durationMs: number | null;
}

export interface ApprovalFacts {
  reviewId: number;
  environment: string;
  requestedAt: string;
  reviewers: { type: string; name: string }[];
  waitTimerMinutes: number;
  jobs: string[];
}

export interface NotifyFacts {
  event: NotifyEvent;
  repository: { fullName: string; htmlUrl: string };
  run: RunFacts | null;
  /** run.fixed: the result of the run before (always "failure" today). */
  previousConclusion?: string;
  deployment?: DeploymentFacts;
  approval?: ApprovalFacts;
}

/** The one-time links a Slack approval request carries; made per delivery. */
export interface ApprovalLinks {
  approve: string;
  reject: string;
}

const elapsed = (from: string | null, to: string | null): number | null => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null);

/** refs/heads/x → x; a pull request's runs are on its head branch; tags are on no branch. */
export function branchOf(ref: string, headRef?: string): string | null {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  if (ref.startsWith("refs/pull/")) return headRef || null;
  if (ref.startsWith("refs/")) return null;
  return ref || null;
}

export function repositoryFacts(fullName: string, baseUrl: string): NotifyFacts["repository"] {
  return { fullName, htmlUrl: `${baseUrl}/#/repos/${fullName}` };
}

export function runFacts(run: RunRecord, baseUrl: string, headRef?: string): RunFacts {
  return {
    id: run.id,
    number: run.runNumber,
    attempt: run.runAttempt,
    workflow: { name: run.workflowName, file: run.workflowFile },
    event: run.event,
    branch: branchOf(run.ref, headRef),
    ref: run.ref,
    sha: run.sha,
    actor: run.actor ?? "slipway",
    status: run.status,
    conclusion: run.status === "completed" ? run.result : null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: elapsed(run.startedAt ?? run.createdAt, run.finishedAt),
    htmlUrl: `${baseUrl}/#/repos/${run.repo}/runs/${run.id}`,
    url: `${baseUrl}/api/v3/repos/${run.repo}/actions/runs/${run.id}`,
  };
}

export function deploymentFacts(d: DeploymentRecord, finished: boolean): DeploymentFacts {
  return {
    id: d.id,
    environment: d.environment,
    sha: d.sha,
    ref: d.ref,
    state: d.state,
    environmentUrl: d.url,
    job: d.job,
    creator: d.creator,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    durationMs: finished ? elapsed(d.createdAt, d.updatedAt) : null,
  };
}

export function approvalFacts(review: ReviewRecord, env: EnvironmentRecord, jobs: string[]): ApprovalFacts {
  return {
    reviewId: review.id,
    environment: env.name,
    requestedAt: review.requestedAt,
    reviewers: env.reviewers.map((r) => ({ type: r.type, name: r.name })),
    waitTimerMinutes: env.waitTimer,
    jobs,
  };
}

/** 45s, 1m 5s, 2h 3m. */
export function humanDuration(ms: number | null): string {
  if (ms === null) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
