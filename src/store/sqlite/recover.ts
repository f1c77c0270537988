/** Closing what a dead process left open. */
import type { Database } from "better-sqlite3";
import { INTERRUPTED_REASON, type Owner } from "../store.ts";

interface OwnerRow {
  owner_pid: number;
  owner_host: string | null;
}

// A run's jobs and steps belong to its owner too, so a run already closed but with a job left open
// (killed between the two updates) is found through the job.
const OWNERS_WITH_OPEN_WORK = `
  SELECT DISTINCT owner_pid, owner_host FROM runs
  WHERE owner_pid IS NOT NULL AND (
    status <> 'completed'
    OR id IN (SELECT run_id FROM jobs WHERE status <> 'completed')
    OR id IN (SELECT j.run_id FROM steps s JOIN jobs j ON j.id = s.job_id WHERE s.status <> 'completed'))`;

const OWNED_RUNS = "SELECT id FROM runs WHERE owner_pid = :pid AND owner_host IS :host";

/**
 * Runs inside one IMMEDIATE transaction, so a concurrent recovery in another process neither doubles
 * the work nor reports the same run twice.
 */
export function recoverInterrupted(db: Database, isAlive: (owner: Owner) => boolean): number[] {
  const tx = db.transaction((): number[] => {
    const owners = db.prepare<[], OwnerRow>(OWNERS_WITH_OPEN_WORK).all();
    const closed: number[] = [];
    for (const o of owners) {
      if (isAlive({ pid: o.owner_pid, host: o.owner_host ?? "" })) continue;
      closed.push(...closeOwnedBy(db, { pid: o.owner_pid, host: o.owner_host }));
    }
    return closed.sort((a, b) => a - b);
  });
  return tx.immediate();
}

function closeOwnedBy(db: Database, owner: { pid: number; host: string | null }): number[] {
  const p = { ...owner, now: new Date().toISOString(), reason: INTERRUPTED_REASON };
  const runIds = db
    .prepare<[typeof p], number>(`${OWNED_RUNS} AND status <> 'completed'`)
    .pluck()
    .all(p);
  db.prepare(
    `UPDATE steps SET status = 'completed', outcome = 'cancelled', conclusion = 'cancelled',
       finished_at = COALESCE(finished_at, :now)
     WHERE status <> 'completed' AND job_id IN (SELECT id FROM jobs WHERE run_id IN (${OWNED_RUNS}))`,
  ).run(p);
  db.prepare(
    `UPDATE jobs SET status = 'completed', result = 'cancelled', reason = :reason,
       finished_at = COALESCE(finished_at, :now)
     WHERE status <> 'completed' AND run_id IN (${OWNED_RUNS})`,
  ).run(p);
  db.prepare(
    `UPDATE runs SET status = 'completed', result = 'cancelled', reason = :reason,
       finished_at = COALESCE(finished_at, :now)
     WHERE status <> 'completed' AND id IN (${OWNED_RUNS})`,
  ).run(p);
  return runIds;
}
