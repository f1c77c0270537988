// Shapes of the governance answers (docs/design/governance-api.md and the notifications endpoints),
// limited to the fields the dashboard reads.

export type Role = "viewer" | "developer" | "maintainer" | "admin";

export interface ReviewerRef {
  type: "User" | "Team";
  reviewer: { id?: number; login?: string; name?: string; slug?: string };
}

export type ProtectionRule =
  | { id: number; type: "wait_timer"; wait_timer: number }
  | { id: number; type: "required_reviewers"; prevent_self_review?: boolean; reviewers: ReviewerRef[] }
  | { id: number; type: "branch_policy" };

export interface BranchPattern {
  id: number;
  name: string;
  type?: "branch" | "tag";
}

export interface Environment {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  protection_rules?: ProtectionRule[];
  deployment_branch_policy: null | { protected_branches: boolean; custom_branch_policies: boolean };
  can_admins_bypass?: boolean;
  slipway_branch_patterns?: BranchPattern[];
}

/** What PUT …/environments/:name takes. */
export interface EnvironmentBody {
  wait_timer: number;
  prevent_self_review: boolean;
  reviewers: { type: "User" | "Team"; name: string }[];
  deployment_branch_policy: null | { protected_branches: boolean; custom_branch_policies: boolean };
  can_admins_bypass: boolean;
}

export type ReviewState = "waiting" | "approved" | "rejected" | "timed_out" | "cancelled";

/** One entry of GET /api/slipway/repos/:o/:r/runs/:id/environments. */
export interface RunEnvironment {
  environment: string;
  state: ReviewState | null;
  reviewers: { type: "User" | "Team"; name: string }[];
  wait_timer: number;
  wait_timer_started_at: string | null;
  wait_timer_ends_at: string | null;
  current_user_can_approve: boolean;
  reviewer: string | null;
  comment: string | null;
  jobs: string[];
  deployments: { id: number; job: string | null; url: string | null; state: string }[];
}

export interface PendingDeployment {
  environment: { id: number; name: string };
  current_user_can_approve: boolean;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  creator: { login: string } | null;
  created_at: string;
  updated_at: string;
  slipway?: { run_id: number | null; run_attempt: number | null; workflow: string | null; job: string | null; state: string; url: string | null; run_html_url?: string | null };
}

export interface DeploymentStatus {
  id: number;
  state: string;
  description: string | null;
  environment_url: string | null;
  log_url: string | null;
  creator: { login: string } | null;
  created_at: string;
}

export interface EnvironmentOverview {
  environment: string;
  current: Deployment | null;
  history: Deployment[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  repo: string | null;
  target: string | null;
  details: Record<string, unknown> | null;
}

export type ChannelKind = "slack" | "webhook";

export interface Channel {
  name: string;
  kind: ChannelKind;
  /** Scheme and host only: the rest of a channel's URL is a secret. */
  url?: string;
  has_secret?: boolean;
  created_at?: string;
  updated_at?: string;
}

export interface NotificationRule {
  channel: string;
  events: string[];
  branches?: string[] | null;
  workflows?: string[] | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  response_code: number | null;
  error: string | null;
  duration_ms?: number | null;
}

export interface Delivery {
  id: string;
  event: string;
  status: "pending" | "delivered" | "failed" | string;
  /** How many attempts were made. */
  attempts: number;
  /** The last attempt's response code (null: no answer, e.g. a timeout). */
  response_code: number | null;
  error: string | null;
  created_at: string;
  finished_at?: string | null;
  next_attempt_at?: string | null;
  /** Every attempt, oldest first. */
  history?: DeliveryAttempt[];
}

/** GET /api/slipway/approval-links/:token: what a one-time link decides, used or not. */
export interface ApprovalLink {
  repo?: string;
  /** An earlier name of `repo`. */
  repository?: string;
  run_id: number;
  run_attempt?: number;
  environment: string;
  decision: "approve" | "reject";
  workflow?: string | null;
  sha?: string | null;
  ref?: string | null;
  actor?: string | null;
  review_state?: string | null;
  used?: boolean;
  used_by?: string | null;
  requested_at?: string;
  expires_at?: string;
}
