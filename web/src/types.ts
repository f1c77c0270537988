// Shapes of the answers in docs/design/dashboard-api.md, limited to the fields the dashboard reads.

export type Status = "queued" | "waiting" | "in_progress" | "completed" | "requested" | "pending";
export type Conclusion = "success" | "failure" | "cancelled" | "skipped" | "timed_out" | "neutral" | "action_required" | "stale" | "startup_failure";

export interface Repo {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  clone_url: string;
  default_branch: string;
  html_url: string;
}

export interface Run {
  id: number;
  name: string | null;
  display_title: string;
  path: string;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: Status | null;
  conclusion: Conclusion | null;
  run_number: number;
  run_attempt?: number;
  created_at: string;
  run_started_at?: string;
  updated_at: string;
  repository: { full_name: string };
  actor?: { login: string } | null;
}

export interface Step {
  number: number;
  name: string;
  status: Status;
  conclusion: Conclusion | null;
  started_at?: string | null;
  completed_at?: string | null;
}

export interface Job {
  id: number;
  run_id: number;
  name: string;
  status: Status;
  conclusion: Conclusion | null;
  started_at: string | null;
  completed_at: string | null;
  labels: string[];
  steps?: Step[];
}

export interface GraphInstance {
  job_id: number | null;
  name: string;
  matrix: Record<string, unknown> | null;
  status: Status;
  conclusion: Conclusion | null;
}

export interface GraphNode {
  id: string;
  name: string;
  needs: string[];
  instances: GraphInstance[];
}

export interface LogLine {
  seq: number;
  ts: string;
  text: string;
  step: number | null;
}

export interface Artifact {
  id: number;
  name: string;
  size_in_bytes: number;
  archive_download_url: string;
}

export interface DispatchInput {
  type?: string;
  description?: string;
  required?: boolean;
  default?: unknown;
  options?: unknown[];
}

export interface Workflow {
  id: number;
  name: string;
  path: string;
  dispatch: null | { inputs: Record<string, DispatchInput> };
}

export interface Secret {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface Variable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface WhoAmI {
  name: string;
  scope: "read" | "write" | "admin";
  siteAdmin?: boolean;
  /** Role per OWNER/NAME; absent on servers without per-repository roles (then nothing is hidden). */
  roles?: Record<string, "viewer" | "developer" | "maintainer" | "admin">;
}
