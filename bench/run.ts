// `npm run bench`: slipway against a bash floor and gitlab-ci-local on one 50-job DAG, plus
// start-up cost; prints a table and records it as today's section of docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { dagJobs, floorScript, githubWorkflow, gitlabPipeline, JOBS, oneStepWorkflow, STEPS } from "./pipeline.ts";
import { makeRepo } from "./fixture.ts";
import { measure, median } from "./measure.ts";
import type { Sample } from "./measure.ts";
import { consoleTable, markdownTable, rows } from "./report.ts";
import type { Figures } from "./report.ts";
import { localDate, upsertSection } from "./docs.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SLIPWAY = join(ROOT, "bin", "slipway.js");
const GCL = join(ROOT, "node_modules", "gitlab-ci-local", "dist", "index.js");
const GCL_SHIM = join(ROOT, "bench", "gcl-shim.mjs");
const DOC = join(ROOT, "docs", "benchmarks.md");

const REPS = 3;
const GCL_REPS = Number(process.env.BENCH_GCL_REPS ?? 1);
const STARTUP_REPS = 15;
const TIMEOUT_MS = 120_000;

interface Series {
  name: string;
  samples: Sample[];
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function ensureBuilt(): void {
  if (existsSync(join(ROOT, "dist", "slipway.cjs"))) return;
  log("dist/ missing: building");
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit", timeout: TIMEOUT_MS });
}

function slipway(repo: string, scratch: string, extra: string[] = []): Promise<Sample> {
  // A fresh data dir each time, so no run benefits from another's store.
  const dataDir = mkdtempSync(join(scratch, "data-"));
  return measure(process.execPath, [SLIPWAY, "run", "push", "-C", repo, "--data-dir", dataDir, "--json", ...extra], {
    timeoutMs: TIMEOUT_MS,
  }).finally(() => rmSync(dataDir, { recursive: true, force: true }));
}

/** A run against a data dir that already exists, as every run but a user's first one is. */
function slipwayIn(repo: string, dataDir: string): Promise<Sample> {
  return measure(process.execPath, [SLIPWAY, "run", "push", "-C", repo, "--data-dir", dataDir, "--json"], { timeoutMs: TIMEOUT_MS });
}

function gitlabCiLocal(repo: string, home: string): Promise<Sample> {
  // Its state dir lives in the repo; remove it so every run starts as the first one did.
  rmSync(join(repo, ".gitlab-ci-local"), { recursive: true, force: true });
  const args = ["--import", GCL_SHIM, GCL, "--no-color", "--quiet", "--concurrency", "2", "--home", home];
  return measure(process.execPath, args, { cwd: repo, timeoutMs: TIMEOUT_MS });
}

function summarise(series: Series): { seconds: number | null; rssMb: number | null; failures: string[] } {
  const good = series.samples.filter((s) => s.ok);
  const failures = series.samples.filter((s) => !s.ok).map((s) => `${series.name}: ${s.error ?? "failed"}`);
  if (good.length === 0) return { seconds: null, rssMb: null, failures };
  const rss = good.map((s) => s.rssMb).filter((r): r is number => r !== null);
  return { seconds: median(good.map((s) => s.seconds)), rssMb: rss.length > 0 ? Math.max(...rss) : null, failures };
}

function gclVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", "gitlab-ci-local", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

function rawLine(series: Series): string {
  const each = series.samples.map((s) => (s.ok ? `${s.seconds.toFixed(3)} s` : "failed"));
  return `- ${series.name}: ${each.join(", ")}`;
}

async function main(): Promise<void> {
  ensureBuilt();
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-"));
  const loadBefore = loadavg()[0]!;
  try {
    const jobs = dagJobs();
    const dag = makeRepo(join(scratch, "dag"), {
      ".github/workflows/dag.yml": githubWorkflow(jobs),
      ".gitlab-ci.yml": gitlabPipeline(jobs),
    });
    const one = makeRepo(join(scratch, "one"), { ".github/workflows/one.yml": oneStepWorkflow() });
    const floorFile = join(scratch, "floor.sh");
    writeFileSync(floorFile, floorScript(jobs));
    const gclHome = join(scratch, "gcl-home");
    mkdirSync(gclHome);

    const floor: Series = { name: "floor", samples: [] };
    const slip: Series = { name: "slipway", samples: [] };
    const gcl: Series = { name: "gitlab-ci-local", samples: [] };
    const startup: Series = { name: "one-step slipway run", samples: [] };
    const cold: Series = { name: "one-step slipway run, new data dir", samples: [] };
    const bare: Series = { name: "node -e 0", samples: [] };

    log("warm-up (untimed): one slipway run of the one-step workflow");
    await slipway(one, scratch);
    // Start-up first: measured after the DAG and gitlab-ci-local, it measured their after-effects too
    // (a raised load average and a page cache they had filled), not Slipway's start.
    log(`start-up: ${STARTUP_REPS} one-step runs, ${STARTUP_REPS} bare node starts, interleaved`);
    const kept = mkdtempSync(join(scratch, "data-kept-"));
    await slipwayIn(one, kept);
    for (let i = 0; i < STARTUP_REPS; i++) {
      startup.samples.push(await slipwayIn(one, kept));
      bare.samples.push(await measure(process.execPath, ["-e", "0"]));
    }
    for (let i = 0; i < STARTUP_REPS; i++) cold.samples.push(await slipway(one, scratch));
    for (let i = 1; i <= REPS; i++) {
      log(`DAG repetition ${i}/${REPS}: floor, slipway`);
      floor.samples.push(await measure("bash", [floorFile], { timeoutMs: TIMEOUT_MS }));
      slip.samples.push(await slipway(dag, scratch, ["--parallel", "2"]));
    }
    if (existsSync(GCL)) {
      for (let i = 1; i <= GCL_REPS; i++) {
        log(`gitlab-ci-local ${i}/${GCL_REPS}`);
        gcl.samples.push(await gitlabCiLocal(dag, gclHome));
      }
    } else {
      log("gitlab-ci-local is not installed (npm install -D gitlab-ci-local): skipped");
    }

    const [f, s, g, st, b, c] = [floor, slip, gcl, startup, bare, cold].map(summarise);
    const figures: Figures = {
      floorS: f!.seconds,
      slipwayS: s!.seconds,
      slipwayRssMb: s!.rssMb,
      gclS: g!.seconds,
      gclRssMb: g!.rssMb,
      startupMs: st!.seconds === null ? null : st!.seconds * 1000,
      coldStartupMs: c!.seconds === null ? null : c!.seconds * 1000,
      nodeMs: b!.seconds === null ? null : b!.seconds * 1000,
    };
    const failures = [f, s, g, st, b, c].flatMap((x) => x!.failures);
    const list = rows(figures);
    process.stdout.write(`\n${consoleTable(list)}\n`);
    for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);

    const context = {
      loadBefore,
      loadAfter: loadavg()[0]!,
      gcl: gclVersion(),
      gclRuns: gcl.samples.length,
    };
    const body = [
      markdownTable(list),
      "",
      ...notes(context),
      "",
      "Raw wall times:",
      "",
      ...[floor, slip, gcl, startup, cold, bare].filter((x) => x.samples.length > 0).map(rawLine),
      ...(failures.length > 0 ? ["", "Failures:", "", ...failures.map((x) => `- ${x}`)] : []),
    ].join("\n");
    mkdirSync(dirname(DOC), { recursive: true });
    const existing = existsSync(DOC) ? readFileSync(DOC, "utf8") : "";
    const date = localDate(new Date());
    writeFileSync(DOC, upsertSection(existing, date, body));
    process.stdout.write(`\nrecorded as ${date} in docs/benchmarks.md\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function notes(c: { loadBefore: number; loadAfter: number; gcl: string; gclRuns: number }): string[] {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return [
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
      `1-minute load average ${c.loadBefore.toFixed(2)} before, ${c.loadAfter.toFixed(2)} after (other work shares this machine).`,
    "",
    `- Pipeline: ${JOBS} jobs × ${STEPS} \`echo\` steps; job k needs jobs k−5 and k−3 where they exist.`,
    `- Floor: the same ${JOBS * STEPS} steps as \`bash -c 'echo …'\` processes, from a greedy two-slot bash job pool ` +
      "that starts any job whose needs are done (bench/pipeline.ts `floorScript`).",
    `- slipway: \`slipway run push --parallel 2 --json\` with a fresh \`--data-dir\` per run; median of ${REPS}. ` +
      `Start-up: one \`run: true\` step, median of ${STARTUP_REPS}, measured before the heavier benchmarks and interleaved with bare \`node -e 0\` starts, against a data dir that already exists (as for every run but a user's first), after one untimed warm-up run; the first-run figure creates and migrates a new store each time.`,
    `- gitlab-ci-local ${c.gcl}: shell executor (no image), \`--concurrency 2 --quiet\`, state dir removed before each run; ` +
      `median of ${c.gclRuns}. Its Node bundle needs \`Set.prototype.union\` (Node 22), so bench/gcl-shim.mjs adds it on Node 20.`,
    "- Peak RSS: GNU time's maximum resident set size, i.e. of the largest single process in the tree (the Node process), " +
      "highest over the repetitions.",
  ];
}

await main();
