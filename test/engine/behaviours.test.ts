/**
 * End-to-end behaviours of `slipway run`, one fixture folder per behaviour under
 * test/fixtures/engine/<behaviour>/: the folder is a repository (its workflows and any other files)
 * plus `case.json`, which says how to run it and what GitHub would report. Cases that Slipway gets
 * wrong today carry a `todo` naming what it does instead, so the gap stays visible without failing
 * the suite.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BIN, ROOT, commitAll, slipway, tmpDir } from "../helpers/cli.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/engine");

interface Case {
  event: string;
  args?: string[];
  exit: 0 | 1 | 2;
  expect?: unknown;
  /** Substrings stderr must contain. */
  stderr?: string[];
  /** Patterns (RegExp source) stderr must match. */
  stderrMatch?: string[];
  /** Further commits after the fixture's own: path → content, or null to delete the file. */
  commits?: Array<{ __branch?: string; __message?: string; [file: string]: string | null | undefined }>;
  /** Branch the repository is on (default main). */
  branch?: string;
  /** What `slipway logs <first run>` must and must not print. */
  logs?: { contains?: string[]; absent?: string[] };
  /** Upper bound on the wall time of `slipway run`. */
  maxSeconds?: number;
  todo?: string;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Async so two cases can run at once; the shared helper's spawnSync would block the other. */
function runCli(args: string[], timeoutMs: number): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/**
 * `expected` is a subset of `actual`: objects are compared key by key for the keys `expected` has;
 * arrays element by element and must be the same length. `{"$match": "re"}` matches a string by
 * pattern, `{"$absent": true}` requires the key to be missing.
 */
function assertSubset(actual: unknown, expected: unknown, where = "$"): void {
  if (isObject(expected) && "$match" in expected) {
    assert.equal(typeof actual, "string", `${where}: expected a string matching /${String(expected.$match)}/, got ${JSON.stringify(actual)}`);
    assert.match(actual as string, new RegExp(String(expected.$match)), `${where}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: expected ${expected.length} elements, got ${actual.length}: ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`));
    return;
  }
  if (isObject(expected)) {
    assert.ok(isObject(actual), `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, e] of Object.entries(expected)) {
      if (isObject(e) && e.$absent === true) {
        assert.ok(!(k in actual), `${where}.${k}: expected no such key, got ${JSON.stringify(actual[k])}`);
        continue;
      }
      assert.ok(k in actual, `${where}.${k}: missing in ${JSON.stringify(actual)}`);
      assertSubset(actual[k], e, `${where}.${k}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A git repository holding the fixture (less case.json), then each extra commit on top. In a commit,
 * `__branch` first switches to a new branch and `__message` is its message.
 */
function makeRepo(dir: string, c: Case): string {
  const repo = tmpDir("slipway-repo-");
  cpSync(dir, repo, { recursive: true, filter: (src) => path.basename(src) !== "case.json" || path.dirname(src) !== dir });
  commitAll(repo, c.branch ?? "main", "fixture");
  let branch = c.branch ?? "main";
  (c.commits ?? []).forEach((files, i) => {
    const { __branch, __message, ...rest } = files;
    if (__branch) {
      execFileSync("git", ["checkout", "-q", "-b", __branch], { cwd: repo, stdio: "pipe" });
      branch = __branch;
    }
    for (const [f, content] of Object.entries(rest)) {
      const file = path.join(repo, f);
      if (content === null || content === undefined) rmSync(file, { force: true });
      else {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
    commitAll(repo, branch, __message ?? `commit ${i + 2}`);
  });
  return repo;
}

async function runCase(name: string): Promise<void> {
  const dir = path.join(FIXTURES, name);
  const c: Case = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
  const repo = makeRepo(dir, c);
  const data = tmpDir("slipway-data-");
  try {
    await check(c, repo, data);
  } finally {
    cleanup(repo, data);
  }
}

async function check(c: Case, repo: string, data: string): Promise<void> {
  // `{repo}` in an argument is the repository's path, e.g. for `-e {repo}/event.json`.
  const extra = (c.args ?? []).map((a) => a.replaceAll("{repo}", repo));
  const r = await runCli(["run", c.event, "-C", repo, "--data-dir", data, "--json", ...extra], 90_000);
  const context = `\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
  assert.equal(r.code, c.exit, `exit ${r.code}, expected ${c.exit}${context}`);
  assert.doesNotMatch(r.stderr, /internal error/, `internal error${context}`);
  if (c.maxSeconds !== undefined) assert.ok(r.ms < c.maxSeconds * 1000, `took ${r.ms} ms, more than ${c.maxSeconds} s${context}`);
  for (const s of c.stderr ?? []) assert.ok(r.stderr.includes(s), `stderr lacks '${s}'${context}`);
  for (const s of c.stderrMatch ?? []) assert.match(r.stderr, new RegExp(s), `stderr does not match /${s}/${context}`);
  if (c.expect !== undefined) {
    const last = r.stdout.trim().split("\n").pop() ?? "";
    let json: unknown;
    try {
      json = JSON.parse(last);
    } catch {
      assert.fail(`stdout's last line is not JSON${context}`);
    }
    try {
      assertSubset(json, c.expect);
    } catch (e) {
      (e as Error).message += `\n--- summary ---\n${JSON.stringify(json)}${context}`;
      throw e;
    }
    if (c.logs) {
      const runId = (json as { runs: Array<{ runId: number }> }).runs[0]?.runId;
      assert.ok(runId !== undefined, "no run to read logs of");
      const logs = slipway(["logs", String(runId), "--data-dir", data]);
      assert.equal(logs.code, 0, logs.stderr);
      for (const s of c.logs.contains ?? []) assert.ok(logs.stdout.includes(s), `logs lack '${s}':\n${logs.stdout.slice(-4000)}`);
      for (const s of c.logs.absent ?? []) assert.ok(!logs.stdout.includes(s), `logs contain '${s}':\n${logs.stdout.slice(-4000)}`);
    }
  }
}

/** Fixtures that need a lock shared by their jobs use /tmp/slipway-lock-*-<repo folder>. */
function cleanup(repo: string, data: string): void {
  const tag = path.basename(repo);
  for (const n of readdirSync(os.tmpdir())) if (n.startsWith("slipway-lock-") && n.endsWith(tag)) rmSync(path.join(os.tmpdir(), n), { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
}

const names = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((n) => existsSync(path.join(FIXTURES, n, "case.json"))).sort() : [];

void describe("slipway run behaviours", { concurrency: 2 }, () => {
  for (const name of names) {
    const { todo } = JSON.parse(readFileSync(path.join(FIXTURES, name, "case.json"), "utf8")) as Case;
    void it(name, todo ? { todo } : {}, () => runCase(name));
  }
});

void it("assertSubset compares only the expected keys, arrays by index and length", () => {
  const actual = { a: 1, b: [{ x: 1, y: 2 }], s: "abc" };
  assertSubset(actual, { b: [{ x: 1 }], s: { $match: "^ab" }, z: { $absent: true } });
  assert.throws(() => assertSubset(actual, { b: [] }), /expected 0 elements/);
  assert.throws(() => assertSubset(actual, { b: [{ x: 2 }] }), /\$\.b\[0\]\.x/);
  assert.throws(() => assertSubset(actual, { c: 1 }), /missing/);
  assert.throws(() => assertSubset(actual, { a: { $absent: true } }), /no such key/);
  assert.throws(() => assertSubset(actual, { s: { $match: "^b" } }));
});
