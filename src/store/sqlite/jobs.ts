/** The jobs and steps tables. */
import type { Database } from "better-sqlite3";
import { NotFoundError } from "../../common/errors.ts";
import type { JobPatch, JobRecord, NewJob, StepRecord } from "../store.ts";
import { setClause, type Columns } from "./patch.ts";
import { jobFromRow, stepFromRow, type JobRow, type StepRow } from "./rows.ts";

const PATCHABLE: Columns = {
  name: { column: "name" },
  status: { column: "status" },
  result: { column: "result" },
  reason: { column: "reason" },
  outputs: { column: "outputs", json: true },
  startedAt: { column: "started_at" },
  finishedAt: { column: "finished_at" },
};

export function insertJob(db: Database, job: NewJob): JobRecord {
  const res = db
    .prepare(
      `INSERT INTO jobs (run_id, key, job_id, name, matrix, needs, status, attempt)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
    )
    .run(job.runId, job.key, job.jobId, job.name, job.matrix === null ? null : JSON.stringify(job.matrix),
      JSON.stringify(job.needs), job.attempt ?? 1);
  return mustGetJob(db, Number(res.lastInsertRowid));
}

export function getJob(db: Database, id: number): JobRecord | null {
  const row = db.prepare<[number], JobRow>("SELECT * FROM jobs WHERE id = ?").get(id);
  return row === undefined ? null : jobFromRow(row);
}

export function patchJob(db: Database, id: number, patch: JobPatch): JobRecord {
  const set = setClause(patch, PATCHABLE);
  if (set !== null) db.prepare(`UPDATE jobs SET ${set.sql} WHERE id = ?`).run(...set.params, id);
  return mustGetJob(db, id);
}

export function listJobs(db: Database, runId: number): JobRecord[] {
  return db.prepare<[number], JobRow>("SELECT * FROM jobs WHERE run_id = ? ORDER BY id").all(runId).map(jobFromRow);
}

export function upsertStep(db: Database, s: StepRecord): void {
  db.prepare(
    `INSERT INTO steps (job_id, idx, step_id, name, status, outcome, conclusion, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (job_id, idx) DO UPDATE SET step_id = excluded.step_id, name = excluded.name,
       status = excluded.status, outcome = excluded.outcome, conclusion = excluded.conclusion,
       started_at = COALESCE(excluded.started_at, steps.started_at), finished_at = excluded.finished_at`,
  ).run(s.jobId, s.index, s.stepId, s.name, s.status, s.outcome, s.conclusion, s.startedAt, s.finishedAt);
}

export function listSteps(db: Database, jobId: number): StepRecord[] {
  return db.prepare<[number], StepRow>("SELECT * FROM steps WHERE job_id = ? ORDER BY idx").all(jobId).map(stepFromRow);
}

function mustGetJob(db: Database, id: number): JobRecord {
  const job = getJob(db, id);
  if (job === null) throw new NotFoundError(`job ${id} does not exist`);
  return job;
}
