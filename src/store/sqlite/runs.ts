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
  runAttempt: { column: "run_attempt" },
  ownerPid: { column: "owner_pid" },
  actor: { column: "actor" },
  ownerHost: { column: "owner_host" },
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
           run_number, status, created_at, owner_pid, owner_host, trigger_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
      )
      .run(
        run.repo, run.workflowFile, run.workflowName, run.event, run.sha, run.ref, run.actor ?? null,
        toJson(run.plan), run.runAttempt ?? 1, next ?? 1, new Date().toISOString(), owner.pid, owner.host,
        run.triggerId ?? null,
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

function whereOf(filter: RunFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq("repo", filter.repo);
  eq("workflow_file", filter.workflowFile);
  eq("event", filter.event);
  eq("ref", filter.ref);
  eq("sha", filter.sha);
  eq("actor", filter.actor);
  eq("result", filter.result);
  eq("trigger_id", filter.triggerId);
  if (filter.status !== undefined) {
    const statuses = typeof filter.status === "string" ? [filter.status] : filter.status;
    where.push(`status IN (${statuses.map(() => "?").join(", ") || "NULL"})`);
    params.push(...statuses);
  }
  return { sql: where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "", params };
}

export function listRuns(db: Database, filter: RunFilter = {}): RunRecord[] {
  const w = whereOf(filter);
  // LIMIT -1 is SQLite for "no limit".
  const sql = `SELECT * FROM runs${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`;
  return db.prepare<unknown[], RunRow>(sql).all(...w.params, filter.limit ?? -1, filter.offset ?? 0).map(runFromRow);
}

export function countRuns(db: Database, filter: RunFilter = {}): number {
  const w = whereOf(filter);
  return db.prepare<unknown[], number>(`SELECT COUNT(*) FROM runs${w.sql}`).pluck().get(...w.params) ?? 0;
}

function mustGetRun(db: Database, id: number): RunRecord {
  const run = getRun(db, id);
  if (run === null) throw new NotFoundError(`run ${id} does not exist`);
  return run;
}
