/**
 * Bounded load on 127.0.0.1: a burst of 200 signed deliveries (170 new, 20 redeliveries, 10 badly
 * signed) gives exactly one run per new delivery while the server keeps answering; and a job that logs
 * 200,000 lines streams them all, in order, without the server's memory growing with the log.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { gitRepo } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const TRIVIAL = "name: Trivial\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n";
const NEW = 170;
const REDELIVERED = 20;
const BAD = 10;
const CONCURRENCY = 10;

interface Answer {
  status: number;
  body: string;
}
interface Task {
  kind: "new" | "again" | "bad";
  delivery: ReturnType<typeof pushDelivery>;
  /** For a redelivery: the first delivery, whose answer comes first so the two never race. */
  original?: Task;
  answer?: Promise<Answer>;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `count` commits on top of the repository's HEAD, oldest first. */
function commits(dir: string, count: number): string[] {
  const script = `for i in $(seq 1 ${count}); do git commit -q --allow-empty -m "c$i" && git rev-parse HEAD; done`;
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
  return execFileSync("sh", ["-c", script], { cwd: dir, encoding: "utf8", env }).trim().split("\n");
}

async function allRuns(s: TestServer, repo: string): Promise<{ total: number; runs: any[] }> {
  const runs: any[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const r = await s.json(`/api/v3/repos/${repo}/actions/runs?per_page=100&page=${page}`);
    total = r.total_count;
    runs.push(...r.workflow_runs);
    if (r.workflow_runs.length < 100) return { total, runs };
  }
}

/** Sends the tasks' deliveries in order, `n` at a time; each task keeps its answer. */
async function pool(s: TestServer, tasks: Task[], n: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const t = tasks[next++] as Task;
      t.answer = (async () => {
        // Its original was taken earlier, so its answer is already on its way.
        await t.original?.answer;
        const r = await sendHook(s, t.delivery);
        return { status: r.status, body: await r.text() };
      })();
      await t.answer;
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}

function metric(text: string, outcome: string): number {
  const m = new RegExp(`^slipway_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

void describe("a burst of 200 webhook deliveries", () => {
  let server: TestServer;
  let shas: string[];
  before(async () => {
    const repo = gitRepo({ ".github/workflows/trivial.yml": TRIVIAL });
    shas = commits(repo, NEW);
    server = await startTestServer({ args: ["--parallel", "2"] });
    await registerRepo(server, "acme/load", repo);
  });
  after(async () => server?.stop());

  void it("runs each new delivery once, refuses the rest, and keeps answering", { timeout: 230_000 }, async () => {
    const fresh: Task[] = shas.map((sha, i) => ({ kind: "new", delivery: pushDelivery("acme/load", { before: i ? (shas[i - 1] as string) : "0".repeat(40), after: sha, deliveryId: `load-${i}` }, "hook-secret") }));
    const tasks: Task[] = [];
    for (const [i, t] of fresh.entries()) {
      tasks.push(t);
      // Redeliveries of earlier ids (the same body and headers), a little later in the stream.
      if (i % 8 === 7 && i / 8 < REDELIVERED) {
        const original = fresh[i - 7] as Task;
        tasks.push({ kind: "again", delivery: original.delivery, original });
      }
      if (i % 17 === 3) tasks.push({ kind: "bad", delivery: pushDelivery("acme/load", { before: "0".repeat(40), after: shas[i] as string, deliveryId: `bad-${i}` }, "not-the-secret") });
    }
    assert.deepEqual([tasks.length, tasks.filter((t) => t.kind === "again").length, tasks.filter((t) => t.kind === "bad").length], [NEW + REDELIVERED + BAD, REDELIVERED, BAD]);

    // Health checks through the burst and on until every run has finished: each must be answered.
    const latencies: number[] = [];
    let watching = true;
    const pinger = (async () => {
      while (watching) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/healthz`);
        assert.equal(r.status, 200);
        await r.arrayBuffer();
        latencies.push(performance.now() - t0);
        await tick(100);
      }
    })();
    const started = performance.now();
    await pool(server, tasks, CONCURRENCY);
    const burstMs = performance.now() - started;
    const duringBurst = latencies.length;

    for (const t of tasks) {
      const r = (await t.answer) as Answer;
      if (t.kind === "new") assert.equal(r.status, 202, r.body);
      if (t.kind === "bad") assert.equal(r.status, 401, r.body);
      if (t.kind === "again") {
        assert.equal(r.status, 200, r.body);
        assert.match(r.body, /already received/);
      }
    }

    const settled = await waitFor(`${NEW} completed runs`, async () => {
      const all = await allRuns(server, "acme/load");
      // Pages are read one after another while the queue may still be creating runs: a run created
      // between two pages shifts the second, which then repeats one run and misses the new one.
      const consistent = new Set(all.runs.map((r) => r.id)).size === all.runs.length;
      return consistent && all.runs.length >= NEW && all.runs.every((r) => r.status === "completed") ? all : null;
    }, 200_000).finally(() => (watching = false));
    await pinger;
    assert.ok(duringBurst >= 1 && latencies.length >= 10, `health checks answered: ${duringBurst} during the burst, ${latencies.length} in all`);
    assert.equal(settled.total, NEW);
    assert.equal(settled.runs.length, NEW);
    assert.deepEqual(settled.runs.map((r) => r.head_sha).sort(), [...shas].sort(), "one run per new delivery (each pushed its own commit)");
    assert.deepEqual([...new Set(settled.runs.map((r) => r.conclusion))], ["success"]);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.deepEqual(
      { accepted: metric(metrics, "accepted"), duplicate: metric(metrics, "duplicate"), unauthorized: metric(metrics, "unauthorized") },
      { accepted: NEW, duplicate: REDELIVERED, unauthorized: BAD },
    );
    // 170 commits ran, but the server keeps only the most recently used checkouts (20).
    const checkouts = readdirSync(path.join(server.dataDir, "checkouts", "acme", "load"));
    assert.ok(checkouts.length <= 20, `${checkouts.length} checkouts kept`);
    const slowest = Math.max(...latencies);
    process.stderr.write(`load: ${tasks.length} deliveries in ${(burstMs / 1000).toFixed(1)} s; ${latencies.length} health checks, slowest ${slowest.toFixed(0)} ms\n`);
  });
});

const LOG_LINES = 200_000;
const RSS_LIMIT_MB = 400;

interface Line {
  seq: number;
  text: string;
}

/** Resident memory of a process, in MB. */
function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** Reads a server-sent-event stream to its `done` event, handing each `lines` batch to `onLines`. */
async function readStream(res: Response, onLines: (lines: Line[]) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const name = /^event: (.*)$/m.exec(event)?.[1];
      if (name === "done") return;
      if (name === "lines") onLines(JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? "[]") as Line[]);
    }
  }
  throw new Error("the stream ended without its done event");
}

void describe("a job that logs 200,000 lines", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.stop());

  void it("streams every line in order while it runs, in bounded memory", { timeout: 90_000 }, async () => {
    // The pause lets the stream open while the job is still running.
    const wf = `on: push\njobs:\n  chatty:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sleep 2\n      - run: seq 1 ${LOG_LINES}\n`;
    const repo = gitRepo({ ".github/workflows/chatty.yml": wf });
    await registerRepo(server, "acme/chatty", repo);
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const hook = await sendHook(server, pushDelivery("acme/chatty", { before: "0".repeat(40), after: sha, deliveryId: "chatty-1" }, "hook-secret"));
    assert.equal(hook.status, 202);
    const run = await waitFor("the run", async () => (await server.json("/api/v3/repos/acme/chatty/actions/runs")).workflow_runs[0]);
    const job = await waitFor("the job", async () => (await server.json(`/api/v3/repos/acme/chatty/actions/runs/${run.id}/jobs`)).jobs[0]);

    const pid = server.proc.pid as number;
    const samples: number[] = [rssMb(pid)];
    const sampler = setInterval(() => samples.push(rssMb(pid)), 100);
    const res = await server.api(`/api/slipway/jobs/${job.id}/logs/stream`);
    assert.equal(res.status, 200);
    const { status: statusAtOpen } = await server.json(`/api/v3/repos/acme/chatty/actions/jobs/${job.id}`);
    let expectedSeq = 1;
    let counted = 0;
    let outOfOrder = "";
    try {
      await readStream(res, (lines) => {
        for (const l of lines) {
          if (l.seq !== expectedSeq && !outOfOrder) outOfOrder = `seq ${l.seq} where ${expectedSeq} was due`;
          expectedSeq = l.seq + 1;
          if (!/^\d+$/.test(l.text)) continue;
          counted++;
          if (Number(l.text) !== counted && !outOfOrder) outOfOrder = `line '${l.text}' where ${counted} was due`;
        }
      });
    } finally {
      clearInterval(sampler);
    }
    assert.equal(statusAtOpen, "in_progress", "the stream opened while the job ran");
    assert.equal(outOfOrder, "");
    assert.equal(counted, LOG_LINES);
    const peak = Math.max(...samples);
    assert.ok(samples.length >= 5, `RSS sampled ${samples.length} times`);
    assert.ok(peak < RSS_LIMIT_MB, `server RSS peaked at ${peak.toFixed(0)} MB`);
    const done = await server.json(`/api/v3/repos/acme/chatty/actions/jobs/${job.id}`);
    assert.equal(done.conclusion, "success");
    process.stderr.write(`log stream: ${LOG_LINES} lines, ${expectedSeq - 1} stored in all; server RSS ${samples[0]?.toFixed(0)} → peak ${peak.toFixed(0)} MB\n`);
  });
});
