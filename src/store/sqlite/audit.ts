/** The append-only audit log on SQLite. */
import type { Database } from "better-sqlite3";
import type { AuditEntry, AuditFilter, AuditStore } from "../audit-store.ts";

interface AuditRow { id: number; at: string; actor: string; action: string; repo: string | null; target: string | null; details: string }

const fromRow = (r: AuditRow): AuditEntry => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, repo: r.repo, target: r.target, details: JSON.parse(r.details) as Record<string, unknown> });

export class SqliteAudit implements AuditStore {
  constructor(private readonly db: Database) {}

  async record(e: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry> {
    const res = this.db.prepare("INSERT INTO audit (at, actor, action, repo, target, details) VALUES (?, ?, ?, ?, ?, ?)")
      .run(new Date().toISOString(), e.actor, e.action, e.repo, e.target, JSON.stringify(e.details));
    return fromRow(this.db.prepare<[number], AuditRow>("SELECT * FROM audit WHERE id = ?").get(Number(res.lastInsertRowid)) as AuditRow);
  }

  async list(f: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.repo !== undefined) (where.push("repo = ?"), args.push(f.repo));
    if (f.actor !== undefined) (where.push("actor = ? COLLATE NOCASE"), args.push(f.actor));
    if (f.action !== undefined) (where.push("(action = ? OR action LIKE ? ESCAPE '\\')"), args.push(f.action, `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`));
    if (f.since !== undefined) (where.push("at >= ?"), args.push(f.since));
    if (f.until !== undefined) (where.push("at < ?"), args.push(f.until));
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ? OFFSET ?`;
    return this.db.prepare<(string | number)[], AuditRow>(sql).all(...args, f.limit ?? 100, f.offset ?? 0).map(fromRow);
  }
}
