/**
 * Schema changes as data, applied in version order and recorded in `schema_migrations`. Never edit a
 * released migration: append a new one, since files in the wild already ran the old ones.
 */
import type { Database } from "better-sqlite3";
import { InternalError } from "../../common/errors.ts";
import { V4_PEOPLE } from "./schema/v4-people.ts";
import { V5_ENVIRONMENTS } from "./schema/v5-environments.ts";
import { V6_PROTECTION } from "./schema/v6-protection.ts";
import { V7_NOTIFICATIONS } from "./schema/v7-notifications.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const STATUS = "'queued', 'waiting', 'in_progress', 'completed'";
const RESULT = "'success', 'failure', 'cancelled', 'skipped'";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs, jobs, steps and logs",
    sql: `
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        repo          TEXT NOT NULL,
        workflow_file TEXT NOT NULL,
        workflow_name TEXT NOT NULL,
        event         TEXT NOT NULL,
        sha           TEXT NOT NULL,
        ref           TEXT NOT NULL,
        actor         TEXT,
        plan          TEXT,
        run_attempt   INTEGER NOT NULL DEFAULT 1,
        run_number    INTEGER NOT NULL,
        status        TEXT NOT NULL CHECK (status IN (${STATUS})),
        result        TEXT CHECK (result IN (${RESULT})),
        reason        TEXT,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        owner_pid     INTEGER,
        owner_host    TEXT,
        UNIQUE (repo, workflow_file, run_number)
      );
      CREATE INDEX runs_by_repo ON runs (repo, id);
      CREATE INDEX runs_unfinished ON runs (status) WHERE status <> 'completed';

      CREATE TABLE jobs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        job_id      TEXT NOT NULL,
        name        TEXT NOT NULL,
        matrix      TEXT,
        needs       TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN (${STATUS})),
        result      TEXT CHECK (result IN (${RESULT})),
        reason      TEXT,
        outputs     TEXT NOT NULL DEFAULT '{}',
        started_at  TEXT,
        finished_at TEXT,
        UNIQUE (run_id, key)
      );
      CREATE INDEX jobs_unfinished ON jobs (run_id) WHERE status <> 'completed';

      CREATE TABLE steps (
        job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx         INTEGER NOT NULL,
        step_id     TEXT NOT NULL,
        name        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN (${STATUS})),
        outcome     TEXT CHECK (outcome IN (${RESULT})),
        conclusion  TEXT CHECK (conclusion IN (${RESULT})),
        started_at  TEXT,
        finished_at TEXT,
        PRIMARY KEY (job_id, idx)
      ) WITHOUT ROWID;
      CREATE INDEX steps_unfinished ON steps (job_id) WHERE status <> 'completed';

      CREATE TABLE logs (
        job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        ts         TEXT NOT NULL,
        step_index INTEGER,
        text       TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: "server: repositories, tokens, secrets, variables, triggers, ticks; run attempts",
    sql: `
      ALTER TABLE jobs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN trigger_id INTEGER;
      CREATE INDEX runs_by_trigger ON runs (trigger_id) WHERE trigger_id IS NOT NULL;

      CREATE TABLE repos (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        full_name      TEXT NOT NULL UNIQUE,
        url            TEXT NOT NULL,
        default_branch TEXT NOT NULL,
        webhook_secret TEXT,
        created_at     TEXT NOT NULL
      );
      CREATE TABLE tokens (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL,
        hash       TEXT NOT NULL UNIQUE,
        scope      TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE secrets (
        scope      TEXT NOT NULL,
        name       TEXT NOT NULL,
        sealed     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, name)
      );
      CREATE TABLE variables (
        scope      TEXT NOT NULL,
        name       TEXT NOT NULL,
        value      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, name)
      );
      CREATE TABLE triggers (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        repo         TEXT NOT NULL,
        event        TEXT NOT NULL,
        delivery_key TEXT UNIQUE,
        data         TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'done')),
        note         TEXT,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX triggers_pending ON triggers (id) WHERE status = 'pending';
      CREATE TABLE ticks (
        key  TEXT PRIMARY KEY,
        tick TEXT NOT NULL
      );
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "tokens bound to one repository",
    sql: "ALTER TABLE tokens ADD COLUMN repo TEXT;",
  },
  V4_PEOPLE,
  V5_ENVIRONMENTS,
  V6_PROTECTION,
  V7_NOTIFICATIONS,
];

/**
 * Applies what is missing, all in one IMMEDIATE transaction so two processes opening a fresh file at
 * once cannot both migrate. Refuses a file written by a newer Slipway rather than misread it.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
      db.prepare<[], number>("SELECT version FROM schema_migrations").pluck().all(),
    );
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new InternalError(
        `${db.name}: database schema version ${newest} is newer than this Slipway knows (${known}); upgrade Slipway`,
      );
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    const done: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      done.push(m.version);
    }
    return done;
  });
  return run.immediate();
}
