/**
 * What every executor must do, whatever runs the processes: one suite, run against each executor.
 * The executor inspects itself (its processes through /proc), so the suite needs nothing but bash
 * and coreutils on the executor.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import type { ExecResult, Executor } from "../../src/run/executors/executor.ts";

export interface Made {
  executor: Executor;
  cleanup(): Promise<void>;
}

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface Run extends ExecResult {
  stdout: string[];
  stderr: string[];
  all: string[];
}

function run(ex: Executor, script: string, opts: { env?: Record<string, string>; cwd?: string; signal?: AbortSignal; onLine?: (l: string) => void } = {}): Promise<Run> {
  const out: Run = { exitCode: -1, aborted: false, stdout: [], stderr: [], all: [] };
  return ex
    .exec({
      argv: ["bash", "-c", script],
      env: { PATH, ...opts.env },
      cwd: opts.cwd ?? ex.paths.workspace,
      signal: opts.signal ?? new AbortController().signal,
      onLine: (line, stream) => {
        out[stream].push(line);
        out.all.push(line);
        opts.onLine?.(line);
      },
    })
    .then((r) => ({ ...out, ...r }));
}

/**
 * Live processes whose command line holds `tag`, read from /proc (zombies have an empty cmdline).
 * The pattern escapes the dots, so grep's own command line does not match it.
 */
async function processesWith(ex: Executor, tag: string): Promise<string[]> {
  const pattern = tag.replaceAll(".", "\\.");
  const r = await run(ex, `grep -a -l -e '${pattern}' /proc/[0-9]*/cmdline 2>/dev/null; true`);
  return r.stdout;
}

async function waitUntil(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function runExecutorContract(name: string, make: () => Promise<Made>): void {
  void describe(`${name} executor contract`, { timeout: 120_000 }, () => {
    let made: Made;
    let ex: Executor;
    before(async () => {
      made = await make();
      ex = made.executor;
      await ex.prepare();
    });
    after(async () => {
      await made?.cleanup();
    });

    void it("reports exit codes as results", async () => {
      assert.equal((await run(ex, "exit 0")).exitCode, 0);
      const r = await run(ex, "echo before; exit 3");
      assert.equal(r.exitCode, 3);
      assert.equal(r.aborted, false);
      assert.deepEqual(r.stdout, ["before"]);
    });

    void it("streams stdout and stderr line by line, in order per stream", async () => {
      const r = await run(ex, 'for i in 1 2 3 4 5; do echo "out $i"; echo "err $i" >&2; done; printf "no newline"');
      assert.deepEqual(r.stdout, ["out 1", "out 2", "out 3", "out 4", "out 5", "no newline"]);
      assert.deepEqual(r.stderr, ["err 1", "err 2", "err 3", "err 4", "err 5"]);
    });

    void it("passes the environment of the request", async () => {
      const r = await run(ex, 'echo "[$SLIPWAY_T1]"; echo "[$SLIPWAY_T2]"', { env: { SLIPWAY_T1: "a b  c", SLIPWAY_T2: "x=y" } });
      assert.deepEqual(r.stdout, ["[a b  c]", "[x=y]"]);
    });

    void it("runs in the requested working directory", async () => {
      assert.deepEqual((await run(ex, "pwd")).stdout, [ex.paths.workspace]);
      assert.equal((await run(ex, "mkdir -p sub/dir")).exitCode, 0);
      assert.deepEqual((await run(ex, "pwd", { cwd: `${ex.paths.workspace}/sub/dir` })).stdout, [`${ex.paths.workspace}/sub/dir`]);
    });

    void it("shares the workspace and temp folders with Slipway", async () => {
      assert.equal((await run(ex, `echo from-the-job > made.txt && echo tmp > "${ex.paths.temp}/t.txt"`)).exitCode, 0);
      assert.equal(await readFile(`${ex.paths.hostWorkspace}/made.txt`, "utf8"), "from-the-job\n");
      assert.equal(await readFile(`${ex.paths.hostTemp}/t.txt`, "utf8"), "tmp\n");
    });

    void it("finds programs on PATH, and not missing ones", async () => {
      assert.match((await ex.which("bash", PATH)) ?? "", /\/bash$/);
      assert.equal(await ex.which("definitely-missing-program-xyz", PATH), null);
    });

    void it("rejects when the program cannot be started", async () => {
      const req = { argv: ["definitely-missing-program-xyz"], env: { PATH }, cwd: ex.paths.workspace, signal: new AbortController().signal, onLine: () => undefined };
      await assert.rejects(ex.exec(req));
    });

    void it("aborting kills the whole process tree", async () => {
      // A unique duration tells this test's sleeps from anything else running.
      const tag = `${1000 + Math.floor(Math.random() * 1000)}.${Date.now() % 1000}`;
      const ctl = new AbortController();
      let markStarted!: () => void;
      const started = new Promise<void>((r) => (markStarted = r));
      const running = run(ex, `sleep ${tag} & (sleep ${tag} &) ; bash -c "sleep ${tag}" & echo started; wait`, {
        signal: ctl.signal,
        onLine: (l) => l === "started" && markStarted(),
      });
      await started;
      // The detector must see the tree first, or its silence afterwards proves nothing.
      await waitUntil("the step's processes to show", 5000, async () => (await processesWith(ex, tag)).length >= 3);
      const t0 = Date.now();
      ctl.abort();
      const r = await running;
      assert.equal(r.aborted, true);
      assert.ok(Date.now() - t0 < 8000, "the aborted exec returned promptly");
      await waitUntil("the step's processes to die", 6000, async () => (await processesWith(ex, tag)).length === 0);
    });

    void it("an already aborted signal runs nothing", async () => {
      const ctl = new AbortController();
      ctl.abort();
      const r = await run(ex, "echo ran > aborted-ran.txt", { signal: ctl.signal });
      assert.equal(r.aborted, true);
      assert.equal(existsSync(`${ex.paths.hostWorkspace}/aborted-ran.txt`), false);
    });

    void it("teardown removes the job's files and may be called twice", async () => {
      await ex.teardown();
      await ex.teardown();
      assert.equal(existsSync(ex.paths.hostRoot), false);
    });

    void it("teardown is safe without prepare", async () => {
      const other = await make();
      try {
        await other.executor.teardown();
        await other.executor.teardown();
      } finally {
        await other.cleanup();
      }
    });
  });
}
