/**
 * Every workflow in the seed design documents (../shared/seeds/*.txt), extracted verbatim into
 * test/fixtures/seeds by scripts/extract-seeds.ts, must be accepted unchanged: `slipway lint` finds no
 * errors, `slipway list` plans it for each event in its `on:`, and the jobs this machine can run
 * (no Docker, network or real secrets) succeed under `slipway run`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { parse } from "yaml";
import { extractSeed, seedsDir, type SeedWorkflow } from "../../scripts/extract-seeds.ts";
import { BIN, ROOT, commitAll, tmpDir } from "../helpers/cli.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/seeds");
const index: SeedWorkflow[] = JSON.parse(readFileSync(path.join(FIXTURES, "index.json"), "utf8"));
const SEEDS = seedsDir();

/**
 * Seed workflows Slipway does not accept yet, by `<fixture file> lint` or `<fixture file> list <event>`:
 * the test still runs and reports, but as a todo so the suite stays green until src/ is fixed.
 */
const KNOWN: Record<string, string> = {};

interface Workflow {
  on: unknown;
  jobs: Record<string, { needs?: string | string[] }>;
}

const workflows = new Map<string, Workflow>(
  index.map((w) => {
    const doc = parse(readFileSync(path.join(FIXTURES, w.file), "utf8"));
    return [w.file, { on: doc.on ?? doc[true as never], jobs: doc.jobs }];
  }),
);

/** Where each fixture lives in its seed's repository. */
const repoPath = (w: SeedWorkflow) => `.github/workflows/${path.basename(w.file)}`;

// ---------------------------------------------------------------------------------------------
// The fixtures are the seed documents' blocks, byte for byte.

void describe("seed fixtures match the seed documents", { skip: SEEDS ? false : "../shared/seeds is not beside this checkout" }, () => {
  const docs = SEEDS ? readdirSync(SEEDS).filter((f) => f.endsWith(".txt")).sort() : [];

  void test("every seed document was read and together they hold workflows", () => {
    assert.ok(docs.length >= 4, `only ${docs.length} seed documents in ${SEEDS}`);
    assert.ok(index.length >= 10, `only ${index.length} workflows extracted`);
  });

  for (const doc of docs) {
    const seed = doc.replace(/\.txt$/, "");
    void test(`${seed}: re-extraction gives the committed fixtures`, () => {
      const fresh = extractSeed(seed, readFileSync(path.join(SEEDS as string, doc)));
      assert.deepEqual(
        fresh.map(({ bytes: _, ...meta }) => meta),
        index.filter((w) => w.seed === seed),
        "index.json is stale: run node --import tsx scripts/extract-seeds.ts",
      );
      for (const w of fresh) assert.ok(w.bytes.equals(readFileSync(path.join(FIXTURES, w.file))), `${w.file} differs from the block at ${doc}:${w.sourceLine}`);
    });
  }

  // Independent of the extractor's parsing: the fixture sits between a yaml fence and a closing fence at sourceLine.
  for (const w of index) {
    void test(`${w.file} is the fenced block at ${w.seed}.txt:${w.sourceLine}`, () => {
      const lines = readFileSync(path.join(SEEDS as string, `${w.seed}.txt`)).toString("latin1").split("\n");
      const fixture = readFileSync(path.join(FIXTURES, w.file)).toString("latin1");
      const count = fixture.split("\n").length - 1;
      assert.match(lines[w.sourceLine - 2] ?? "", /^\s*(```|~~~)\s*ya?ml\s*$/, "no ```yaml fence above the block");
      assert.match(lines[w.sourceLine - 1 + count] ?? "", /^\s*(```|~~~)\s*$/, "no closing fence right after the block");
      const block = lines.slice(w.sourceLine - 1, w.sourceLine - 1 + count).map((l) => `${l}\n`).join("");
      assert.equal(fixture, block);
    });
  }

  void test("no fixture file is missing from index.json", () => {
    const onDisk = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(FIXTURES, d.name)).map((f) => `${d.name}/${f}`))
      .sort();
    assert.deepEqual(onDisk, index.map((w) => w.file).sort());
  });
});

// ---------------------------------------------------------------------------------------------
// One repository per seed: its workflows, plus the files their triggers and run steps expect.

const temps: string[] = [];
after(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

/** npm scripts the runnable jobs call; each prints a marker so the test sees it really ran. */
const SCRIPTS = ["typecheck", "type-check", "lint"];
const PACKAGE = `${JSON.stringify({ name: "seed-app", version: "1.0.0", private: true, scripts: Object.fromEntries(SCRIPTS.map((s) => [s, `node -e "console.log('seed-script ${s} ran')"`])) }, null, 2)}\n`;
// A lock file with no dependencies lets `npm ci` succeed offline.
const LOCK = `${JSON.stringify({ name: "seed-app", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "seed-app", version: "1.0.0" } } }, null, 2)}\n`;
const SUPPORT: Record<string, string> = {
  "package.json": PACKAGE,
  "package-lock.json": LOCK,
  "frontend/package.json": PACKAGE,
  "frontend/package-lock.json": LOCK,
  // Paths filters (supabase/**, migrations/**): the synthesized event's changed files are the commit's files.
  "supabase/functions/hello/index.ts": "export {};\n",
  "migrations/001_init.sql": "select 1;\n",
};

const repos = new Map<string, string>();
for (const seed of new Set(index.map((w) => w.seed))) {
  const files: Record<string, string> = { ...SUPPORT };
  for (const w of index.filter((x) => x.seed === seed)) files[repoPath(w)] = readFileSync(path.join(FIXTURES, w.file), "latin1");
  const dir = tmpDir("seed-repo-");
  // latin1 both ways keeps the fixtures' exact bytes whatever their encoding.
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), content, "latin1");
  }
  commitAll(dir, "main");
  repos.set(seed, dir);
  temps.push(dir);
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `slipway` as a child process, without blocking: the suite runs many at once. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const show = (r: Result) => `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`;
// Mostly process start-up and waiting on git/npm: a few more than the CPUs keeps them busy.
const PARALLEL = Math.min(8, os.availableParallelism() + 2);

void describe("seed workflows lint clean", { concurrency: PARALLEL }, () => {
  for (const [seed, repo] of repos) {
    const count = index.filter((w) => w.seed === seed).length;
    void test(`${seed}: whole repository`, async () => {
      const r = await cli(["lint", "-C", repo]);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stderr, new RegExp(`^${count} workflow file\\(s\\) checked, 0 error\\(s\\)$`, "m"), show(r));
    });
  }
  for (const w of index) {
    void test(`${w.file}`, { todo: KNOWN[`${w.file} lint`] }, async () => {
      const r = await cli(["lint", "-C", repos.get(w.seed) as string, "-W", repoPath(w)]);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stderr, /^1 workflow file\(s\) checked, 0 error\(s\)$/m, show(r));
    });
  }
});

function eventsOf(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === "object" ? Object.keys(on) : [];
}

/** A push filtered to tags only never fires for the branch commit `list` synthesizes (it has no --ref). */
function firesHere(on: unknown, event: string): boolean {
  const cfg = on && typeof on === "object" && !Array.isArray(on) ? (on as Record<string, Record<string, unknown> | null>)[event] : null;
  return !(event === "push" && cfg?.tags && !cfg.branches && !cfg["branches-ignore"]);
}

const needsOf = (n: string | string[] | undefined) => (n === undefined ? [] : Array.isArray(n) ? n : [n]);

interface Listing {
  event: string;
  workflows: Array<{ workflow: string; jobs: Array<{ id: string; needs: string[] }> }>;
}

/** One `list` per seed and event (it plans every workflow in the repository), shared by that seed's tests. */
const listings = new Map<string, Promise<{ r: Result; out: Listing | null }>>();
function listOnce(seed: string, event: string) {
  const key = `${seed} ${event}`;
  let p = listings.get(key);
  if (!p) {
    p = cli(["list", event, "-C", repos.get(seed) as string, "--json"]).then((r) => {
      try {
        return { r, out: JSON.parse(r.stdout) as Listing };
      } catch {
        return { r, out: null };
      }
    });
    listings.set(key, p);
  }
  return p;
}

void describe("seed workflows are planned for the events they list", { concurrency: PARALLEL }, () => {
  for (const w of index) {
    const wf = workflows.get(w.file) as Workflow;
    for (const event of eventsOf(wf.on)) {
      void test(`${w.file}: list ${event}`, { todo: KNOWN[`${w.file} list ${event}`] }, async () => {
        const { r, out } = await listOnce(w.seed, event);
        assert.equal(r.code, 0, show(r));
        assert.equal(out?.event, event, show(r));
        const listed = out.workflows.find((x) => x.workflow === repoPath(w));
        if (!firesHere(wf.on, event)) {
          assert.equal(listed, undefined, `a tag-only push should not fire on a branch:\n${r.stdout}`);
          return;
        }
        assert.ok(listed, `not triggered by '${event}':\n${show(r)}`);
        assert.deepEqual(
          listed.jobs.map((j) => ({ id: j.id, needs: j.needs })),
          Object.entries(wf.jobs).map(([id, j]) => ({ id, needs: needsOf(j?.needs) })),
        );
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Jobs this machine can run: only `run:` steps with bash/node/git and the built-in checkout/setup actions.

interface RunCase {
  file: string;
  event: string;
  job: string;
  /** Lines the job's log must contain: proof the steps ran, not just that nothing failed. */
  log: string[];
}

const RUNS: RunCase[] = [
  { file: "003_b5b455f98203a897/ci.yml", event: "pull_request", job: "typecheck", log: ["seed-script typecheck ran", "using Node.js v20"] },
  { file: "003_b5b455f98203a897/ci.yml", event: "push", job: "lint", log: ["seed-script lint ran"] },
  { file: "003_b5b455f98203a897/cd-staging.yml", event: "push", job: "require-ci-passed", log: ["CI must pass before deploying to staging"] },
  { file: "000_aa6e17a794e0f5e4/pr-validation.yml", event: "pull_request", job: "performance-check", log: ["No large files found", "No TODO/FIXME found"] },
  // node-version: "18" (env.NODE_VERSION); served by the Node 18 stand-in in the tool cache below.
  { file: "001_970b34d06d5b00c4/ci.yml", event: "push", job: "frontend-lint", log: ["using Node.js v18.20.4", "seed-script lint ran", "seed-script type-check ran"] },
];

/**
 * This machine has only one Node; a tool-cache entry reporting 18.20.4 that runs it stands in for Node 18,
 * so setup-node resolves the seed's `node-version: 18` the way a hosted runner's cache would.
 */
function toolCache(): string {
  const dir = tmpDir("seed-toolcache-");
  temps.push(dir);
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  const bin = path.join(dir, "node/18.20.4", arch, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(dir, "node/18.20.4", `${arch}.complete`), "");
  writeFileSync(path.join(bin, "node"), `#!/bin/sh\ncase "$1" in --version|-v) echo v18.20.4; exit 0;; esac\nexec "${process.execPath}" "$@"\n`);
  chmodSync(path.join(bin, "node"), 0o755);
  return dir;
}

const RUN_ENV: Record<string, string> = {
  RUNNER_TOOL_CACHE: toolCache(),
  // No registry access: the lock files have no dependencies, so npm must not need the network.
  npm_config_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

const secretsOf = (text: string) => [...new Set([...text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string))].sort();

interface RunOutcome {
  run: Result;
  summary: { result: string; runs: Array<{ runId: number; workflow: string; jobs: Array<{ id: string; result: string; steps: Array<{ name: string; conclusion: string }> }> }> } | null;
  log: string;
}

const outcomes = new Map<RunCase, Promise<RunOutcome>>();
function runOnce(c: RunCase): Promise<RunOutcome> {
  let p = outcomes.get(c);
  if (!p) {
    p = (async () => {
      const w = index.find((x) => x.file === c.file) as SeedWorkflow;
      const data = tmpDir("seed-data-");
      temps.push(data);
      const secrets = secretsOf(readFileSync(path.join(FIXTURES, c.file), "utf8")).flatMap((s) => ["--secret", `${s}=dummy`]);
      const run = await cli(["run", c.event, "-C", repos.get(w.seed) as string, "-W", repoPath(w), "-j", c.job, "--data-dir", data, "--json", ...secrets], RUN_ENV);
      let summary: RunOutcome["summary"] = null;
      try {
        summary = JSON.parse(run.stdout.trim().split("\n").pop() ?? "null");
      } catch {
        summary = null;
      }
      const runId = summary?.runs[0]?.runId;
      const log = runId === undefined ? "" : (await cli(["logs", String(runId), c.job, "--data-dir", data])).stdout;
      return { run, summary, log };
    })();
    outcomes.set(c, p);
  }
  return p;
}

void describe("seed jobs that need no Docker, network or real secrets run", { concurrency: PARALLEL }, () => {
  for (const c of RUNS) {
    void test(`${c.file}: run ${c.event} -j ${c.job}`, async () => {
      const { run, summary, log } = await runOnce(c);
      assert.equal(run.code, 0, show(run));
      assert.equal(summary?.result, "success", show(run));
      const jobs = summary.runs.flatMap((r) => r.jobs);
      assert.deepEqual(jobs.map((j) => [j.id, j.result]), [[c.job, "success"]], show(run));
      for (const s of jobs[0]?.steps ?? []) assert.equal(s.conclusion, "success", `step '${s.name}'\n${show(run)}`);
      for (const line of c.log) assert.ok(log.includes(line), `log lacks '${line}':\n${log.slice(-3000)}`);
    });
  }

  // The step tees its findings to /dev/stderr, which works on GitHub's runner (stderr is a pipe).
  const perf = RUNS.find((c) => c.job === "performance-check") as RunCase;
  void test(`${perf.file}: a step can open /dev/stderr`, async () => {
    const { log } = await runOnce(perf);
    assert.ok(log.includes("No large files found"), log);
    assert.doesNotMatch(log, /\/dev\/stderr: No such device or address/);
  });
});
