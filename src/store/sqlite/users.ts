/** Users, teams and repository roles on SQLite. */
import type { Database } from "better-sqlite3";
import { ConflictError } from "../../common/errors.ts";
import type { Role, UserRecord, UserStore } from "../users-store.ts";

interface UserRow { id: number; name: string; site_admin: number; created_at: string }

const RANK = "CASE role WHEN 'admin' THEN 3 WHEN 'maintainer' THEN 2 WHEN 'developer' THEN 1 ELSE 0 END";

export function userFromRow(r: UserRow): UserRecord {
  return { id: r.id, name: r.name, siteAdmin: r.site_admin === 1, createdAt: r.created_at };
}

export class SqliteUsers implements UserStore {
  constructor(private readonly db: Database) {}

  async addUser(name: string, siteAdmin: boolean): Promise<UserRecord> {
    try {
      this.db.prepare("INSERT INTO users (name, site_admin, created_at) VALUES (?, ?, ?)").run(name, siteAdmin ? 1 : 0, new Date().toISOString());
    } catch (e) {
      if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new ConflictError(`user ${name} already exists`);
      throw e;
    }
    return (await this.findUser(name)) as UserRecord;
  }

  async findUser(name: string): Promise<UserRecord | null> {
    const row = this.db.prepare<[string], UserRow>("SELECT * FROM users WHERE name = ?").get(name);
    return row ? userFromRow(row) : null;
  }

  async getUser(id: number): Promise<UserRecord | null> {
    const row = this.db.prepare<[number], UserRow>("SELECT * FROM users WHERE id = ?").get(id);
    return row ? userFromRow(row) : null;
  }

  async roleOf(userId: number, repo: string): Promise<Role | null> {
    const row = this.db.prepare<[string, number, number], { role: Role }>(
      `SELECT role FROM repo_roles WHERE repo = ? AND (
         (principal = 'user' AND principal_id = ?) OR
         (principal = 'team' AND principal_id IN (SELECT team_id FROM team_members WHERE user_id = ?)))
       ORDER BY ${RANK} DESC LIMIT 1`,
    ).get(repo, userId, userId);
    return row?.role ?? null;
  }
}
