/** The runs table. */
import type { Database } from "better-sqlite3";
import { NotFoundError } from "../../common/errors.ts";
import type { NewRun, Owner, RunFilter, RunPatch, RunRecord } from "../store.ts";
import { setClause, type Columns } from "./patch.ts";
import { runFromRow, toJson, type RunRow } from "./rows.ts";

const PATCHABLE: Columns = {
  status: { column: "status" },
  result: { column: "result" },
  reason: { column: "reason" },
  startedAt: { column: "started_at" },
  finishedAt: { column: "finished_at" },
  plan: { column: "plan", json: true },
};

/**
 * The run number is read and used under one IMMEDIATE transaction: it takes the write lock before the
 * read, so two processes creating runs at once cannot both see the same maximum.
 */
export function insertRun(db: Database, run: NewRun, owner: Owner): RunRecord {
  const tx = db.transaction((): number => {
    const next = db
      .prepare<[string, string], number>(
        "SELECT COALESCE(MAX(run_number), 0) + 1 FROM runs WHERE repo = ? AND workflow_file = ?",
      )
      .pluck()
      .get(run.repo, run.workflowFile);
    const res = db
      .prepare(
        `INSERT INTO runs (repo, workflow_file, workflow_name, event, sha, ref, actor, plan, run_attempt,
           run_number, status, created_at, owner_pid, owner_host)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        run.repo, run.workflowFile, run.workflowName, run.event, run.sha, run.ref, run.actor ?? null,
        toJson(run.plan), run.runAttempt ?? 1, next ?? 1, new Date().toISOString(), owner.pid, owner.host,
      );
    return Number(res.lastInsertRowid);
  });
  return mustGetRun(db, tx.immediate());
}

export function getRun(db: Database, id: number): RunRecord | null {
  const row = db.prepare<[number], RunRow>("SELECT * FROM runs WHERE id = ?").get(id);
  return row === undefined ? null : runFromRow(row);
}

export function patchRun(db: Database, id: number, patch: RunPatch): RunRecord {
  const set = setClause(patch, PATCHABLE);
  if (set !== null) db.prepare(`UPDATE runs SET ${set.sql} WHERE id = ?`).run(...set.params, id);
  return mustGetRun(db, id);
}

export function listRuns(db: Database, filter: RunFilter = {}): RunRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq("repo", filter.repo);
  eq("workflow_file", filter.workflowFile);
  eq("event", filter.event);
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === "string" ? [filter.status] : filter.status;
    where.push(`status IN (${statuses.map(() => "?").join(", ") || "NULL"})`);
    params.push(...statuses);
  }
  let sql = "SELECT * FROM runs";
  if (where.length > 0) sql += ` WHERE ${where.join(" AND ")}`;
  sql += " ORDER BY id DESC";
  if (filter.limit !== undefined) {
    sql += " LIMIT ?";
    params.push(filter.limit);
  }
  return db.prepare<unknown[], RunRow>(sql).all(...params).map(runFromRow);
}

function mustGetRun(db: Database, id: number): RunRecord {
  const run = getRun(db, id);
  if (run === null) throw new NotFoundError(`run ${id} does not exist`);
  return run;
}
