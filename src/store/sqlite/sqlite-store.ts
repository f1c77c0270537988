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
import * as srv from "./server-tables.ts";
import { SqliteAudit } from "./audit.ts";
import { SqliteEnvironments } from "./environments.ts";
import { SqliteNotifications } from "./notifications.ts";
import { SqliteProtection } from "./protection.ts";
import { SqliteUsers } from "./users.ts";
import type { NamedValue, NewRepo, NewTrigger, RepoRecord, ServerStore, TokenRecord, TriggerRecord } from "../server-store.ts";

export class SqliteStore implements Store, ServerStore {
  readonly users: SqliteUsers;
  readonly audit: SqliteAudit;
  readonly environments: SqliteEnvironments;
  readonly protection: SqliteProtection;
  readonly notifications: SqliteNotifications;

  constructor(private readonly db: Database) {
    this.users = new SqliteUsers(db);
    this.audit = new SqliteAudit(db);
    this.environments = new SqliteEnvironments(db);
    this.protection = new SqliteProtection(db);
    this.notifications = new SqliteNotifications(db);
  }

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
  async countRuns(filter?: RunFilter): Promise<number> {
    return runs.countRuns(this.db, filter);
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

  async addRepo(repo: NewRepo): Promise<RepoRecord> {
    return srv.addRepo(this.db, repo);
  }
  async getRepo(fullName: string): Promise<RepoRecord | null> {
    return srv.getRepo(this.db, fullName);
  }
  async listRepos(): Promise<RepoRecord[]> {
    return srv.listRepos(this.db);
  }
  async addToken(t: Pick<TokenRecord, "name" | "hash" | "scope"> & { repo?: string | null; userId?: number | null }): Promise<TokenRecord> {
    return srv.addToken(this.db, t);
  }
  async findToken(hash: string): Promise<TokenRecord | null> {
    return srv.findToken(this.db, hash);
  }
  async countTokens(): Promise<number> {
    return srv.countTokens(this.db);
  }
  async revokeToken(id: number): Promise<void> {
    srv.revokeToken(this.db, id);
  }
  async listTokens(): Promise<TokenRecord[]> {
    return srv.listTokens(this.db);
  }
  async setSecret(scope: string, name: string, sealed: string): Promise<boolean> {
    return srv.setNamed(this.db, "secrets", scope, name, sealed);
  }
  async listSecrets(scope: string): Promise<NamedValue[]> {
    return srv.listNamed(this.db, "secrets", scope);
  }
  async deleteSecret(scope: string, name: string): Promise<boolean> {
    return srv.deleteNamed(this.db, "secrets", scope, name);
  }
  async setVariable(scope: string, name: string, value: string): Promise<boolean> {
    return srv.setNamed(this.db, "variables", scope, name, value);
  }
  async listVariables(scope: string): Promise<NamedValue[]> {
    return srv.listNamed(this.db, "variables", scope);
  }
  async deleteVariable(scope: string, name: string): Promise<boolean> {
    return srv.deleteNamed(this.db, "variables", scope, name);
  }
  async enqueueTrigger(t: NewTrigger): Promise<{ trigger: TriggerRecord; duplicate: boolean }> {
    return srv.enqueueTrigger(this.db, t);
  }
  async getTrigger(id: number): Promise<TriggerRecord | null> {
    return srv.getTrigger(this.db, id);
  }
  async pendingTriggers(): Promise<TriggerRecord[]> {
    return srv.pendingTriggers(this.db);
  }
  async finishTrigger(id: number, note: string): Promise<void> {
    srv.finishTrigger(this.db, id, note);
  }
  async claimTick(key: string, tick: string): Promise<boolean> {
    return srv.claimTick(this.db, key, tick);
  }
  async lastTick(key: string): Promise<string | null> {
    return srv.lastTick(this.db, key);
  }
  async getSetting(key: string): Promise<string | null> {
    return srv.getSetting(this.db, key);
  }
  async setSetting(key: string, value: string): Promise<void> {
    srv.setSetting(this.db, key, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
