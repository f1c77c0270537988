/** Notification channels, rules and the outbox on SQLite. */
import type { Database } from "better-sqlite3";
import type { NotificationStore } from "../notification-store.ts";

export class SqliteNotifications implements NotificationStore {
  constructor(private readonly db: Database) {
    void this.db;
  }
}
