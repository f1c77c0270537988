/** Row shapes as SQLite returns them, and their conversion to the store's records. */
import type { JobRecord, LogLine, Result, RunRecord, Status, StepRecord } from "../store.ts";

export interface RunRow {
  id: number;
  repo: string;
  workflow_file: string;
  workflow_name: string;
  event: string;
  sha: string;
  ref: string;
  actor: string | null;
  plan: string | null;
  run_attempt: number;
  run_number: number;
  status: Status;
  result: Result | null;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  trigger_id: number | null;
}

export interface JobRow {
  id: number;
  run_id: number;
  key: string;
  job_id: string;
  name: string;
  matrix: string | null;
  needs: string;
  status: Status;
  result: Result | null;
  reason: string | null;
  outputs: string;
  started_at: string | null;
  finished_at: string | null;
  attempt: number;
}

export interface StepRow {
  job_id: number;
  idx: number;
  step_id: string;
  name: string;
  status: Status;
  outcome: Result | null;
  conclusion: Result | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface LogRow {
  job_id: number;
  seq: number;
  ts: string;
  step_index: number | null;
  text: string;
}

/** SQL NULL stands for "absent", so a plan of JSON `null` survives as the text 'null'. */
export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function runFromRow(r: RunRow): RunRecord {
  const run: RunRecord = {
    id: r.id,
    repo: r.repo,
    workflowFile: r.workflow_file,
    workflowName: r.workflow_name,
    event: r.event,
    sha: r.sha,
    ref: r.ref,
    runAttempt: r.run_attempt,
    runNumber: r.run_number,
    status: r.status,
    result: r.result,
    reason: r.reason,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ownerPid: r.owner_pid,
    ownerHost: r.owner_host,
  };
  // Optional fields stay absent rather than undefined, as they were given.
  if (r.actor !== null) run.actor = r.actor;
  if (r.plan !== null) run.plan = JSON.parse(r.plan);
  if (r.trigger_id !== null) run.triggerId = r.trigger_id;
  return run;
}

export function jobFromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    runId: r.run_id,
    key: r.key,
    jobId: r.job_id,
    name: r.name,
    matrix: r.matrix === null ? null : JSON.parse(r.matrix),
    needs: JSON.parse(r.needs),
    attempt: r.attempt,
    status: r.status,
    result: r.result,
    reason: r.reason,
    outputs: JSON.parse(r.outputs),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function stepFromRow(r: StepRow): StepRecord {
  return {
    jobId: r.job_id,
    index: r.idx,
    stepId: r.step_id,
    name: r.name,
    status: r.status,
    outcome: r.outcome,
    conclusion: r.conclusion,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function logFromRow(r: LogRow): LogLine {
  return { jobId: r.job_id, seq: r.seq, ts: r.ts, text: r.text, stepIndex: r.step_index };
}
