/**
 * A second process for sqlite.test.ts, run as `node --import tsx child-writer.ts <mode> <db> …`.
 *   kill <db>               start a run, a job, a step and 1,000 log lines, then SIGKILL itself
 *   race <db> <jobId> <n>   print "ready", wait for a line on stdin, then create n runs and append
 *                           two lines per run to job <jobId>; print the run numbers as JSON
 */
import { createInterface } from "node:readline";
import { currentOwner } from "../../src/store/owner.ts";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import { lines, newJob, newRun, step } from "./records.ts";

const [mode, db, ...rest] = process.argv.slice(2);
if (db === undefined) throw new Error("usage: child-writer.ts <mode> <db> …");
const store = await openSqliteStore(db);

if (mode === "kill") {
  const run = await store.createRun(newRun({ repo: "/killed" }), currentOwner());
  await store.updateRun(run.id, { status: "in_progress", startedAt: new Date().toISOString() });
  const job = await store.createJob(newJob(run.id, "build"));
  await store.updateJob(job.id, { status: "in_progress" });
  await store.upsertStep(step(job.id, 0, { status: "in_progress" }));
  await store.appendLogs(lines(job.id, Array.from({ length: 500 }, (_, i) => `line ${i + 1}`)));
  await store.appendLogs(lines(job.id, Array.from({ length: 500 }, (_, i) => `line ${i + 501}`)));
  // No close, no exit handlers: what was written must already be safe.
  process.kill(process.pid, "SIGKILL");
} else if (mode === "race") {
  const jobId = Number(rest[0]);
  const n = Number(rest[1]);
  process.stdout.write("ready\n");
  const input = createInterface({ input: process.stdin });
  await new Promise((resolve) => input.once("line", resolve));
  input.close();
  const numbers: number[] = [];
  for (let i = 0; i < n; i++) {
    numbers.push((await store.createRun(newRun({ repo: "/race" }), currentOwner())).runNumber);
    await store.appendLogs(lines(jobId, [`${process.pid} ${i} a`, `${process.pid} ${i} b`]));
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(numbers)}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
