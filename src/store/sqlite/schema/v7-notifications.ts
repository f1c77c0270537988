import type { Migration } from "../migrations.ts";

/**
 * Notification channels and rules, the persistent outbox and its delivery log, the last result per
 * workflow and ref (what "fixed" compares with), and one-time approval links (hashed).
 */
export const V7_NOTIFICATIONS: Migration = {
  version: 7,
  name: "notification channels, rules and outbox",
  sql: `
    CREATE TABLE notify_channels (
      id         INTEGER PRIMARY KEY,
      repo       TEXT NOT NULL COLLATE NOCASE,
      name       TEXT NOT NULL COLLATE NOCASE,
      kind       TEXT NOT NULL CHECK (kind IN ('slack', 'webhook')),
      url        TEXT NOT NULL,
      secret     TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (repo, name)
    );
    CREATE TABLE notify_rules (
      repo      TEXT NOT NULL COLLATE NOCASE,
      position  INTEGER NOT NULL,
      channel   TEXT NOT NULL COLLATE NOCASE,
      events    TEXT NOT NULL,
      branches  TEXT,
      workflows TEXT,
      PRIMARY KEY (repo, position)
    );
    CREATE TABLE notify_deliveries (
      id          INTEGER PRIMARY KEY,
      guid        TEXT NOT NULL UNIQUE,
      repo        TEXT NOT NULL COLLATE NOCASE,
      channel     TEXT NOT NULL COLLATE NOCASE,
      source      TEXT NOT NULL CHECK (source IN ('api', 'config')),
      target      TEXT,
      kind        TEXT NOT NULL CHECK (kind IN ('slack', 'webhook')),
      event       TEXT NOT NULL,
      event_key   TEXT NOT NULL,
      body        TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts    INTEGER NOT NULL DEFAULT 0,
      next_at     TEXT NOT NULL,
      last_error  TEXT,
      created_at  TEXT NOT NULL,
      finished_at TEXT,
      UNIQUE (repo, source, channel, event, event_key)
    );
    CREATE INDEX notify_deliveries_due ON notify_deliveries (next_at) WHERE status = 'pending';
    CREATE INDEX notify_deliveries_by_channel ON notify_deliveries (repo, channel, id);
    CREATE TABLE notify_attempts (
      delivery_id INTEGER NOT NULL REFERENCES notify_deliveries(id) ON DELETE CASCADE,
      n           INTEGER NOT NULL,
      at          TEXT NOT NULL,
      status_code INTEGER,
      error       TEXT,
      duration_ms INTEGER NOT NULL,
      PRIMARY KEY (delivery_id, n)
    );
    CREATE TABLE notify_outcomes (
      repo          TEXT NOT NULL COLLATE NOCASE,
      workflow_file TEXT NOT NULL,
      ref           TEXT NOT NULL,
      result        TEXT NOT NULL,
      run_id        INTEGER NOT NULL,
      run_attempt   INTEGER NOT NULL,
      at            TEXT NOT NULL,
      PRIMARY KEY (repo, workflow_file, ref)
    );
    CREATE TABLE approval_links (
      hash        TEXT PRIMARY KEY,
      repo        TEXT NOT NULL COLLATE NOCASE,
      review_id   INTEGER NOT NULL,
      run_id      INTEGER NOT NULL,
      run_attempt INTEGER NOT NULL,
      environment TEXT NOT NULL COLLATE NOCASE,
      decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
      expires_at  TEXT NOT NULL,
      used_at     TEXT,
      used_by     TEXT,
      created_at  TEXT NOT NULL
    );
    CREATE INDEX approval_links_by_review ON approval_links (review_id);
  `,
};
