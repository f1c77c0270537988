/** Notification channels, rules, the outbox and approval links on SQLite. */
import type { Database } from "better-sqlite3";
import { ConflictError, NotFoundError } from "../../common/errors.ts";
import type {
  ApprovalLinkRecord, AttemptRecord, ChannelRecord, DeliveryFilter, DeliveryRecord, DeliveryStatus, NewDelivery,
  NotificationStore, RuleRecord,
} from "../notification-store.ts";

interface ChannelRow { id: number; repo: string; name: string; kind: ChannelRecord["kind"]; url: string; secret: string | null; created_at: string; updated_at: string }
interface RuleRow { channel: string; events: string; branches: string | null; workflows: string | null }
interface DeliveryRow {
  id: number; guid: string; repo: string; channel: string; source: DeliveryRecord["source"]; target: string | null; kind: DeliveryRecord["kind"];
  event: string; event_key: string; body: string; status: DeliveryStatus; attempts: number; next_at: string; last_error: string | null;
  created_at: string; finished_at: string | null;
}
interface AttemptRow { delivery_id: number; n: number; at: string; status_code: number | null; error: string | null; duration_ms: number }
interface LinkRow { hash: string; repo: string; review_id: number; run_id: number; run_attempt: number; environment: string; decision: ApprovalLinkRecord["decision"]; expires_at: string; used_at: string | null; used_by: string | null; created_at: string }

const channelFromRow = (r: ChannelRow): ChannelRecord => ({ id: r.id, repo: r.repo, name: r.name, kind: r.kind, url: r.url, secret: r.secret, createdAt: r.created_at, updatedAt: r.updated_at });

const ruleFromRow = (r: RuleRow): RuleRecord => ({
  channel: r.channel, events: JSON.parse(r.events) as string[],
  branches: r.branches === null ? null : (JSON.parse(r.branches) as string[]), workflows: r.workflows === null ? null : (JSON.parse(r.workflows) as string[]),
});

const deliveryFromRow = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id, guid: r.guid, repo: r.repo, channel: r.channel, source: r.source, target: r.target === null ? null : (JSON.parse(r.target) as Record<string, unknown>),
  kind: r.kind, event: r.event, eventKey: r.event_key, body: r.body, status: r.status, attempts: r.attempts, nextAt: r.next_at,
  lastError: r.last_error, createdAt: r.created_at, finishedAt: r.finished_at,
});

const attemptFromRow = (r: AttemptRow): AttemptRecord => ({ deliveryId: r.delivery_id, n: r.n, at: r.at, statusCode: r.status_code, error: r.error, durationMs: r.duration_ms });

const linkFromRow = (r: LinkRow): ApprovalLinkRecord => ({
  hash: r.hash, repo: r.repo, reviewId: r.review_id, runId: r.run_id, runAttempt: r.run_attempt, environment: r.environment, decision: r.decision,
  expiresAt: r.expires_at, usedAt: r.used_at, usedBy: r.used_by, createdAt: r.created_at,
});

const now = () => new Date().toISOString();

export class SqliteNotifications implements NotificationStore {
  constructor(private readonly db: Database) {}

  async listChannels(repo: string): Promise<ChannelRecord[]> {
    return this.db.prepare<[string], ChannelRow>("SELECT * FROM notify_channels WHERE repo = ? ORDER BY name COLLATE NOCASE").all(repo).map(channelFromRow);
  }

  async getChannel(repo: string, name: string): Promise<ChannelRecord | null> {
    const row = this.db.prepare<[string, string], ChannelRow>("SELECT * FROM notify_channels WHERE repo = ? AND name = ?").get(repo, name);
    return row ? channelFromRow(row) : null;
  }

  async createChannel(c: Omit<ChannelRecord, "id" | "createdAt" | "updatedAt">): Promise<ChannelRecord> {
    const t = now();
    try {
      this.db.prepare("INSERT INTO notify_channels (repo, name, kind, url, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(c.repo, c.name, c.kind, c.url, c.secret, t, t);
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new ConflictError(`channel ${c.name} already exists in ${c.repo}`);
      throw e;
    }
    return (await this.getChannel(c.repo, c.name)) as ChannelRecord;
  }

  async updateChannel(repo: string, name: string, patch: Partial<Pick<ChannelRecord, "kind" | "url" | "secret">>): Promise<ChannelRecord | null> {
    const old = await this.getChannel(repo, name);
    if (!old) return null;
    const next = { ...old, ...patch };
    this.db.prepare("UPDATE notify_channels SET kind = ?, url = ?, secret = ?, updated_at = ? WHERE id = ?").run(next.kind, next.url, next.secret, now(), old.id);
    return this.getChannel(repo, name);
  }

  async deleteChannel(repo: string, name: string): Promise<{ rulesRemoved: number } | null> {
    return this.db.transaction(() => {
      if (this.db.prepare("DELETE FROM notify_channels WHERE repo = ? AND name = ?").run(repo, name).changes === 0) return null;
      const rulesRemoved = this.db.prepare("DELETE FROM notify_rules WHERE repo = ? AND channel = ?").run(repo, name).changes;
      const t = now();
      this.db.prepare("UPDATE notify_deliveries SET status = 'failed', last_error = 'the channel was deleted', finished_at = ? WHERE repo = ? AND channel = ? AND source = 'api' AND status = 'pending'").run(t, repo, name);
      return { rulesRemoved };
    }).immediate();
  }

  async getRules(repo: string): Promise<RuleRecord[]> {
    return this.db.prepare<[string], RuleRow>("SELECT channel, events, branches, workflows FROM notify_rules WHERE repo = ? ORDER BY position").all(repo).map(ruleFromRow);
  }

  async setRules(repo: string, rules: RuleRecord[]): Promise<void> {
    const json = (v: string[] | null) => (v === null ? null : JSON.stringify(v));
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM notify_rules WHERE repo = ?").run(repo);
      const insert = this.db.prepare("INSERT INTO notify_rules (repo, position, channel, events, branches, workflows) VALUES (?, ?, ?, ?, ?, ?)");
      rules.forEach((r, i) => insert.run(repo, i, r.channel, JSON.stringify(r.events), json(r.branches), json(r.workflows)));
    }).immediate();
  }

  async enqueueDelivery(d: NewDelivery, at: string): Promise<{ delivery: DeliveryRecord; created: boolean }> {
    const res = this.db.prepare(
      `INSERT OR IGNORE INTO notify_deliveries (guid, repo, channel, source, target, kind, event, event_key, body, status, next_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ).run(d.guid, d.repo, d.channel, d.source, d.target === null ? null : JSON.stringify(d.target), d.kind, d.event, d.eventKey, d.body, at, at);
    const row = this.db.prepare<[string, string, string, string, string], DeliveryRow>(
      "SELECT * FROM notify_deliveries WHERE repo = ? AND source = ? AND channel = ? AND event = ? AND event_key = ?",
    ).get(d.repo, d.source, d.channel, d.event, d.eventKey) as DeliveryRow;
    return { delivery: deliveryFromRow(row), created: res.changes > 0 };
  }

  async getDelivery(guid: string): Promise<DeliveryRecord | null> {
    const row = this.db.prepare<[string], DeliveryRow>("SELECT * FROM notify_deliveries WHERE guid = ?").get(guid);
    return row ? deliveryFromRow(row) : null;
  }

  async dueDeliveries(at: string, limit: number, perChannel: number): Promise<DeliveryRecord[]> {
    return this.db.prepare<[string, number, number], DeliveryRow>(
      `SELECT * FROM (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY repo, source, channel ORDER BY next_at, id) AS k
         FROM notify_deliveries WHERE status = 'pending' AND next_at <= ?)
       WHERE k <= ? ORDER BY next_at, id LIMIT ?`,
    ).all(at, perChannel, limit).map(deliveryFromRow);
  }

  async nextDueAfter(at: string): Promise<string | null> {
    return this.db.prepare<[string], string | null>("SELECT MIN(next_at) FROM notify_deliveries WHERE status = 'pending' AND next_at > ?").pluck().get(at) ?? null;
  }

  async recordAttempt(a: Omit<AttemptRecord, "n">, outcome: { status: DeliveryStatus; nextAt: string; error: string | null }): Promise<DeliveryRecord> {
    return this.db.transaction(() => {
      const row = this.db.prepare<[number], DeliveryRow>("SELECT * FROM notify_deliveries WHERE id = ?").get(a.deliveryId);
      if (!row) throw new NotFoundError(`delivery ${a.deliveryId} does not exist`);
      // A delivered or abandoned delivery stays so: a late answer to a stale attempt changes nothing.
      if (row.status !== "pending") return deliveryFromRow(row);
      const n = row.attempts + 1;
      this.db.prepare("INSERT INTO notify_attempts (delivery_id, n, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)").run(a.deliveryId, n, a.at, a.statusCode, a.error, Math.round(a.durationMs));
      const finished = outcome.status === "pending" ? null : now();
      this.db.prepare("UPDATE notify_deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?, finished_at = ? WHERE id = ?").run(outcome.status, n, outcome.nextAt, outcome.error, finished, a.deliveryId);
      return deliveryFromRow(this.db.prepare<[number], DeliveryRow>("SELECT * FROM notify_deliveries WHERE id = ?").get(a.deliveryId) as DeliveryRow);
    }).immediate();
  }

  async listDeliveries(f: DeliveryFilter): Promise<{ deliveries: DeliveryRecord[]; total: number }> {
    const where = f.status === undefined ? "repo = ? AND channel = ?" : "repo = ? AND channel = ? AND status = ?";
    const args: string[] = f.status === undefined ? [f.repo, f.channel] : [f.repo, f.channel, f.status];
    const total = this.db.prepare<string[], number>(`SELECT COUNT(*) FROM notify_deliveries WHERE ${where}`).pluck().get(...args) ?? 0;
    const rows = this.db.prepare<(string | number)[], DeliveryRow>(`SELECT * FROM notify_deliveries WHERE ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, f.limit ?? 30, f.offset ?? 0);
    return { deliveries: rows.map(deliveryFromRow), total };
  }

  async listAttempts(deliveryId: number): Promise<AttemptRecord[]> {
    return this.db.prepare<[number], AttemptRow>("SELECT * FROM notify_attempts WHERE delivery_id = ? ORDER BY n").all(deliveryId).map(attemptFromRow);
  }

  async swapOutcome(o: { repo: string; workflowFile: string; ref: string; result: string; runId: number; runAttempt: number }, at: string): Promise<string | null> {
    return this.db.transaction(() => {
      const before = this.db.prepare<[string, string, string], string>("SELECT result FROM notify_outcomes WHERE repo = ? AND workflow_file = ? AND ref = ?").pluck().get(o.repo, o.workflowFile, o.ref);
      this.db.prepare(
        `INSERT INTO notify_outcomes (repo, workflow_file, ref, result, run_id, run_attempt, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo, workflow_file, ref) DO UPDATE SET result = excluded.result, run_id = excluded.run_id, run_attempt = excluded.run_attempt, at = excluded.at`,
      ).run(o.repo, o.workflowFile, o.ref, o.result, o.runId, o.runAttempt, at);
      return before ?? null;
    }).immediate();
  }

  async addApprovalLink(l: Omit<ApprovalLinkRecord, "usedAt" | "usedBy" | "createdAt">, at: string): Promise<void> {
    this.db.prepare("INSERT INTO approval_links (hash, repo, review_id, run_id, run_attempt, environment, decision, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(l.hash, l.repo, l.reviewId, l.runId, l.runAttempt, l.environment, l.decision, l.expiresAt, at);
  }

  async getApprovalLink(hash: string): Promise<ApprovalLinkRecord | null> {
    const row = this.db.prepare<[string], LinkRow>("SELECT * FROM approval_links WHERE hash = ?").get(hash);
    return row ? linkFromRow(row) : null;
  }

  async claimApprovalLink(hash: string, user: string, at: string): Promise<boolean> {
    return this.db.prepare("UPDATE approval_links SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?").run(at, user, hash, at).changes === 1;
  }

  async releaseApprovalLink(hash: string): Promise<void> {
    this.db.prepare("UPDATE approval_links SET used_at = NULL, used_by = NULL WHERE hash = ?").run(hash);
  }

  async retireApprovalLinks(reviewId: number, at: string): Promise<void> {
    this.db.prepare("UPDATE approval_links SET used_at = ? WHERE review_id = ? AND used_at IS NULL").run(at, reviewId);
  }
}
