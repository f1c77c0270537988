/** The server's tables: repositories, tokens, secrets, variables, triggers, ticks and settings. */
import type { Database } from "better-sqlite3";
import { ConflictError } from "../../common/errors.ts";
import type { NamedValue, NewRepo, NewTrigger, RepoRecord, TokenRecord, TriggerRecord } from "../server-store.ts";

interface RepoRow { id: number; full_name: string; url: string; default_branch: string; webhook_secret: string | null; created_at: string }
interface TriggerRow { id: number; repo: string; event: string; delivery_key: string | null; data: string; status: "pending" | "done"; note: string | null; created_at: string }
interface TokenRow { id: number; name: string; hash: string; scope: TokenRecord["scope"]; repo: string | null; user_id: number | null; created_at: string; revoked_at: string | null }

const now = () => new Date().toISOString();

function repoFromRow(r: RepoRow): RepoRecord {
  return { id: r.id, fullName: r.full_name, url: r.url, defaultBranch: r.default_branch, webhookSecret: r.webhook_secret, createdAt: r.created_at };
}

export function addRepo(db: Database, repo: NewRepo): RepoRecord {
  try {
    db.prepare("INSERT INTO repos (full_name, url, default_branch, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(repo.fullName, repo.url, repo.defaultBranch, repo.webhookSecret, now());
  } catch (e) {
    if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new ConflictError(`repository ${repo.fullName} is already registered`);
    throw e;
  }
  return getRepo(db, repo.fullName) as RepoRecord;
}

export function getRepo(db: Database, fullName: string): RepoRecord | null {
  const row = db.prepare<[string], RepoRow>("SELECT * FROM repos WHERE full_name = ? COLLATE NOCASE").get(fullName);
  return row ? repoFromRow(row) : null;
}

export function listRepos(db: Database): RepoRecord[] {
  return db.prepare<[], RepoRow>("SELECT * FROM repos ORDER BY full_name").all().map(repoFromRow);
}

export function addToken(db: Database, t: Pick<TokenRecord, "name" | "hash" | "scope"> & { repo?: string | null; userId?: number | null }): TokenRecord {
  const res = db.prepare("INSERT INTO tokens (name, hash, scope, repo, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(t.name, t.hash, t.scope, t.repo ?? null, t.userId ?? null, now());
  return tokenFromRow(db.prepare<[number], TokenRow>("SELECT * FROM tokens WHERE id = ?").get(Number(res.lastInsertRowid)) as TokenRow);
}

export function findToken(db: Database, hash: string): TokenRecord | null {
  const row = db.prepare<[string], TokenRow>("SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL").get(hash);
  return row ? tokenFromRow(row) : null;
}

export function countTokens(db: Database): number {
  return db.prepare<[], number>("SELECT COUNT(*) FROM tokens").pluck().get() ?? 0;
}

export function listTokens(db: Database): TokenRecord[] {
  return db.prepare<[], TokenRow>("SELECT * FROM tokens WHERE revoked_at IS NULL ORDER BY id").all().map(tokenFromRow);
}

export function revokeToken(db: Database, id: number): void {
  db.prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now(), id);
}

function tokenFromRow(r: TokenRow): TokenRecord {
  return { id: r.id, name: r.name, hash: r.hash, scope: r.scope, repo: r.repo, userId: r.user_id, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** Secrets and variables share one shape: a value per (scope, name). */
export function setNamed(db: Database, table: "secrets" | "variables", scope: string, name: string, value: string): boolean {
  const column = table === "secrets" ? "sealed" : "value";
  const t = now();
  return db.transaction(() => {
    const exists = db.prepare<[string, string], number>(`SELECT 1 FROM ${table} WHERE scope = ? AND name = ?`).pluck().get(scope, name) !== undefined;
    db.prepare(`INSERT INTO ${table} (scope, name, ${column}, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scope, name) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`).run(scope, name, value, t, t);
    return !exists;
  }).immediate();
}

export function listNamed(db: Database, table: "secrets" | "variables", scope: string): NamedValue[] {
  const column = table === "secrets" ? "sealed" : "value";
  return db
    .prepare<[string], { name: string; value: string; created_at: string; updated_at: string }>(`SELECT name, ${column} AS value, created_at, updated_at FROM ${table} WHERE scope = ? ORDER BY name`)
    .all(scope)
    .map((r) => ({ name: r.name, value: r.value, createdAt: r.created_at, updatedAt: r.updated_at }));
}

export function deleteNamed(db: Database, table: "secrets" | "variables", scope: string, name: string): boolean {
  return db.prepare(`DELETE FROM ${table} WHERE scope = ? AND name = ?`).run(scope, name).changes > 0;
}

function triggerFromRow(r: TriggerRow): TriggerRecord {
  return { id: r.id, repo: r.repo, event: r.event, deliveryKey: r.delivery_key, data: JSON.parse(r.data), status: r.status, note: r.note, createdAt: r.created_at };
}

export function enqueueTrigger(db: Database, t: NewTrigger): { trigger: TriggerRecord; duplicate: boolean } {
  return db.transaction(() => {
    if (t.deliveryKey !== null) {
      const seen = db.prepare<[string], TriggerRow>("SELECT * FROM triggers WHERE delivery_key = ?").get(t.deliveryKey);
      if (seen) return { trigger: triggerFromRow(seen), duplicate: true };
    }
    const res = db.prepare("INSERT INTO triggers (repo, event, delivery_key, data, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)")
      .run(t.repo, t.event, t.deliveryKey, JSON.stringify(t.data), now());
    return { trigger: getTrigger(db, Number(res.lastInsertRowid)) as TriggerRecord, duplicate: false };
  }).immediate();
}

export function getTrigger(db: Database, id: number): TriggerRecord | null {
  const row = db.prepare<[number], TriggerRow>("SELECT * FROM triggers WHERE id = ?").get(id);
  return row ? triggerFromRow(row) : null;
}

export function pendingTriggers(db: Database): TriggerRecord[] {
  return db.prepare<[], TriggerRow>("SELECT * FROM triggers WHERE status = 'pending' ORDER BY id").all().map(triggerFromRow);
}

export function finishTrigger(db: Database, id: number, note: string): void {
  db.prepare("UPDATE triggers SET status = 'done', note = ? WHERE id = ?").run(note, id);
}

/** ISO times of one format compare as strings, so "later" is a text comparison inside one statement. */
export function claimTick(db: Database, key: string, tick: string): boolean {
  const res = db.prepare("INSERT INTO ticks (key, tick) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tick = excluded.tick WHERE excluded.tick > ticks.tick").run(key, tick);
  return res.changes > 0;
}

export function lastTick(db: Database, key: string): string | null {
  return db.prepare<[string], string>("SELECT tick FROM ticks WHERE key = ?").pluck().get(key) ?? null;
}

export function getSetting(db: Database, key: string): string | null {
  return db.prepare<[string], string>("SELECT value FROM settings WHERE key = ?").pluck().get(key) ?? null;
}

export function setSetting(db: Database, key: string, value: string): void {
  db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
