/**
 * Environments and their protection rules, the reviews runs wait for, and deployment records.
 *
 * Lifecycle of a job that names an environment: `ensureEnvironment` (unknown names are created without
 * rules, as on GitHub) → `createDeployment` (status `queued`) → if reviewers or a wait timer apply,
 * `openReview` (status `waiting`; the row keeps `requestedAt`, so a restart keeps counting the timer)
 * → `decideReview` once (approved, rejected, timed out, cancelled) → statuses `in_progress` then
 * `success`/`failure`/`error`. Deployments and statuses are only appended: delivery metrics read them.
 */

export interface Reviewer {
  type: "User" | "Team";
  name: string;
}

/** GitHub's `deployment_branch_policy`; null allows every branch and tag. */
export interface BranchPolicy {
  protectedBranches: boolean;
  /** Name patterns (GitHub's glob rules); `tag` entries match tags, `branch` entries branches. */
  patterns: { name: string; type: "branch" | "tag" }[] | null;
}

export interface EnvironmentRecord {
  id: number;
  repo: string;
  name: string;
  /** Minutes, 0–43,200. */
  waitTimer: number;
  preventSelfReview: boolean;
  /** Up to six users or teams; empty: no review needed. */
  reviewers: Reviewer[];
  branchPolicy: BranchPolicy | null;
  adminBypass: boolean;
  createdAt: string;
  updatedAt: string;
}

export type EnvironmentRules = Pick<EnvironmentRecord, "waitTimer" | "preventSelfReview" | "reviewers" | "branchPolicy" | "adminBypass">;

export type ReviewState = "waiting" | "approved" | "rejected" | "timed_out" | "cancelled";

export interface ReviewRecord {
  id: number;
  repo: string;
  runId: number;
  runAttempt: number;
  environment: string;
  requestedAt: string;
  state: ReviewState;
  reviewer: string | null;
  comment: string | null;
  /** An administrator released it past the rules. */
  bypass: boolean;
  decidedAt: string | null;
}

export type DeploymentState = "queued" | "waiting" | "in_progress" | "success" | "failure" | "error" | "inactive" | "pending";

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: DeploymentState;
  description: string | null;
  environmentUrl: string | null;
  logUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  repo: string;
  environment: string;
  sha: string;
  ref: string;
  task: string;
  workflow: string | null;
  runId: number | null;
  runAttempt: number | null;
  /** The job (and matrix values) that deployed, as the run page names it. */
  job: string | null;
  creator: string;
  url: string | null;
  description: string | null;
  createdAt: string;
  /** The newest status's state. */
  state: DeploymentState;
  updatedAt: string;
}

export type NewDeployment = Omit<DeploymentRecord, "id" | "createdAt" | "state" | "updatedAt">;

export interface DeploymentFilter {
  environment?: string;
  sha?: string;
  ref?: string;
  runId?: number;
  limit?: number;
  offset?: number;
}

export interface EnvironmentStore {
  listEnvironments(repo: string): Promise<EnvironmentRecord[]>;
  getEnvironment(repo: string, name: string): Promise<EnvironmentRecord | null>;
  /** Creates or replaces the rules; returns the record and whether it was created. */
  putEnvironment(repo: string, name: string, rules: EnvironmentRules): Promise<{ env: EnvironmentRecord; created: boolean }>;
  /** The environment, created without rules when it does not exist yet. */
  ensureEnvironment(repo: string, name: string): Promise<EnvironmentRecord>;
  deleteEnvironment(repo: string, name: string): Promise<boolean>;

  /**
   * The waiting review of this run attempt for this environment, opened if none waits: one decision
   * releases the jobs waiting for it then; a job that reaches the environment later waits for a new one.
   */
  openReview(repo: string, runId: number, runAttempt: number, environment: string): Promise<ReviewRecord>;
  /** The newest review of this run attempt for this environment. */
  getReview(runId: number, runAttempt: number, environment: string): Promise<ReviewRecord | null>;
  getReviewById(id: number): Promise<ReviewRecord | null>;
  listReviews(filter: { runId?: number; state?: ReviewState; repo?: string }): Promise<ReviewRecord[]>;
  /** Decides a waiting review; false when it was already decided (the first decision stands). */
  decideReview(id: number, d: { state: Exclude<ReviewState, "waiting">; reviewer: string | null; comment: string | null; bypass: boolean }): Promise<boolean>;

  /** Inserts the deployment and its first status (`queued`). */
  createDeployment(d: NewDeployment, creator: string): Promise<DeploymentRecord>;
  getDeployment(id: number): Promise<DeploymentRecord | null>;
  /** Newest first. */
  listDeployments(repo: string, filter?: DeploymentFilter): Promise<DeploymentRecord[]>;
  /** Sets the url once it is known (a job's `environment.url` is evaluated when the job ends). */
  setDeploymentUrl(id: number, url: string): Promise<void>;
  /**
   * Appends a status. A `success` also appends `inactive` to every earlier deployment of that
   * environment whose newest status is `success`, as GitHub does.
   */
  addDeploymentStatus(s: Omit<DeploymentStatusRecord, "id" | "createdAt">): Promise<DeploymentStatusRecord>;
  listDeploymentStatuses(deploymentId: number): Promise<DeploymentStatusRecord[]>;
}
