/**
 * A server killed with SIGKILL mid-run restarts with nothing lost: the lines a job had logged stay as
 * they were, the interrupted run and job are closed as cancelled with the reason, deliveries it had
 * accepted each get exactly one run, and no step process outlives it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { commitAll, gitRepo } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const REPO = "acme/slow";
const LINES = 300;
const BACKLOG = 20;

// The step's shell is the leader of the step's own process group, so `$$` names every process it starts.
const SLOW = `name: Slow
on: push
jobs:
  count:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "group $$"
          for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.1; done
`;

interface Line {
  seq: number;
  ts: string;
  text: string;
  step: number | null;
}

const rev = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();

async function allRuns(s: TestServer): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const r = await s.json(`/api/v3/repos/${REPO}/actions/runs?per_page=100&page=${page}`);
    out.push(...r.workflow_runs);
    if (r.workflow_runs.length < 100) return out;
  }
}

async function jobsOf(s: TestServer, runId: number): Promise<any[]> {
  return (await s.json(`/api/v3/repos/${REPO}/actions/runs/${runId}/jobs`)).jobs;
}

async function logLines(s: TestServer, jobId: number): Promise<Line[]> {
  const out: Line[] = [];
  for (;;) {
    const page = await s.json<{ lines: Line[] }>(`/api/slipway/jobs/${jobId}/logs?after=${out.at(-1)?.seq ?? 0}&limit=1000`);
    out.push(...page.lines);
    if (page.lines.length < 1000) return out;
  }
}

/** Pids of the live processes in a process group, from /proc. */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command (which may hold spaces) start after its closing parenthesis.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(name));
    } catch {
      /* gone while reading */
    }
  }
  return pids;
}

void describe("a server killed with SIGKILL mid-run restarts with nothing lost", () => {
  const servers: TestServer[] = [];
  const start = async (dataDir?: string) => {
    const s = await startTestServer({ dataDir });
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.stop();
  });

  void it("kills a silent step the killed server left running, at the next start", async () => {
    const quiet = `name: Quiet\non: push\njobs:\n  wait:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "group $$"\n          sleep 120\n`;
    const repo = gitRepo({ ".github/workflows/quiet.yml": quiet });
    const first = await start();
    await registerRepo(first, "acme/quiet", repo);
    await sendHook(first, pushDelivery("acme/quiet", { before: "0".repeat(40), after: rev(repo), deliveryId: "quiet-1" }, "hook-secret"));
    const run = await waitFor("the run", async () => (await first.json("/api/v3/repos/acme/quiet/actions/runs")).workflow_runs[0]);
    const job = await waitFor("the job", async () => (await first.json(`/api/v3/repos/acme/quiet/actions/runs/${run.id}/jobs`)).jobs[0]);
    const lines = await waitFor("the step's group", async () => {
      const l = await logLines(first, job.id);
      return l.some((x) => x.text.startsWith("group ")) ? l : null;
    });
    const group = Number(/^group (\d+)$/m.exec(lines.map((l) => l.text).join("\n"))?.[1]);
    await first.kill();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(groupMembers(group).length > 0, "a step that prints nothing outlives the kill");
    await start(first.dataDir);
    await waitFor("the next start to stop it", async () => groupMembers(group).length === 0, 10_000);
  });

  void it("keeps every stored line and closes the interrupted run and job as cancelled", async () => {
    const repo = gitRepo({ ".github/workflows/slow.yml": SLOW });
    const first = await start();
    await registerRepo(first, REPO, repo);
    const res = await sendHook(first, pushDelivery(REPO, { before: "0".repeat(40), after: rev(repo), deliveryId: "kill-1" }, "hook-secret"));
    assert.equal(res.status, 202, await res.text());

    const run = await waitFor("the run", async () => (await allRuns(first))[0]);
    const job = await waitFor("the job", async () => (await jobsOf(first, run.id))[0]);
    const before = await waitFor("some lines stored", async () => {
      const lines = await logLines(first, job.id);
      return lines.filter((l) => l.text.startsWith("line ")).length >= 10 ? lines : null;
    });
    const group = Number(/^group (\d+)$/m.exec(before.map((l) => l.text).join("\n"))?.[1]);
    assert.ok(group > 1, "the step printed its process group");
    assert.ok(groupMembers(group).length > 0, "the step is running before the kill");
    await first.kill();

    // No reader is left on the step's output, so its next line ends it (SIGPIPE).
    await waitFor("the killed server's step processes to end", async () => groupMembers(group).length === 0, 10_000);

    const second = await start(first.dataDir);
    assert.match(second.output(), /marked 1 interrupted run\(s\) cancelled/);
    const [again, ...others] = await allRuns(second);
    assert.equal(others.length, 0);
    assert.equal(again.id, run.id);
    assert.equal(again.status, "completed");
    assert.equal(again.conclusion, "cancelled");
    assert.match(again.reason, /interrupted/);

    const [jobAgain] = await jobsOf(second, run.id);
    assert.equal(jobAgain.id, job.id);
    assert.equal(jobAgain.status, "completed");
    assert.equal(jobAgain.conclusion, "cancelled");
    assert.match(jobAgain.reason, /interrupted/);
    assert.ok(jobAgain.completed_at, "the job has an end time");
    for (const step of jobAgain.steps) assert.equal(step.status, "completed", `step ${step.name}`);

    const kept = await logLines(second, job.id);
    assert.deepEqual(kept.slice(0, before.length), before, "every line read before the kill is still there, unchanged");
    const numbered = kept.filter((l) => l.text.startsWith("line ")).map((l) => l.text);
    assert.deepEqual(numbered, numbered.map((_, i) => `line ${i + 1}`), "no line lost or doubled in between");
    assert.ok(numbered.length < LINES, "the step was stopped part-way");
    const seqs = kept.map((l) => l.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);
  });

  void it("gives each delivery accepted just before the kill exactly one run", async () => {
    const repo = gitRepo({ ".github/workflows/quick.yml": "on: push\njobs:\n  q:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n" });
    const shas: string[] = [];
    for (let i = 0; i < 4; i++) {
      commitAll(repo, "main", `c${i}`);
      shas.push(rev(repo));
    }
    const first = await start();
    await registerRepo(first, REPO, repo);
    const deliver = async (i: number) => {
      const res = await sendHook(first, pushDelivery(REPO, { before: "0".repeat(40), after: shas[i] as string, deliveryId: `late-${i}` }, "hook-secret"));
      assert.equal(res.status, 202, await res.text());
    };
    // One delivery far enough along to have its run, the others only just accepted.
    await deliver(0);
    await waitFor("the first delivery's run", async () => (await allRuns(first)).length > 0);
    for (let i = 1; i < shas.length; i++) await deliver(i);
    await first.kill();

    const second = await start(first.dataDir);
    const runs = await waitFor("a settled run for every delivery", async () => {
      const rs = await allRuns(second);
      return rs.length >= shas.length && rs.every((r) => r.status === "completed") ? rs : null;
    });
    // Processed before the kill (then completed, or cancelled as interrupted) or after the restart: one each.
    assert.deepEqual(runs.map((r) => r.head_sha).sort(), [...shas].sort());
    for (const r of runs) {
      if (r.conclusion === "cancelled") assert.match(r.reason, /interrupted/);
      else assert.equal(r.conclusion, "success");
    }
    // Redelivering after the restart still counts as a duplicate: the delivery ids survived too.
    const dup = await sendHook(second, pushDelivery(REPO, { before: "0".repeat(40), after: shas[0] as string, deliveryId: "late-0" }, "hook-secret"));
    assert.equal(dup.status, 200);
  });

  void it("stops on SIGTERM without working through a backlog, and works through it after the restart", async () => {
    const repo = gitRepo({ ".github/workflows/quick.yml": "on: push\njobs:\n  q:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n" });
    const shas: string[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      commitAll(repo, "main", `c${i}`);
      shas.push(rev(repo));
    }
    const first = await start();
    await registerRepo(first, REPO, repo);
    for (const [i, sha] of shas.entries()) {
      const res = await sendHook(first, pushDelivery(REPO, { before: "0".repeat(40), after: sha, deliveryId: `backlog-${i}` }, "hook-secret"));
      assert.equal(res.status, 202, await res.text());
    }
    await first.stop();

    const second = await start(first.dataDir);
    // Each delivery is a commit never seen before, so it takes a while; most are still waiting here.
    const depth = Number(/^slipway_queue_depth (\d+)$/m.exec(await (await fetch(`${second.url}/metrics`)).text())?.[1]);
    assert.ok(depth > 0, "the stopped server left deliveries pending rather than processing them all first");
    const runs = await waitFor("a settled run for every delivery", async () => {
      const rs = await allRuns(second);
      return rs.length >= shas.length && rs.every((r) => r.status === "completed") ? rs : null;
    });
    assert.deepEqual(runs.map((r) => r.head_sha).sort(), [...shas].sort());
    // Runs started before the stop (a few at most) were cancelled by it; the backlog ran after the restart.
    const conclusions = runs.map((r) => r.conclusion);
    assert.ok(conclusions.filter((c) => c === "success").length >= shas.length / 2, conclusions.join(" "));
    assert.deepEqual([...new Set(conclusions)].filter((c) => c !== "success" && c !== "cancelled"), []);
  });
});
