/** Users, teams and repository roles on SQLite. */
import type { Database } from "better-sqlite3";
import { ConflictError } from "../../common/errors.ts";
import type { TokenRecord } from "../server-store.ts";
import type { Principal, Role, RoleGrant, TeamRecord, UserRecord, UserStore } from "../users-store.ts";

interface UserRow { id: number; name: string; site_admin: number; created_at: string }
interface TeamRow { id: number; name: string; created_at: string }
interface GrantRow { repo: string; principal: "user" | "team"; principal_id: number; name: string; role: Role }
interface TokenRow { id: number; name: string; hash: string; scope: TokenRecord["scope"]; repo: string | null; user_id: number | null; created_at: string; revoked_at: string | null }

const RANK = "CASE role WHEN 'admin' THEN 3 WHEN 'maintainer' THEN 2 WHEN 'developer' THEN 1 ELSE 0 END";

/** The grants that reach a user: its own and its teams'. Takes the user's id twice. */
const REACHES_USER = `((principal = 'user' AND principal_id = ?) OR
  (principal = 'team' AND principal_id IN (SELECT team_id FROM team_members WHERE user_id = ?)))`;

export function userFromRow(r: UserRow): UserRecord {
  return { id: r.id, name: r.name, siteAdmin: r.site_admin === 1, createdAt: r.created_at };
}

const teamFromRow = (r: TeamRow): TeamRecord => ({ id: r.id, name: r.name, createdAt: r.created_at });

function uniqueInsert(run: () => void, what: string): void {
  try {
    run();
  } catch (e) {
    if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new ConflictError(`${what} already exists`);
    throw e;
  }
}

export class SqliteUsers implements UserStore {
  constructor(private readonly db: Database) {}

  async addUser(name: string, siteAdmin: boolean): Promise<UserRecord> {
    uniqueInsert(() => this.db.prepare("INSERT INTO users (name, site_admin, created_at) VALUES (?, ?, ?)").run(name, siteAdmin ? 1 : 0, new Date().toISOString()), `user ${name}`);
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

  async listUsers(): Promise<UserRecord[]> {
    return this.db.prepare<[], UserRow>("SELECT * FROM users ORDER BY name").all().map(userFromRow);
  }

  async addTeam(name: string): Promise<TeamRecord> {
    uniqueInsert(() => this.db.prepare("INSERT INTO teams (name, created_at) VALUES (?, ?)").run(name, new Date().toISOString()), `team ${name}`);
    return (await this.findTeam(name)) as TeamRecord;
  }

  async findTeam(name: string): Promise<TeamRecord | null> {
    const row = this.db.prepare<[string], TeamRow>("SELECT * FROM teams WHERE name = ?").get(name);
    return row ? teamFromRow(row) : null;
  }

  async listTeams(): Promise<TeamRecord[]> {
    return this.db.prepare<[], TeamRow>("SELECT * FROM teams ORDER BY name").all().map(teamFromRow);
  }

  async addMember(teamId: number, userId: number): Promise<boolean> {
    return this.db.prepare("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(teamId, userId).changes > 0;
  }

  async removeMember(teamId: number, userId: number): Promise<boolean> {
    return this.db.prepare("DELETE FROM team_members WHERE team_id = ? AND user_id = ?").run(teamId, userId).changes > 0;
  }

  async members(teamId: number): Promise<UserRecord[]> {
    return this.db.prepare<[number], UserRow>("SELECT u.* FROM users u JOIN team_members m ON m.user_id = u.id WHERE m.team_id = ? ORDER BY u.name").all(teamId).map(userFromRow);
  }

  async teamsOf(userId: number): Promise<TeamRecord[]> {
    return this.db.prepare<[number], TeamRow>("SELECT t.* FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ? ORDER BY t.name").all(userId).map(teamFromRow);
  }

  async setRole(repo: string, who: Principal, role: Role): Promise<Role | null> {
    return this.db.transaction(() => {
      const before = this.db.prepare<[string, string, number], Role>("SELECT role FROM repo_roles WHERE repo = ? AND principal = ? AND principal_id = ?").pluck().get(repo, who.type, who.id);
      this.db.prepare(`INSERT INTO repo_roles (repo, principal, principal_id, role) VALUES (?, ?, ?, ?)
        ON CONFLICT (repo, principal, principal_id) DO UPDATE SET role = excluded.role`).run(repo, who.type, who.id, role);
      return before ?? null;
    }).immediate();
  }

  async removeRole(repo: string, who: Principal): Promise<boolean> {
    return this.db.prepare("DELETE FROM repo_roles WHERE repo = ? AND principal = ? AND principal_id = ?").run(repo, who.type, who.id).changes > 0;
  }

  async listRoles(repo: string): Promise<RoleGrant[]> {
    return this.db.prepare<[string], GrantRow>(
      `SELECT r.repo, r.principal, r.principal_id, r.role, COALESCE(u.name, t.name) AS name FROM repo_roles r
         LEFT JOIN users u ON r.principal = 'user' AND u.id = r.principal_id
         LEFT JOIN teams t ON r.principal = 'team' AND t.id = r.principal_id
       WHERE r.repo = ? AND COALESCE(u.name, t.name) IS NOT NULL
       ORDER BY r.principal DESC, name COLLATE NOCASE`,
    ).all(repo).map((g) => ({ repo: g.repo, type: g.principal, id: g.principal_id, name: g.name, role: g.role }));
  }

  async roleOf(userId: number, repo: string): Promise<Role | null> {
    const row = this.db.prepare<[string, number, number], { role: Role }>(
      `SELECT role FROM repo_roles WHERE repo = ? AND ${REACHES_USER} ORDER BY ${RANK} DESC LIMIT 1`,
    ).get(repo, userId, userId);
    return row?.role ?? null;
  }

  async rolesOf(userId: number): Promise<Record<string, Role>> {
    const rows = this.db.prepare<[number, number], { repo: string; role: Role }>(
      `SELECT repo, role FROM repo_roles WHERE ${REACHES_USER} ORDER BY ${RANK}`,
    ).all(userId, userId);
    // Ascending rank: the highest role of each repository is written last.
    const best = new Map<string, Role>();
    for (const r of rows) best.set(r.repo, r.role);
    return Object.fromEntries([...best].sort(([a], [b]) => a.localeCompare(b)));
  }

  async tokensOf(userId: number): Promise<TokenRecord[]> {
    return this.db.prepare<[number], TokenRow>("SELECT * FROM tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id").all(userId)
      .map((r) => ({ id: r.id, name: r.name, hash: r.hash, scope: r.scope, repo: r.repo, userId: r.user_id, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }
}
