import type { Migration } from "../migrations.ts";

/** Notification channels and rules, the persistent outbox and its delivery log. */
export const V7_NOTIFICATIONS: Migration = {
  version: 7,
  name: "notification channels, rules and outbox",
  sql: "",
};
