import type { Migration } from "../migrations.ts";

/**
 * Environments with their protection rules, the reviews a run waits for, and deployments with their
 * status history. Deployments and statuses are only ever inserted (and a deployment's url set once):
 * delivery metrics are computed from them.
 */
export const V5_ENVIRONMENTS: Migration = {
  version: 5,
  name: "environments, reviews and deployments",
  sql: `
    CREATE TABLE environments (
      id                  INTEGER PRIMARY KEY,
      repo                TEXT NOT NULL COLLATE NOCASE,
      name                TEXT NOT NULL COLLATE NOCASE,
      wait_timer          INTEGER NOT NULL DEFAULT 0,
      prevent_self_review INTEGER NOT NULL DEFAULT 0,
      reviewers           TEXT NOT NULL DEFAULT '[]',
      branch_policy       TEXT,
      admin_bypass        INTEGER NOT NULL DEFAULT 1,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      UNIQUE (repo, name)
    );
    CREATE TABLE env_reviews (
      id           INTEGER PRIMARY KEY,
      repo         TEXT NOT NULL COLLATE NOCASE,
      run_id       INTEGER NOT NULL,
      run_attempt  INTEGER NOT NULL,
      environment  TEXT NOT NULL COLLATE NOCASE,
      requested_at TEXT NOT NULL,
      state        TEXT NOT NULL CHECK (state IN ('waiting', 'approved', 'rejected', 'timed_out', 'cancelled')),
      reviewer     TEXT,
      comment      TEXT,
      bypass       INTEGER NOT NULL DEFAULT 0,
      decided_at   TEXT
    );
    CREATE INDEX env_reviews_by_run ON env_reviews (run_id, run_attempt, environment, id);
    CREATE INDEX env_reviews_by_state ON env_reviews (state, run_id);
    CREATE TABLE deployments (
      id          INTEGER PRIMARY KEY,
      repo        TEXT NOT NULL COLLATE NOCASE,
      environment TEXT NOT NULL COLLATE NOCASE,
      sha         TEXT NOT NULL,
      ref         TEXT NOT NULL,
      task        TEXT NOT NULL DEFAULT 'deploy',
      workflow    TEXT,
      run_id      INTEGER,
      run_attempt INTEGER,
      job         TEXT,
      creator     TEXT NOT NULL,
      url         TEXT,
      description TEXT,
      created_at  TEXT NOT NULL
    );
    CREATE INDEX deployments_by_env ON deployments (repo, environment, id);
    CREATE TABLE deployment_statuses (
      id              INTEGER PRIMARY KEY,
      deployment_id   INTEGER NOT NULL REFERENCES deployments(id),
      state           TEXT NOT NULL CHECK (state IN ('queued', 'waiting', 'in_progress', 'success', 'failure', 'error', 'inactive', 'pending')),
      description     TEXT,
      environment_url TEXT,
      log_url         TEXT,
      creator         TEXT NOT NULL,
      created_at      TEXT NOT NULL
    );
    CREATE INDEX deployment_statuses_by_deployment ON deployment_statuses (deployment_id, id);
  `,
};
