/** Opening (and creating) the SQLite file behind a SqliteStore. */
import type Database from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Store } from "../store.ts";
import type { ServerStore } from "../server-store.ts";
import { migrate } from "./migrations.ts";
import { SqliteStore } from "./sqlite-store.ts";

/** How long a writer waits for another process's transaction before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * WAL lets readers (e.g. `slipway logs -f`) work while a run writes, and with synchronous=NORMAL a
 * commit is in the WAL file before the call returns: it survives the process being killed (not a power
 * loss, which would cost at most the last commits, never consistency).
 */
export async function openSqliteStore(path: string): Promise<Store & ServerStore> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const { Sqlite, nativeBinding } = loadDriver();
  const db = new Sqlite(path, { timeout: BUSY_TIMEOUT_MS, nativeBinding });
  cacheStatements(db);
  try {
    // The busy timeout first: switching to WAL needs a lock another opener may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db);
}

/**
 * The driver, loaded on first use rather than at start-up, with `require`: the bundle is a script
 * (bin/slipway.js), and Node's ES module loader would first scan the package's source for its exports.
 * Its compiled addon is named at its usual place in the package, which spares the `bindings` helper
 * its search of a dozen folders; where the addon is not there, `bindings` searches as it always did.
 */
function loadDriver(): { Sqlite: typeof Database; nativeBinding: string | undefined } {
  const requireHere = createRequire(import.meta.url);
  const Sqlite = requireHere("better-sqlite3") as typeof Database;
  const addon = join(dirname(requireHere.resolve("better-sqlite3/package.json")), "build", "Release", "better_sqlite3.node");
  return { Sqlite, nativeBinding: existsSync(addon) ? addon : undefined };
}

/**
 * Every query text is prepared once per connection: a run records a step twice and a log batch every
 * few milliseconds, and re-preparing the same SQL each time was a measurable share of a run's CPU.
 */
function cacheStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
}
