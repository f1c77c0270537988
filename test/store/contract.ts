/**
 * What every Store must do, whatever database is behind it. A store's own test file calls
 * `runStoreContract` with a factory giving a fresh, empty store per test.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError } from "../../src/common/errors.ts";
import { INTERRUPTED_REASON, type Owner, type Store } from "../../src/store/store.ts";
import { lines, newJob, newRun, step } from "./records.ts";

export interface StoreHandle {
  store: Store;
  /** Closes everything opened and removes what the factory created. */
  cleanup: () => Promise<void>;
  /** Another connection to the same database, as a second process would open; enables the concurrency tests. */
  openAnother?: () => Promise<Store>;
}

const ME: Owner = { pid: 4242, host: "host-a" };

export function runStoreContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  /** A fresh store per test, cleaned up even when the test fails. */
  const withStore = (fn: (store: Store, h: StoreHandle) => Promise<void>) => async () => {
    const h = await makeStore();
    try {
      await fn(h.store, h);
    } finally {
      await h.cleanup();
    }
  };

  describe(`Store contract: ${name}`, () => {
    describe("runs", () => {
      it("createRun records a queued run with its owner, and getRun reads it back", withStore(async (s) => {
        const before = Date.now();
        const plan = { jobs: [{ id: "build", needs: [], with: { n: 1, ok: true, none: null } }] };
        const run = await s.createRun(newRun({ actor: "octocat", plan }), ME);
        assert.equal(typeof run.id, "number");
        assert.deepEqual({ ...run, id: 0, createdAt: "" }, {
          ...newRun(), actor: "octocat", plan, id: 0, createdAt: "", runNumber: 1, runAttempt: 1,
          status: "queued", result: null, reason: null, startedAt: null, finishedAt: null,
          ownerPid: 4242, ownerHost: "host-a",
        });
        assert.equal(new Date(run.createdAt).toISOString(), run.createdAt, "createdAt is ISO 8601");
        assert.ok(Date.parse(run.createdAt) >= before - 1000 && Date.parse(run.createdAt) <= Date.now() + 1000);
        assert.deepEqual(await s.getRun(run.id), run);
      }));

      it("leaves actor and plan absent when not given, and keeps a given runAttempt", withStore(async (s) => {
        const run = await s.createRun(newRun({ runAttempt: 3 }), ME);
        const read = await s.getRun(run.id);
        assert.ok(read);
        assert.equal("actor" in read, false);
        assert.equal("plan" in read, false);
        assert.equal(read.runAttempt, 3);
      }));

      it("getRun of an unknown id is null", withStore(async (s) => {
        assert.equal(await s.getRun(12345), null);
      }));

      it("numbers runs 1, 2, 3… per repo and workflow file, with ids never reused", withStore(async (s) => {
        const made = [];
        for (const [repo, workflowFile] of [
          ["/a", "ci.yml"], ["/a", "ci.yml"], ["/a", "other.yml"], ["/b", "ci.yml"], ["/a", "ci.yml"],
          ["OWNER/NAME", "ci.yml"], ["/a", "other.yml"],
        ] as const) {
          made.push(await s.createRun(newRun({ repo, workflowFile }), ME));
        }
        assert.deepEqual(made.map((r) => r.runNumber), [1, 2, 1, 1, 3, 1, 2]);
        const ids = made.map((r) => r.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
        assert.equal(new Set(ids).size, ids.length);
      }));

      it("updateRun changes only the fields given and returns the result", withStore(async (s) => {
        const run = await s.createRun(newRun({ plan: { v: 1 } }), ME);
        const started = await s.updateRun(run.id, { status: "in_progress", startedAt: "2024-01-01T00:00:01.000Z" });
        assert.deepEqual(started, { ...run, status: "in_progress", startedAt: "2024-01-01T00:00:01.000Z" });
        const done = await s.updateRun(run.id, {
          status: "completed", result: "failure", reason: "job build failed", finishedAt: "2024-01-01T00:00:09.000Z",
          plan: { v: 2 }, startedAt: undefined,
        });
        assert.deepEqual(done, {
          ...started, status: "completed", result: "failure", reason: "job build failed",
          finishedAt: "2024-01-01T00:00:09.000Z", plan: { v: 2 },
        });
        assert.deepEqual(await s.getRun(run.id), done);
        assert.deepEqual(await s.updateRun(run.id, {}), done, "an empty patch changes nothing");
        const cleared = await s.updateRun(run.id, { reason: null });
        assert.equal(cleared.reason, null);
      }));

      it("updateRun of an unknown id rejects with NotFoundError", withStore(async (s) => {
        await assert.rejects(s.updateRun(999, { status: "completed" }), NotFoundError);
      }));

      it("listRuns is newest first and filters by repo, workflow file, event and status", withStore(async (s) => {
        const a1 = await s.createRun(newRun({ repo: "/a", workflowFile: "ci.yml", event: "push" }), ME);
        const a2 = await s.createRun(newRun({ repo: "/a", workflowFile: "ci.yml", event: "pull_request" }), ME);
        const a3 = await s.createRun(newRun({ repo: "/a", workflowFile: "nightly.yml", event: "schedule" }), ME);
        const b1 = await s.createRun(newRun({ repo: "/b", workflowFile: "ci.yml", event: "push" }), ME);
        await s.updateRun(a2.id, { status: "in_progress" });
        await s.updateRun(b1.id, { status: "completed", result: "success" });
        const ids = async (f?: Parameters<Store["listRuns"]>[0]) => (await s.listRuns(f)).map((r) => r.id);

        assert.deepEqual(await ids(), [b1.id, a3.id, a2.id, a1.id]);
        assert.deepEqual(await ids({}), [b1.id, a3.id, a2.id, a1.id]);
        assert.deepEqual(await ids({ repo: "/a" }), [a3.id, a2.id, a1.id]);
        assert.deepEqual(await ids({ workflowFile: "ci.yml" }), [b1.id, a2.id, a1.id]);
        assert.deepEqual(await ids({ repo: "/a", workflowFile: "ci.yml" }), [a2.id, a1.id]);
        assert.deepEqual(await ids({ event: "push" }), [b1.id, a1.id]);
        assert.deepEqual(await ids({ status: "queued" }), [a3.id, a1.id]);
        assert.deepEqual(await ids({ status: ["in_progress", "completed"] }), [b1.id, a2.id]);
        assert.deepEqual(await ids({ status: [] }), []);
        assert.deepEqual(await ids({ limit: 2 }), [b1.id, a3.id]);
        assert.deepEqual(await ids({ repo: "/a", status: "queued", limit: 1 }), [a3.id]);
        assert.deepEqual(await ids({ repo: "/nope" }), []);
        assert.deepEqual((await s.listRuns({ repo: "/b" }))[0], await s.getRun(b1.id), "full records");
      }));
    });

    describe("jobs", () => {
      it("createJob records a queued job; getJob and listJobs read it back in creation order", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const other = await s.createRun(newRun(), ME);
        const build = await s.createJob(newJob(run.id, "build (1, a)", {
          jobId: "build", name: "Build 1 a", matrix: { n: 1, os: "a", nested: { x: [1, 2] } },
        }));
        assert.deepEqual({ ...build, id: 0 }, {
          id: 0, runId: run.id, key: "build (1, a)", jobId: "build", name: "Build 1 a",
          matrix: { n: 1, os: "a", nested: { x: [1, 2] } }, needs: [], status: "queued", result: null,
          reason: null, outputs: {}, startedAt: null, finishedAt: null, attempt: 1,
        });
        const test = await s.createJob(newJob(run.id, "call/inner", { needs: ["build", "lint"] }));
        await s.createJob(newJob(other.id, "elsewhere"));
        assert.deepEqual(await s.getJob(test.id), test);
        assert.deepEqual(test.needs, ["build", "lint"]);
        assert.equal(test.matrix, null);
        assert.deepEqual(await s.listJobs(run.id), [build, test]);
        assert.deepEqual(await s.listJobs(999), []);
        assert.equal(await s.getJob(999), null);
      }));

      it("a job key is unique within its run but not across runs", withStore(async (s) => {
        const r1 = await s.createRun(newRun(), ME);
        const r2 = await s.createRun(newRun(), ME);
        await s.createJob(newJob(r1.id, "build"));
        await assert.rejects(s.createJob(newJob(r1.id, "build")));
        await s.createJob(newJob(r2.id, "build"));
        assert.equal((await s.listJobs(r1.id)).length, 1);
      }));

      it("createJob for an unknown run rejects", withStore(async (s) => {
        await assert.rejects(s.createJob(newJob(777, "build")));
      }));

      it("updateJob changes only the fields given", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "build"));
        const other = await s.createJob(newJob(run.id, "test"));
        const waiting = await s.updateJob(job.id, { status: "waiting" });
        assert.deepEqual(waiting, { ...job, status: "waiting" });
        const done = await s.updateJob(job.id, {
          name: "Build (linux)", status: "completed", result: "success", reason: null,
          outputs: { version: "1.2.3", empty: "" }, startedAt: "2024-01-01T00:00:01Z", finishedAt: "2024-01-01T00:00:02Z",
        });
        assert.deepEqual(done, {
          ...job, name: "Build (linux)", status: "completed", result: "success",
          outputs: { version: "1.2.3", empty: "" }, startedAt: "2024-01-01T00:00:01Z", finishedAt: "2024-01-01T00:00:02Z",
        });
        assert.deepEqual(await s.getJob(job.id), done);
        assert.deepEqual(await s.getJob(other.id), other, "other jobs untouched");
        await assert.rejects(s.updateJob(999, { status: "completed" }), NotFoundError);
      }));
    });

    describe("steps", () => {
      it("upsertStep inserts, replaces by (job, index), and listSteps orders by index", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "build"));
        const other = await s.createJob(newJob(run.id, "test"));
        await s.upsertStep(step(job.id, 2));
        await s.upsertStep(step(job.id, 0, { status: "in_progress", startedAt: "2024-01-01T00:00:00Z" }));
        await s.upsertStep(step(job.id, 1));
        await s.upsertStep(step(other.id, 0, { stepId: "x" }));
        const finished = step(job.id, 0, {
          status: "completed", outcome: "failure", conclusion: "success", name: "Renamed",
          startedAt: "2024-01-01T00:00:00Z", finishedAt: "2024-01-01T00:00:05Z",
        });
        await s.upsertStep(finished);
        assert.deepEqual(await s.listSteps(job.id), [finished, step(job.id, 1), step(job.id, 2)]);
        assert.deepEqual(await s.listSteps(other.id), [step(other.id, 0, { stepId: "x" })]);
        assert.deepEqual(await s.listSteps(999), []);
      }));

      it("upsertSteps applies a batch in order and keeps a step's start time once it finishes", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "build"));
        const started = step(job.id, 0, { status: "in_progress", startedAt: "2024-01-01T00:00:00Z" });
        const done = step(job.id, 0, { status: "completed", outcome: "success", conclusion: "success", startedAt: null, finishedAt: "2024-01-01T00:00:03Z" });
        await s.upsertSteps([started, step(job.id, 1), done]);
        const [first, second] = await s.listSteps(job.id);
        assert.equal(first?.status, "completed");
        assert.equal(first?.startedAt, "2024-01-01T00:00:00Z");
        assert.equal(first?.finishedAt, "2024-01-01T00:00:03Z");
        assert.deepEqual(second, step(job.id, 1));
        await s.upsertSteps([]);
      }));
    });

    describe("logs", () => {
      it("appendLogs numbers lines 1, 2, 3… per job, across batches, in the order given", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const a = await s.createJob(newJob(run.id, "a"));
        const b = await s.createJob(newJob(run.id, "b"));
        const first = await s.appendLogs([
          ...lines(a.id, ["a1"]), ...lines(b.id, ["b1"], null), ...lines(a.id, ["a2", "a3"], 1),
        ]);
        assert.deepEqual(first.map((l) => [l.jobId, l.seq, l.text]), [
          [a.id, 1, "a1"], [b.id, 1, "b1"], [a.id, 2, "a2"], [a.id, 3, "a3"],
        ]);
        const second = await s.appendLogs(lines(a.id, ["a4", "", "ünïcødé ✓ \t tabs"], 2));
        assert.deepEqual(second.map((l) => l.seq), [4, 5, 6]);
        assert.deepEqual(await s.appendLogs([]), []);

        const all = await s.readLogs(a.id);
        assert.deepEqual(all.map((l) => l.text), ["a1", "a2", "a3", "a4", "", "ünïcødé ✓ \t tabs"]);
        assert.deepEqual(all.map((l) => l.seq), [1, 2, 3, 4, 5, 6]);
        assert.deepEqual(all[0], { jobId: a.id, seq: 1, ts: "2024-01-01T00:00:00.000Z", text: "a1", stepIndex: 0 });
        assert.deepEqual(all.map((l) => l.stepIndex), [0, 1, 1, 2, 2, 2]);
        assert.deepEqual(await s.readLogs(b.id), [
          { jobId: b.id, seq: 1, ts: "2024-01-01T00:00:00.000Z", text: "b1", stepIndex: null },
        ]);
        assert.deepEqual([...first.filter((l) => l.jobId === a.id), ...second], all, "returned lines = stored lines");
      }));

      it("readLogs pages with afterSeq and limit", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "build"));
        await s.appendLogs(lines(job.id, Array.from({ length: 10 }, (_, i) => `line ${i + 1}`)));
        const seqs = async (q: Parameters<Store["readLogs"]>[1]) => (await s.readLogs(job.id, q)).map((l) => l.seq);
        assert.deepEqual(await seqs({ afterSeq: 7 }), [8, 9, 10]);
        assert.deepEqual(await seqs({ limit: 3 }), [1, 2, 3]);
        assert.deepEqual(await seqs({ afterSeq: 3, limit: 2 }), [4, 5]);
        assert.deepEqual(await seqs({ afterSeq: 10 }), []);
        assert.deepEqual(await seqs({ afterSeq: 0, limit: 0 }), []);
        assert.deepEqual(await s.readLogs(999), []);
      }));

      it("a batch is all or nothing", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "build"));
        await s.appendLogs(lines(job.id, ["kept"]));
        await assert.rejects(s.appendLogs([...lines(job.id, ["lost 1", "lost 2"]), ...lines(99999, ["no such job"])]));
        assert.deepEqual((await s.readLogs(job.id)).map((l) => l.text), ["kept"]);
        const next = await s.appendLogs(lines(job.id, ["after"]));
        assert.equal(next[0]?.seq, 2, "no seq was consumed by the failed batch");
      }));

      it("takes 200,000 lines from one job", { timeout: 20_000 }, withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        const job = await s.createJob(newJob(run.id, "noisy"));
        const batch = 50_000;
        for (let b = 0; b < 4; b++) {
          await s.appendLogs(lines(job.id, Array.from({ length: batch }, (_, i) => `line ${b * batch + i + 1}`)));
        }
        const tail = await s.readLogs(job.id, { afterSeq: 199_998 });
        assert.deepEqual(tail.map((l) => [l.seq, l.text]), [[199_999, "line 199999"], [200_000, "line 200000"]]);
        const all = await s.readLogs(job.id);
        assert.equal(all.length, 200_000);
        assert.ok(all.every((l, i) => l.seq === i + 1 && l.text === `line ${i + 1}`));
      }));
    });

    describe("recoverInterrupted", () => {
      const DEAD: Owner = { pid: 1001, host: "host-a" };
      const ALIVE: Owner = { pid: 1002, host: "host-a" };
      const OTHER_HOST_SAME_PID: Owner = { pid: 1001, host: "host-b" };
      const isAlive = (o: Owner) => !(o.pid === DEAD.pid && o.host === DEAD.host);

      it("closes the unfinished runs, jobs and steps of dead owners only", withStore(async (s) => {
        const t0 = "2024-01-01T00:00:00.000Z";
        // The dead owner's run, interrupted in the middle of a job.
        const hit = await s.updateRun((await s.createRun(newRun(), DEAD)).id, { status: "in_progress", startedAt: t0 });
        const okJob = await s.updateJob((await s.createJob(newJob(hit.id, "ok"))).id,
          { status: "completed", result: "success", finishedAt: t0 });
        const running = await s.updateJob((await s.createJob(newJob(hit.id, "running"))).id,
          { status: "in_progress", startedAt: t0 });
        const queued = await s.createJob(newJob(hit.id, "queued"));
        const waiting = await s.updateJob((await s.createJob(newJob(hit.id, "waiting"))).id, { status: "waiting" });
        const doneStep = step(running.id, 0, { status: "completed", outcome: "success", conclusion: "success", finishedAt: t0 });
        await s.upsertStep(doneStep);
        await s.upsertStep(step(running.id, 1, { status: "in_progress", startedAt: t0 }));
        await s.upsertStep(step(running.id, 2));
        // The dead owner's finished run, and one killed between closing the run and closing a job.
        const finished = await s.updateRun((await s.createRun(newRun(), DEAD)).id, { status: "completed", result: "success" });
        const halfClosed = await s.updateRun((await s.createRun(newRun(), DEAD)).id, { status: "completed", result: "failure" });
        const strayJob = await s.updateJob((await s.createJob(newJob(halfClosed.id, "stray"))).id, { status: "in_progress" });
        // Owners that are alive, or only look alike.
        const live = await s.updateRun((await s.createRun(newRun(), ALIVE)).id, { status: "in_progress" });
        const liveJob = await s.updateJob((await s.createJob(newJob(live.id, "j"))).id, { status: "in_progress" });
        await s.upsertStep(step(liveJob.id, 0, { status: "in_progress" }));
        const elsewhere = await s.createRun(newRun(), OTHER_HOST_SAME_PID);

        const asked: Owner[] = [];
        const closed = await s.recoverInterrupted((o) => (asked.push(o), isAlive(o)));
        assert.deepEqual(closed, [hit.id]);
        assert.equal(asked.filter((o) => o.pid === DEAD.pid && o.host === DEAD.host).length, 1, "asked once per owner");

        const run = await s.getRun(hit.id);
        assert.ok(run);
        assert.equal(run.status, "completed");
        assert.equal(run.result, "cancelled");
        assert.equal(run.reason, INTERRUPTED_REASON);
        assert.equal(run.startedAt, t0);
        assert.ok(run.finishedAt !== null && !Number.isNaN(Date.parse(run.finishedAt)));

        const jobs = new Map((await s.listJobs(hit.id)).map((j) => [j.key, j]));
        assert.deepEqual(jobs.get("ok"), okJob, "finished jobs keep their result");
        for (const j of [running, queued, waiting]) {
          const got = jobs.get(j.key);
          assert.ok(got);
          assert.deepEqual([got.status, got.result, got.reason], ["completed", "cancelled", INTERRUPTED_REASON], j.key);
          assert.ok(got.finishedAt !== null);
        }
        assert.equal(jobs.get("running")?.startedAt, t0);

        const steps = await s.listSteps(running.id);
        assert.deepEqual(steps[0], doneStep, "finished steps keep their outcome");
        for (const st of steps.slice(1)) {
          assert.deepEqual([st.status, st.outcome, st.conclusion], ["completed", "cancelled", "cancelled"]);
          assert.ok(st.finishedAt !== null);
        }

        assert.deepEqual(await s.getRun(finished.id), finished);
        assert.deepEqual(await s.getRun(halfClosed.id), halfClosed, "a closed run keeps its result");
        const stray = await s.getJob(strayJob.id);
        assert.deepEqual([stray?.status, stray?.result, stray?.reason], ["completed", "cancelled", INTERRUPTED_REASON]);

        assert.deepEqual(await s.getRun(live.id), live);
        assert.deepEqual(await s.getJob(liveJob.id), liveJob);
        assert.equal((await s.listSteps(liveJob.id))[0]?.status, "in_progress");
        assert.deepEqual(await s.getRun(elsewhere.id), elsewhere);

        assert.deepEqual(await s.recoverInterrupted(isAlive), [], "nothing left to close");
      }));

      it("asks about nobody when nothing is open", withStore(async (s) => {
        await s.updateRun((await s.createRun(newRun(), DEAD)).id, { status: "completed", result: "success" });
        let asked = 0;
        assert.deepEqual(await s.recoverInterrupted(() => (asked++, false)), []);
        assert.equal(asked, 0);
      }));
    });

    describe("close", () => {
      it("is idempotent, and later calls reject", withStore(async (s) => {
        const run = await s.createRun(newRun(), ME);
        await s.close();
        await s.close();
        await assert.rejects(s.getRun(run.id));
        await assert.rejects(s.createRun(newRun(), ME));
      }));
    });

    describe("two stores on one database", () => {
      it("allocate distinct run numbers and see each other's writes", withStore(async (s, h) => {
        if (!h.openAnother) return;
        const t = await h.openAnother();
        try {
          const made = await Promise.all(
            Array.from({ length: 30 }, (_, i) => (i % 2 ? s : t).createRun(newRun({ repo: i % 3 ? "/a" : "/b" }), ME)),
          );
          const numbers = (repo: string) => made.filter((r) => r.repo === repo).map((r) => r.runNumber).sort((x, y) => x - y);
          assert.deepEqual(numbers("/a"), Array.from({ length: 20 }, (_, i) => i + 1));
          assert.deepEqual(numbers("/b"), Array.from({ length: 10 }, (_, i) => i + 1));
          const last = made[made.length - 1];
          assert.ok(last);
          assert.deepEqual(await s.getRun(last.id), await t.getRun(last.id));
          assert.equal((await t.listRuns()).length, 30);
        } finally {
          await t.close();
        }
      }));

      it("number one job's lines without gaps or repeats", withStore(async (s, h) => {
        if (!h.openAnother) return;
        const t = await h.openAnother();
        try {
          const run = await s.createRun(newRun(), ME);
          const job = await t.createJob(newJob(run.id, "build"));
          await Promise.all(Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? s : t).appendLogs(lines(job.id, [`${i}.1`, `${i}.2`, `${i}.3`]))));
          const got = await s.readLogs(job.id);
          assert.deepEqual(got.map((l) => l.seq), Array.from({ length: 60 }, (_, i) => i + 1));
          // Each batch stays contiguous: a batch is one transaction.
          for (let i = 0; i < 60; i += 3) {
            assert.deepEqual(got.slice(i, i + 3).map((l) => l.text.split(".")[1]), ["1", "2", "3"]);
          }
          assert.deepEqual(await t.readLogs(job.id), got);
        } finally {
          await t.close();
        }
      }));

      it("recover once between them", withStore(async (s, h) => {
        if (!h.openAnother) return;
        const t = await h.openAnother();
        try {
          const run = await s.createRun(newRun(), { pid: 1, host: "gone" });
          const both = await Promise.all([s.recoverInterrupted(() => false), t.recoverInterrupted(() => false)]);
          assert.deepEqual(both.flat(), [run.id], "only one of them reports the run");
          assert.equal((await t.getRun(run.id))?.result, "cancelled");
        } finally {
          await t.close();
        }
      }));
    });
  });
}
