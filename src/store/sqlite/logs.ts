/** The logs table: append-only lines, numbered per job. */
import type { Database } from "better-sqlite3";
import type { LogLine, LogQuery, NewLogLine } from "../store.ts";
import { logFromRow, type LogRow } from "./rows.ts";

/**
 * One IMMEDIATE transaction per batch: the write lock is held from reading each job's last seq to the
 * commit, so two writers on one job still get distinct, gapless numbers, and a batch of any size costs
 * one fsync-free commit (WAL + synchronous=NORMAL).
 */
export function appendLogs(db: Database, lines: readonly NewLogLine[]): LogLine[] {
  if (lines.length === 0) return [];
  const lastSeq = db.prepare<[number], number>("SELECT COALESCE(MAX(seq), 0) FROM logs WHERE job_id = ?").pluck();
  const insert = db.prepare("INSERT INTO logs (job_id, seq, ts, step_index, text) VALUES (?, ?, ?, ?, ?)");
  const tx = db.transaction((): LogLine[] => {
    const next = new Map<number, number>();
    return lines.map((l) => {
      const seq = (next.get(l.jobId) ?? lastSeq.get(l.jobId) ?? 0) + 1;
      next.set(l.jobId, seq);
      insert.run(l.jobId, seq, l.ts, l.stepIndex, l.text);
      return { jobId: l.jobId, seq, ts: l.ts, text: l.text, stepIndex: l.stepIndex };
    });
  });
  return tx.immediate();
}

export function readLogs(db: Database, jobId: number, query: LogQuery = {}): LogLine[] {
  // LIMIT -1 is SQLite for "no limit", which keeps one statement for both cases.
  return db
    .prepare<[number, number, number], LogRow>(
      "SELECT * FROM logs WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    )
    .all(jobId, query.afterSeq ?? 0, query.limit ?? -1)
    .map(logFromRow);
}
