// `npm run bench` (second part): time from a job's start to its first step when the job has two
// service containers (postgres and redis with health checks), against starting the same two images by
// hand with `docker run` and waiting for both to be healthy. Records today's figures in
// docs/benchmarks.md under "Job environment".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { makeRepo } from "./fixture.ts";
import { localDate } from "./docs.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = join(ROOT, "docs", "benchmarks.md");
const REPS = 3;
const HEALTH = "--health-interval 1s --health-timeout 5s --health-retries 30";

const WORKFLOW = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:13-alpine
        env: { POSTGRES_PASSWORD: postgres }
        ports: ["5432"]
        options: --health-cmd pg_isready ${HEALTH}
      redis:
        image: redis:7-alpine
        ports: ["6379"]
        options: --health-cmd "redis-cli ping" ${HEALTH}
    steps:
      - run: echo first step
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", timeout: 120_000 }).trim();
}

/** Seconds from the job's start to its first step's start, as Slipway recorded them. */
function slipwayOnce(repo: string, scratch: string): number {
  const data = mkdtempSync(join(scratch, "data-"));
  execFileSync(process.execPath, [join(ROOT, "bin", "slipway.js"), "run", "-C", repo, "--data-dir", data], { stdio: "ignore", timeout: 180_000 });
  const db = new Database(join(data, "slipway.db"), { readonly: true });
  const job = db.prepare("SELECT id, started_at FROM jobs").get() as { id: number; started_at: string };
  const step = db.prepare("SELECT started_at FROM steps WHERE job_id = ? ORDER BY idx LIMIT 1").get(job.id) as { started_at: string };
  db.close();
  return (Date.parse(step.started_at) - Date.parse(job.started_at)) / 1000;
}

/** The same two containers by hand: network, two `docker run`, wait until both are healthy. */
function byHandOnce(): number {
  const tag = `slipway-bench-${process.pid}-${Date.now()}`;
  const started = Date.now();
  try {
    docker("network", "create", "--label", "slipway-bench=1", tag);
    docker("run", "-d", "--name", `${tag}-pg`, "--network", tag, "--label", "slipway-bench=1", "-e", "POSTGRES_PASSWORD=postgres", "-p", "5432", "--health-cmd", "pg_isready", ...HEALTH.split(" "), "postgres:13-alpine");
    docker("run", "-d", "--name", `${tag}-redis`, "--network", tag, "--label", "slipway-bench=1", "-p", "6379", "--health-cmd", "redis-cli ping", ...HEALTH.split(" "), "redis:7-alpine");
    for (;;) {
      const states = [`${tag}-pg`, `${tag}-redis`].map((c) => docker("inspect", "--format", "{{.State.Health.Status}}", c));
      if (states.every((s) => s === "healthy")) break;
      if (Date.now() - started > 120_000) throw new Error(`not healthy: ${states.join(", ")}`);
      execFileSync("sleep", ["0.1"]);
    }
    return (Date.now() - started) / 1000;
  } finally {
    for (const c of [`${tag}-pg`, `${tag}-redis`]) execFileSync("docker", ["rm", "-f", c], { stdio: "ignore" });
    execFileSync("docker", ["network", "rm", tag], { stdio: "ignore" });
  }
}

function main(): void {
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-svc-"));
  try {
    const repo = makeRepo(join(scratch, "repo"), { ".github/workflows/ci.yml": WORKFLOW });
    const ours: number[] = [];
    const hand: number[] = [];
    for (let i = 0; i < REPS; i++) {
      hand.push(byHandOnce());
      ours.push(slipwayOnce(repo, scratch));
    }
    const [s, h] = [median(ours), median(hand)];
    const table = [
      "| measure | value |",
      "| --- | ---: |",
      `| slipway: job start → first step, two services (s) | ${s.toFixed(2)} |`,
      `| docker run by hand: both healthy (s) | ${h.toFixed(2)} |`,
      `| slipway − by hand (s) | ${(s - h).toFixed(2)} |`,
    ].join("\n");
    process.stdout.write(`${table}\n`);
    const section = `### Job environment\n\n${table}\n\nBoth start postgres:13-alpine and redis:7-alpine (npm run images) on a fresh network with health checks every second and wait for both to be healthy; median of ${REPS}. Raw: slipway ${ours.map((x) => x.toFixed(2)).join(", ")} s; by hand ${hand.map((x) => x.toFixed(2)).join(", ")} s.`;
    recordSection(section);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Puts the section inside today's dated section (written by bench/run.ts), replacing an older one. */
function recordSection(section: string): void {
  const doc = readFileSync(DOC, "utf8");
  const today = `## ${localDate(new Date())}`;
  const start = doc.indexOf(today);
  if (start < 0) return writeFileSync(DOC, `${doc.trimEnd()}\n\n${today}\n\n${section}\n`);
  const next = doc.indexOf("\n## ", start + today.length);
  const end = next < 0 ? doc.length : next;
  const body = doc.slice(start, end).replace(/\n### Job environment[\s\S]*$/, "").trimEnd();
  writeFileSync(DOC, `${doc.slice(0, start)}${body}\n\n${section}\n${doc.slice(end)}`);
}

main();
