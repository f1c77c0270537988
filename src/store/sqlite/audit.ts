/** The append-only audit log on SQLite. */
import type { Database } from "better-sqlite3";
import type { AuditEntry, AuditFilter, AuditStore } from "../audit-store.ts";

interface AuditRow { id: number; at: string; actor: string; action: string; repo: string | null; target: string | null; details: string }

const fromRow = (r: AuditRow): AuditEntry => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, repo: r.repo, target: r.target, details: JSON.parse(r.details) as Record<string, unknown> });

function whereOf(f: AuditFilter): { sql: string; args: string[] } {
  const where: string[] = [];
  const args: string[] = [];
  if (f.repo !== undefined) (where.push("repo = ?"), args.push(f.repo));
  if (f.actor !== undefined) (where.push("actor = ? COLLATE NOCASE"), args.push(f.actor));
  if (f.action !== undefined) (where.push("(action = ? OR action LIKE ? ESCAPE '\\')"), args.push(f.action, `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`));
  if (f.since !== undefined) (where.push("at >= ?"), args.push(f.since));
  if (f.until !== undefined) (where.push("at < ?"), args.push(f.until));
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", args };
}

export class SqliteAudit implements AuditStore {
  constructor(private readonly db: Database) {}

  async record(e: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry> {
    const res = this.db.prepare("INSERT INTO audit (at, actor, action, repo, target, details) VALUES (?, ?, ?, ?, ?, ?)")
      .run(new Date().toISOString(), e.actor, e.action, e.repo, e.target, JSON.stringify(e.details));
    return fromRow(this.db.prepare<[number], AuditRow>("SELECT * FROM audit WHERE id = ?").get(Number(res.lastInsertRowid)) as AuditRow);
  }

  async list(f: AuditFilter = {}): Promise<AuditEntry[]> {
    const w = whereOf(f);
    return this.db.prepare<(string | number)[], AuditRow>(`SELECT * FROM audit ${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...w.args, f.limit ?? 100, f.offset ?? 0).map(fromRow);
  }

  async count(f: AuditFilter = {}): Promise<number> {
    const w = whereOf(f);
    return this.db.prepare<string[], number>(`SELECT COUNT(*) FROM audit ${w.sql}`).pluck().get(...w.args) ?? 0;
  }
}
