import type { Migration } from "../migrations.ts";

/**
 * Users, teams, per-repository roles and the audit log. Tokens made before users existed belong to the
 * `admin` user, so an upgraded server keeps its admin.
 */
export const V4_PEOPLE: Migration = {
  version: 4,
  name: "users, teams, roles and the audit log",
  sql: `
    CREATE TABLE users (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      site_admin INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    );
    CREATE TABLE teams (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE team_members (
      team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, user_id)
    );
    CREATE INDEX team_members_by_user ON team_members (user_id);
    CREATE TABLE repo_roles (
      repo         TEXT NOT NULL COLLATE NOCASE,
      principal    TEXT NOT NULL CHECK (principal IN ('user', 'team')),
      principal_id INTEGER NOT NULL,
      role         TEXT NOT NULL CHECK (role IN ('viewer', 'developer', 'maintainer', 'admin')),
      PRIMARY KEY (repo, principal, principal_id)
    );
    ALTER TABLE tokens ADD COLUMN user_id INTEGER REFERENCES users(id);
    CREATE INDEX tokens_by_user ON tokens (user_id);
    INSERT INTO users (name, site_admin, created_at)
      SELECT 'admin', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE EXISTS (SELECT 1 FROM tokens WHERE repo IS NULL);
    UPDATE tokens SET user_id = (SELECT id FROM users WHERE name = 'admin') WHERE repo IS NULL;
    CREATE TABLE audit (
      id      INTEGER PRIMARY KEY,
      at      TEXT NOT NULL,
      actor   TEXT NOT NULL,
      action  TEXT NOT NULL,
      repo    TEXT COLLATE NOCASE,
      target  TEXT,
      details TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_by_repo ON audit (repo, id);
  `,
};
