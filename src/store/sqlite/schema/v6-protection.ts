import type { Migration } from "../migrations.ts";

/**
 * Branch protection rules (required checks), what the trigger queue decided for each commit, and indexes
 * to find a pull request's stored triggers by number and by head commit.
 */
export const V6_PROTECTION: Migration = {
  version: 6,
  name: "branch protection and filtered workflows",
  sql: `
    CREATE TABLE protection_rules (
      id                   INTEGER PRIMARY KEY,
      repo                 TEXT NOT NULL COLLATE NOCASE,
      pattern              TEXT NOT NULL,
      requires_checks      INTEGER NOT NULL DEFAULT 1,
      strict               INTEGER NOT NULL DEFAULT 0,
      checks               TEXT NOT NULL DEFAULT '[]',
      filtered_checks_pass INTEGER NOT NULL DEFAULT 1,
      created_at           TEXT NOT NULL,
      updated_at           TEXT NOT NULL,
      UNIQUE (repo, pattern)
    );
    CREATE TABLE filtered_workflows (
      repo        TEXT NOT NULL COLLATE NOCASE,
      sha         TEXT NOT NULL,
      event       TEXT NOT NULL,
      branch      TEXT NOT NULL,
      workflow    TEXT NOT NULL,
      reason      TEXT NOT NULL,
      jobs        TEXT NOT NULL,
      trigger_id  INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (repo, sha, event, branch, workflow)
    );
    CREATE INDEX triggers_pull_request_heads ON triggers (repo, json_extract(data, '$.sha')) WHERE event = 'pull_request';
    CREATE INDEX triggers_pull_request_numbers ON triggers (repo, json_extract(data, '$.payload.number')) WHERE event = 'pull_request';
  `,
};
