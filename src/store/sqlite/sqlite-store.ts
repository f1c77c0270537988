/** The Store on one better-sqlite3 connection. Calls are synchronous underneath; the promises keep the
 * interface the same as for a networked database. */
import type { Database } from "better-sqlite3";
import type {
  JobPatch, JobRecord, LogLine, LogQuery, NewJob, NewLogLine, NewRun, Owner, RunFilter, RunPatch,
  RunRecord, StepRecord, Store,
} from "../store.ts";
import * as jobs from "./jobs.ts";
import * as logs from "./logs.ts";
import { recoverInterrupted } from "./recover.ts";
import * as runs from "./runs.ts";

export class SqliteStore implements Store {
  constructor(private readonly db: Database) {}

  async createRun(run: NewRun, owner: Owner): Promise<RunRecord> {
    return runs.insertRun(this.db, run, owner);
  }
  async updateRun(id: number, patch: RunPatch): Promise<RunRecord> {
    return runs.patchRun(this.db, id, patch);
  }
  async getRun(id: number): Promise<RunRecord | null> {
    return runs.getRun(this.db, id);
  }
  async listRuns(filter?: RunFilter): Promise<RunRecord[]> {
    return runs.listRuns(this.db, filter);
  }

  async createJob(job: NewJob): Promise<JobRecord> {
    return jobs.insertJob(this.db, job);
  }
  async updateJob(id: number, patch: JobPatch): Promise<JobRecord> {
    return jobs.patchJob(this.db, id, patch);
  }
  async getJob(id: number): Promise<JobRecord | null> {
    return jobs.getJob(this.db, id);
  }
  async listJobs(runId: number): Promise<JobRecord[]> {
    return jobs.listJobs(this.db, runId);
  }

  async upsertSteps(steps: readonly StepRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const s of steps) jobs.upsertStep(this.db, s);
    }).immediate();
  }

  async upsertStep(step: StepRecord): Promise<void> {
    jobs.upsertStep(this.db, step);
  }
  async listSteps(jobId: number): Promise<StepRecord[]> {
    return jobs.listSteps(this.db, jobId);
  }

  async appendLogs(lines: readonly NewLogLine[]): Promise<LogLine[]> {
    return logs.appendLogs(this.db, lines);
  }
  async readLogs(jobId: number, query?: LogQuery): Promise<LogLine[]> {
    return logs.readLogs(this.db, jobId, query);
  }

  async recoverInterrupted(isAlive: (owner: Owner) => boolean): Promise<number[]> {
    return recoverInterrupted(this.db, isAlive);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
