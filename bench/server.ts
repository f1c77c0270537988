// `npm run bench` (server part): how soon a push webhook reaches its run's first step on an idle
// `slipway server`, against `slipway run` started by hand; and how many deliveries a second the server
// accepts in a burst, with the time until every run they queued has finished. Records the figures as
// "Server" in today's section of docs/benchmarks.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { pushDelivery, registerRepo, sendHook, startTestServer, type TestServer } from "../test/helpers/server.ts";
import { localDate } from "./docs.ts";
import { makeRepo } from "./fixture.ts";
import { median } from "./measure.ts";
import { oneStepWorkflow } from "./pipeline.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SLIPWAY = join(ROOT, "bin", "slipway.js");
const DOC = join(ROOT, "docs", "benchmarks.md");
const REPO = "bench/one";
const SECRET = "bench-secret";
const LATENCY_REPS = 10;
const BURST = 500;
const BURST_CONCURRENCY = 20;
const ZERO = "0".repeat(40);
// The workflow's one step, as named in the store (after the "Set up job" step every job records first).
const FIRST_STEP = "Run true";

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** `count` empty commits on top of HEAD, oldest first: every push in the bench brings a new commit. */
function commits(dir: string, count: number): string[] {
  const script = `for i in $(seq 1 ${count}); do git -c user.name=bench -c user.email=bench@example.invalid commit -q --allow-empty -m "c$i" && git rev-parse HEAD; done`;
  return execFileSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", maxBuffer: 16 << 20 }).trim().split("\n");
}

async function completedRuns(s: TestServer): Promise<number> {
  return (await s.json(`/api/v3/repos/${REPO}/actions/runs?status=completed&per_page=1`)).total_count as number;
}

async function waitForCompleted(s: TestServer, count: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await completedRuns(s)) < count) {
    if (Date.now() > end) throw new Error(`fewer than ${count} runs completed after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** Milliseconds from sending a push delivery for a new commit to its run's first step starting. */
async function webhookToFirstStep(s: TestServer, before: string, sha: string, id: string, done: number): Promise<number> {
  const sent = Date.now();
  const res = await sendHook(s, pushDelivery(REPO, { before, after: sha, deliveryId: id }, SECRET));
  if (res.status !== 202) throw new Error(`delivery ${id}: ${res.status} ${await res.text()}`);
  // Waiting for the run to end, rather than polling for the step, keeps the bench's own requests out of
  // the server's way while it works.
  await waitForCompleted(s, done, 60_000);
  const run = (await s.json(`/api/v3/repos/${REPO}/actions/runs?per_page=1`)).workflow_runs[0];
  if (run.head_sha !== sha || run.conclusion !== "success") throw new Error(`run for ${id}: ${run.head_sha} ${run.conclusion}`);
  const job = (await s.json(`/api/v3/repos/${REPO}/actions/runs/${run.id}/jobs`)).jobs[0];
  const step = (job.steps as Array<{ name: string; started_at: string }>).find((x) => x.name === FIRST_STEP);
  if (!step) throw new Error(`run for ${id} has no step '${FIRST_STEP}'`);
  return Date.parse(step.started_at) - sent;
}

/** Milliseconds from starting `slipway run` to its first step starting, as its store recorded. */
function byHandToFirstStep(repo: string, dataDir: string): number {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SLIPWAY, "run", "push", "-C", repo, "--data-dir", dataDir, "--json"], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`slipway run: ${r.status} ${r.stderr}`);
  const db = new Database(join(dataDir, "slipway.db"), { readonly: true });
  try {
    const step = db
      .prepare("SELECT s.started_at FROM steps s JOIN jobs j ON j.id = s.job_id WHERE j.run_id = (SELECT MAX(id) FROM runs) AND s.name = ?")
      .get(FIRST_STEP) as { started_at: string } | undefined;
    if (!step) throw new Error(`slipway run recorded no step '${FIRST_STEP}'`);
    return Date.parse(step.started_at) - started;
  } finally {
    db.close();
  }
}

interface Latency {
  server: number[];
  byHand: number[];
}

async function latency(scratch: string): Promise<Latency> {
  const repo = makeRepo(join(scratch, "latency"), { ".github/workflows/one.yml": oneStepWorkflow() });
  const server = await startTestServer({ dataDir: mkdtempSync(join(scratch, "server-")) });
  const out: Latency = { server: [], byHand: [] };
  try {
    await registerRepo(server, REPO, repo, SECRET);
    log(`webhook → first step: 1 untimed warm-up, then ${LATENCY_REPS} pushes to an idle server`);
    let before = ZERO;
    for (let i = 0; i <= LATENCY_REPS; i++) {
      // A push brings a commit the server has to fetch, as a real one does.
      const [sha] = commits(repo, 1) as [string];
      await sleep(500);
      const ms = await webhookToFirstStep(server, before, sha, `latency-${i}`, i + 1);
      if (i > 0) out.server.push(ms);
      before = sha;
    }
  } finally {
    await server.stop();
  }
  log(`slipway run by hand → first step: 1 untimed warm-up, then ${LATENCY_REPS}`);
  const dataDir = mkdtempSync(join(scratch, "by-hand-"));
  byHandToFirstStep(repo, dataDir);
  for (let i = 0; i < LATENCY_REPS; i++) out.byHand.push(byHandToFirstStep(repo, dataDir));
  return out;
}

interface Burst {
  acceptSeconds: number;
  allDoneSeconds: number;
  refused: string[];
}

async function burst(scratch: string): Promise<Burst> {
  const repo = makeRepo(join(scratch, "burst"), { ".github/workflows/one.yml": oneStepWorkflow() });
  log(`burst: making ${BURST} commits`);
  const shas = commits(repo, BURST);
  const server = await startTestServer({ dataDir: mkdtempSync(join(scratch, "server-")) });
  try {
    await registerRepo(server, REPO, repo, SECRET);
    const deliveries = shas.map((sha, i) => pushDelivery(REPO, { before: i ? (shas[i - 1] as string) : ZERO, after: sha, deliveryId: `burst-${i}` }, SECRET));
    log(`burst: ${BURST} deliveries, ${BURST_CONCURRENCY} at a time`);
    const refused: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: BURST_CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const i = next++;
          const res = await sendHook(server, deliveries[i] as ReturnType<typeof pushDelivery>);
          if (res.status !== 202) refused.push(`burst-${i}: ${res.status} ${await res.text()}`);
          else await res.arrayBuffer();
        }
      }),
    );
    const acceptSeconds = (performance.now() - started) / 1000;
    log(`burst: accepted in ${acceptSeconds.toFixed(2)} s; waiting for the runs`);
    await waitForCompleted(server, BURST - refused.length, 900_000);
    return { acceptSeconds, allDoneSeconds: (performance.now() - started) / 1000, refused };
  } finally {
    await server.stop();
  }
}

function section(l: Latency, b: Burst, load: { before: number; after: number }): string {
  const ms = (xs: number[], f: (xs: number[]) => number) => f(xs).toFixed(0);
  const p90 = (xs: number[]) => percentile(xs, 90);
  const accepted = BURST - b.refused.length;
  const table = [
    "| measure | value |",
    "| --- | ---: |",
    `| webhook → first step, idle server, median (ms) | ${ms(l.server, median)} |`,
    `| webhook → first step, idle server, p90 (ms) | ${ms(l.server, p90)} |`,
    `| \`slipway run\` by hand: start → first step, median (ms) | ${ms(l.byHand, median)} |`,
    `| \`slipway run\` by hand: start → first step, p90 (ms) | ${ms(l.byHand, p90)} |`,
    `| deliveries accepted per second (${BURST}, ${BURST_CONCURRENCY} at a time) | ${(accepted / b.acceptSeconds).toFixed(0)} |`,
    `| first delivery → all ${accepted} runs completed (s) | ${b.allDoneSeconds.toFixed(1)} |`,
    `| runs completed per second over the burst | ${(accepted / b.allDoneSeconds).toFixed(1)} |`,
  ].join("\n");
  const notes = [
    `Server: \`slipway server --parallel 2\` on 127.0.0.1 with one local repository registered; the workflow is one \`run: true\` step; each delivery is a signed push of its own commit. ` +
      `Latency: ${LATENCY_REPS} pushes after one untimed warm-up, each of a commit made just before (so the server fetches it and makes its checkout) and sent half a second after the previous run finished; ` +
      `from sending the delivery to the step's \`started_at\` (the step itself, not the "Set up job" step recorded before it). ` +
      `By hand: \`slipway run push --json\` in the repository, against a data dir that already exists, after one untimed warm-up; from spawning it to the same step's \`started_at\` in its store. ` +
      `Burst: ${BURST} commits made beforehand (the first delivery's fetch brings them all; every delivery still makes its own checkout), sent over ${BURST_CONCURRENCY} connections; ` +
      `accepted means answered 202, i.e. queued in the store${b.refused.length ? `; ${b.refused.length} refused` : ""}. ` +
      `${cpus().length} cores; 1-minute load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after.`,
    "",
    `Raw (ms): webhook ${l.server.join(", ")}; by hand ${l.byHand.join(", ")}. Burst accepted in ${b.acceptSeconds.toFixed(2)} s.`,
  ];
  return `### Server\n\n${table}\n\n${notes.join("\n")}`;
}

/** Puts the section in today's dated section, replacing an older "Server" one, ahead of "Job environment". */
function record(text: string): void {
  const doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n";
  const heading = `## ${localDate(new Date())}`;
  const start = doc.indexOf(heading);
  if (start < 0) return writeFileSync(DOC, `${doc.trimEnd()}\n\n${heading}\n\n${text}\n`);
  const next = doc.indexOf("\n## ", start + heading.length);
  const end = next < 0 ? doc.length : next;
  const day = doc.slice(start, end).replace(/\n### Server\n[\s\S]*?(?=\n### |$)/, "").trimEnd();
  // bench/services.ts rewrites everything from its heading on, so this section goes in front of it.
  const at = day.indexOf("\n### Job environment");
  const body = at < 0 ? `${day}\n\n${text}` : `${day.slice(0, at).trimEnd()}\n\n${text}\n${day.slice(at)}`;
  writeFileSync(DOC, `${doc.slice(0, start)}${body}\n${doc.slice(end)}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "slipway.cjs"))) throw new Error("dist/ is missing: run npm run build first");
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-server-"));
  const before = loadavg()[0] as number;
  try {
    const l = await latency(scratch);
    const b = await burst(scratch);
    const text = section(l, b, { before, after: loadavg()[0] as number });
    process.stdout.write(`${text}\n`);
    record(text);
    process.stdout.write(`\nrecorded under Server in today's section of docs/benchmarks.md\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
