import Database from "better-sqlite3";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { InternalError } from "../../src/common/errors.ts";
import { currentOwner, isOwnerAlive } from "../../src/store/owner.ts";
import { MIGRATIONS, migrate } from "../../src/store/sqlite/migrations.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { INTERRUPTED_REASON } from "../../src/store/store.ts";
import { runStoreContract } from "./contract.ts";
import { runServerStoreContract } from "./server-contract.ts";
import { runEnvironmentStoreContract } from "./environment-contract.ts";
import { newJob, newRun } from "./records.ts";

const CHILD = fileURLToPath(new URL("./child-writer.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "slipway-store-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

runStoreContract("sqlite", async () => {
  const { dir, remove } = await tempDir();
  const path = join(dir, "state.db");
  const store = await openSqliteStore(path);
  return {
    store,
    openAnother: () => openSqliteStore(path),
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
});

runServerStoreContract("sqlite", async () => {
  const { dir, remove } = await tempDir();
  const store = await openSqliteStore(join(dir, "state.db"));
  return { store, cleanup: async () => { await store.close(); await remove(); } };
});

runEnvironmentStoreContract("sqlite", async () => {
  const { dir, remove } = await tempDir();
  const store = await openSqliteStore(join(dir, "state.db"));
  return { store, cleanup: async () => { await store.close(); await remove(); } };
});

/** Spawns child-writer.ts; resolves with its stdout lines once it exits. */
function child(args: string[], onLine?: (line: string, stdin: NodeJS.WritableStream) => void) {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const out: string[] = [];
  let err = "";
  let buf = "";
  proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      out.push(line);
      onLine?.(line, proc.stdin);
    }
  });
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  return new Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; out: string[]; err: string }>(
    (resolve, reject) => {
      proc.on("error", reject);
      proc.on("close", (code, signal) => resolve({ pid: proc.pid ?? -1, code, signal, out, err }));
    },
  );
}

describe("openSqliteStore", () => {
  it("creates missing directories, uses WAL and records every migration once", async () => {
    const { dir, remove } = await tempDir();
    try {
      const path = join(dir, "a", "b", "state.db");
      await (await openSqliteStore(path)).close();
      assert.ok(existsSync(path));
      await (await openSqliteStore(path)).close();
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
        const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
        assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      } finally {
        db.close();
      }
    } finally {
      await remove();
    }
  });

  it("applies only migrations not yet recorded", () => {
    const db = new Database(":memory:");
    try {
      assert.deepEqual(migrate(db), MIGRATIONS.map((m) => m.version));
      assert.deepEqual(migrate(db), []);
      const next = { version: MIGRATIONS.length + 1, name: "extra", sql: "CREATE TABLE extra (x INTEGER)" };
      assert.deepEqual(migrate(db, [...MIGRATIONS, next]), [next.version]);
      assert.equal(db.prepare("SELECT COUNT(*) FROM extra").pluck().get(), 0);
    } finally {
      db.close();
    }
  });

  it("rolls back a migration that fails, recording nothing", () => {
    const db = new Database(":memory:");
    try {
      migrate(db);
      const bad = { version: 99, name: "bad", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM missing_table" };
      assert.throws(() => migrate(db, [...MIGRATIONS, bad]));
      assert.equal(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
      assert.equal(db.prepare("SELECT MAX(version) FROM schema_migrations").pluck().get(), MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it("refuses a database written by a newer Slipway", async () => {
    const { dir, remove } = await tempDir();
    try {
      const path = join(dir, "state.db");
      await (await openSqliteStore(path)).close();
      const db = new Database(path);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')").run();
      db.close();
      await assert.rejects(openSqliteStore(path), InternalError);
    } finally {
      await remove();
    }
  });
});

describe("sqlite store across processes", () => {
  it("keeps what a SIGKILLed process wrote, and recovery closes its run", async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, "state.db");
    const store = await openSqliteStore(path);
    try {
      const mine = await store.createRun(newRun({ repo: "/mine" }), currentOwner());
      const res = await child(["kill", path]);
      assert.equal(res.signal, "SIGKILL", res.err);

      const [run] = await store.listRuns({ repo: "/killed" });
      assert.ok(run, "the run survived");
      assert.equal(run.ownerPid, res.pid);
      assert.equal(run.status, "in_progress");
      const [job] = await store.listJobs(run.id);
      assert.ok(job);
      const logs = await store.readLogs(job.id);
      assert.equal(logs.length, 1000);
      assert.equal(logs[999]?.text, "line 1000");

      assert.deepEqual(await store.recoverInterrupted(isOwnerAlive), [run.id], "only the dead process's run");
      const after = await store.getRun(run.id);
      assert.deepEqual([after?.status, after?.result, after?.reason], ["completed", "cancelled", INTERRUPTED_REASON]);
      assert.equal((await store.getJob(job.id))?.result, "cancelled");
      assert.equal((await store.listSteps(job.id))[0]?.conclusion, "cancelled");
      assert.equal((await store.getRun(mine.id))?.status, "queued", "a live owner's run is left alone");
    } finally {
      await store.close();
      await remove();
    }
  });

  it("gives two processes writing at once unique run numbers and gapless log seqs", async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, "state.db");
    const store = await openSqliteStore(path);
    try {
      const run = await store.createRun(newRun({ repo: "/shared" }), currentOwner());
      const job = await store.createJob(newJob(run.id, "build"));
      const n = 150;
      // Both children wait until both are ready, so their writes overlap.
      let ready = 0;
      const stdins: NodeJS.WritableStream[] = [];
      const onLine = (line: string, stdin: NodeJS.WritableStream) => {
        if (line !== "ready") return;
        stdins.push(stdin);
        if (++ready === 2) for (const s of stdins) s.write("go\n");
      };
      const results = await Promise.all([
        child(["race", path, String(job.id), String(n)], onLine),
        child(["race", path, String(job.id), String(n)], onLine),
      ]);
      for (const r of results) assert.equal(r.code, 0, r.err);
      const numbers = results.flatMap((r) => JSON.parse(r.out[r.out.length - 1] ?? "[]") as number[]);
      assert.deepEqual(numbers.sort((a, b) => a - b), Array.from({ length: 2 * n }, (_, i) => i + 1));

      const logs = await store.readLogs(job.id);
      assert.deepEqual(logs.map((l) => l.seq), Array.from({ length: 4 * n }, (_, i) => i + 1));
      for (const r of results) {
        const own = logs.filter((l) => l.text.startsWith(`${r.pid} `)).map((l) => l.text);
        const expected = Array.from({ length: n }, (_, i) => [`${r.pid} ${i} a`, `${r.pid} ${i} b`]).flat();
        assert.deepEqual(own, expected, "each process's lines in its own order");
      }
    } finally {
      await store.close();
      await remove();
    }
  });
});
