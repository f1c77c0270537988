/** Environments, reviews and deployments on SQLite. */
import type { Database } from "better-sqlite3";
import type {
  BranchPolicy, DeploymentFilter, DeploymentRecord, DeploymentStatusRecord, EnvironmentRecord, EnvironmentRules,
  EnvironmentStore, NewDeployment, ReviewRecord, ReviewState, Reviewer,
} from "../environment-store.ts";

interface EnvRow { id: number; repo: string; name: string; wait_timer: number; prevent_self_review: number; reviewers: string; branch_policy: string | null; admin_bypass: number; created_at: string; updated_at: string }
interface ReviewRow { id: number; repo: string; run_id: number; run_attempt: number; environment: string; requested_at: string; state: ReviewState; reviewer: string | null; comment: string | null; bypass: number; decided_at: string | null }
interface DeploymentRow { id: number; repo: string; environment: string; sha: string; ref: string; task: string; workflow: string | null; run_id: number | null; run_attempt: number | null; job: string | null; creator: string; url: string | null; description: string | null; created_at: string; state: DeploymentRecord["state"]; updated_at: string }
interface StatusRow { id: number; deployment_id: number; state: DeploymentRecord["state"]; description: string | null; environment_url: string | null; log_url: string | null; creator: string; created_at: string }

const now = () => new Date().toISOString();

const envFromRow = (r: EnvRow): EnvironmentRecord => ({
  id: r.id, repo: r.repo, name: r.name, waitTimer: r.wait_timer, preventSelfReview: r.prevent_self_review === 1,
  reviewers: JSON.parse(r.reviewers) as Reviewer[], branchPolicy: r.branch_policy === null ? null : (JSON.parse(r.branch_policy) as BranchPolicy),
  adminBypass: r.admin_bypass === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});

const reviewFromRow = (r: ReviewRow): ReviewRecord => ({
  id: r.id, repo: r.repo, runId: r.run_id, runAttempt: r.run_attempt, environment: r.environment, requestedAt: r.requested_at,
  state: r.state, reviewer: r.reviewer, comment: r.comment, bypass: r.bypass === 1, decidedAt: r.decided_at,
});

const deploymentFromRow = (r: DeploymentRow): DeploymentRecord => ({
  id: r.id, repo: r.repo, environment: r.environment, sha: r.sha, ref: r.ref, task: r.task, workflow: r.workflow, runId: r.run_id,
  runAttempt: r.run_attempt, job: r.job, creator: r.creator, url: r.url, description: r.description, createdAt: r.created_at,
  state: r.state, updatedAt: r.updated_at,
});

const statusFromRow = (r: StatusRow): DeploymentStatusRecord => ({
  id: r.id, deploymentId: r.deployment_id, state: r.state, description: r.description, environmentUrl: r.environment_url,
  logUrl: r.log_url, creator: r.creator, createdAt: r.created_at,
});

/** A deployment with its newest status, which is what callers mean by its state. */
const DEPLOYMENT = `SELECT d.*, s.state AS state, s.created_at AS updated_at FROM deployments d
  JOIN deployment_statuses s ON s.id = (SELECT MAX(id) FROM deployment_statuses WHERE deployment_id = d.id)`;

export class SqliteEnvironments implements EnvironmentStore {
  constructor(private readonly db: Database) {}

  async listEnvironments(repo: string): Promise<EnvironmentRecord[]> {
    return this.db.prepare<[string], EnvRow>("SELECT * FROM environments WHERE repo = ? ORDER BY name COLLATE NOCASE").all(repo).map(envFromRow);
  }

  async getEnvironment(repo: string, name: string): Promise<EnvironmentRecord | null> {
    const row = this.db.prepare<[string, string], EnvRow>("SELECT * FROM environments WHERE repo = ? AND name = ?").get(repo, name);
    return row ? envFromRow(row) : null;
  }

  async putEnvironment(repo: string, name: string, rules: EnvironmentRules): Promise<{ env: EnvironmentRecord; created: boolean }> {
    const policy = rules.branchPolicy === null ? null : JSON.stringify(rules.branchPolicy);
    const args = [rules.waitTimer, rules.preventSelfReview ? 1 : 0, JSON.stringify(rules.reviewers), policy, rules.adminBypass ? 1 : 0] as const;
    return this.db.transaction(() => {
      const t = now();
      const changed = this.db.prepare("UPDATE environments SET wait_timer = ?, prevent_self_review = ?, reviewers = ?, branch_policy = ?, admin_bypass = ?, updated_at = ? WHERE repo = ? AND name = ?")
        .run(...args, t, repo, name).changes;
      if (!changed) this.db.prepare("INSERT INTO environments (wait_timer, prevent_self_review, reviewers, branch_policy, admin_bypass, created_at, updated_at, repo, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(...args, t, t, repo, name);
      return { env: envFromRow(this.db.prepare<[string, string], EnvRow>("SELECT * FROM environments WHERE repo = ? AND name = ?").get(repo, name) as EnvRow), created: changed === 0 };
    }).immediate();
  }

  async ensureEnvironment(repo: string, name: string): Promise<EnvironmentRecord> {
    const t = now();
    this.db.prepare("INSERT OR IGNORE INTO environments (repo, name, created_at, updated_at) VALUES (?, ?, ?, ?)").run(repo, name, t, t);
    return envFromRow(this.db.prepare<[string, string], EnvRow>("SELECT * FROM environments WHERE repo = ? AND name = ?").get(repo, name) as EnvRow);
  }

  async deleteEnvironment(repo: string, name: string): Promise<boolean> {
    return this.db.prepare("DELETE FROM environments WHERE repo = ? AND name = ?").run(repo, name).changes > 0;
  }

  async openReview(repo: string, runId: number, runAttempt: number, environment: string): Promise<ReviewRecord> {
    return this.db.transaction(() => {
      const waiting = this.db.prepare<[number, number, string], ReviewRow>("SELECT * FROM env_reviews WHERE run_id = ? AND run_attempt = ? AND environment = ? AND state = 'waiting' ORDER BY id DESC LIMIT 1").get(runId, runAttempt, environment);
      if (waiting) return reviewFromRow(waiting);
      const res = this.db.prepare("INSERT INTO env_reviews (repo, run_id, run_attempt, environment, requested_at, state) VALUES (?, ?, ?, ?, ?, 'waiting')").run(repo, runId, runAttempt, environment, now());
      return reviewFromRow(this.db.prepare<[number], ReviewRow>("SELECT * FROM env_reviews WHERE id = ?").get(Number(res.lastInsertRowid)) as ReviewRow);
    }).immediate();
  }

  async getReview(runId: number, runAttempt: number, environment: string): Promise<ReviewRecord | null> {
    const row = this.db.prepare<[number, number, string], ReviewRow>("SELECT * FROM env_reviews WHERE run_id = ? AND run_attempt = ? AND environment = ? ORDER BY id DESC LIMIT 1").get(runId, runAttempt, environment);
    return row ? reviewFromRow(row) : null;
  }

  async getReviewById(id: number): Promise<ReviewRecord | null> {
    const row = this.db.prepare<[number], ReviewRow>("SELECT * FROM env_reviews WHERE id = ?").get(id);
    return row ? reviewFromRow(row) : null;
  }

  async listReviews(f: { runId?: number; state?: ReviewState; repo?: string }): Promise<ReviewRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.runId !== undefined) (where.push("run_id = ?"), args.push(f.runId));
    if (f.state !== undefined) (where.push("state = ?"), args.push(f.state));
    if (f.repo !== undefined) (where.push("repo = ?"), args.push(f.repo));
    const sql = `SELECT * FROM env_reviews ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
    return this.db.prepare<(string | number)[], ReviewRow>(sql).all(...args).map(reviewFromRow);
  }

  async decideReview(id: number, d: { state: Exclude<ReviewState, "waiting">; reviewer: string | null; comment: string | null; bypass: boolean }): Promise<boolean> {
    return this.db.prepare("UPDATE env_reviews SET state = ?, reviewer = ?, comment = ?, bypass = ?, decided_at = ? WHERE id = ? AND state = 'waiting'")
      .run(d.state, d.reviewer, d.comment, d.bypass ? 1 : 0, now(), id).changes > 0;
  }

  async createDeployment(d: NewDeployment, creator: string): Promise<DeploymentRecord> {
    return this.db.transaction(() => {
      const t = now();
      const res = this.db.prepare("INSERT INTO deployments (repo, environment, sha, ref, task, workflow, run_id, run_attempt, job, creator, url, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(d.repo, d.environment, d.sha, d.ref, d.task, d.workflow, d.runId, d.runAttempt, d.job, d.creator, d.url, d.description, t);
      const id = Number(res.lastInsertRowid);
      this.insertStatus({ deploymentId: id, state: "queued", description: null, environmentUrl: null, logUrl: null, creator }, t);
      return this.deployment(id) as DeploymentRecord;
    }).immediate();
  }

  async getDeployment(id: number): Promise<DeploymentRecord | null> {
    return this.deployment(id);
  }

  async listDeployments(repo: string, f: DeploymentFilter = {}): Promise<DeploymentRecord[]> {
    const where = ["d.repo = ?"];
    const args: (string | number)[] = [repo];
    if (f.environment !== undefined) (where.push("d.environment = ?"), args.push(f.environment));
    if (f.sha !== undefined) (where.push("d.sha = ?"), args.push(f.sha));
    if (f.ref !== undefined) (where.push("d.ref = ?"), args.push(f.ref));
    if (f.runId !== undefined) (where.push("d.run_id = ?"), args.push(f.runId));
    const sql = `${DEPLOYMENT} WHERE ${where.join(" AND ")} ORDER BY d.id DESC LIMIT ? OFFSET ?`;
    return this.db.prepare<(string | number)[], DeploymentRow>(sql).all(...args, f.limit ?? 30, f.offset ?? 0).map(deploymentFromRow);
  }

  async setDeploymentUrl(id: number, url: string): Promise<void> {
    this.db.prepare("UPDATE deployments SET url = ? WHERE id = ? AND url IS NULL").run(url, id);
  }

  async addDeploymentStatus(s: Omit<DeploymentStatusRecord, "id" | "createdAt">): Promise<DeploymentStatusRecord> {
    return this.db.transaction(() => {
      const t = now();
      const rec = this.insertStatus(s, t);
      if (s.state === "success") this.deactivateOlder(s.deploymentId, t);
      return rec;
    }).immediate();
  }

  async listDeploymentStatuses(deploymentId: number): Promise<DeploymentStatusRecord[]> {
    return this.db.prepare<[number], StatusRow>("SELECT * FROM deployment_statuses WHERE deployment_id = ? ORDER BY id").all(deploymentId).map(statusFromRow);
  }

  private deployment(id: number): DeploymentRecord | null {
    const row = this.db.prepare<[number], DeploymentRow>(`${DEPLOYMENT} WHERE d.id = ?`).get(id);
    return row ? deploymentFromRow(row) : null;
  }

  private insertStatus(s: Omit<DeploymentStatusRecord, "id" | "createdAt">, t: string): DeploymentStatusRecord {
    const res = this.db.prepare("INSERT INTO deployment_statuses (deployment_id, state, description, environment_url, log_url, creator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(s.deploymentId, s.state, s.description, s.environmentUrl, s.logUrl, s.creator, t);
    return statusFromRow(this.db.prepare<[number], StatusRow>("SELECT * FROM deployment_statuses WHERE id = ?").get(Number(res.lastInsertRowid)) as StatusRow);
  }

  /** Earlier successful deployments of the same environment become inactive: only the newest is live. */
  private deactivateOlder(deploymentId: number, t: string): void {
    const d = this.deployment(deploymentId);
    if (!d) return;
    const older = this.db.prepare<[string, string, number], { id: number }>(`${DEPLOYMENT} WHERE d.repo = ? AND d.environment = ? AND d.id < ? AND s.state = 'success'`).all(d.repo, d.environment, d.id);
    for (const o of older) this.insertStatus({ deploymentId: o.id, state: "inactive", description: `superseded by deployment ${d.id}`, environmentUrl: null, logUrl: null, creator: "slipway" }, t);
  }
}
