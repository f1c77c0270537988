/**
 * After a restart: runs that were only waiting for a review (no job running) when their server stopped
 * or died keep waiting. They are claimed before interrupted runs are closed, then started again with
 * their finished jobs carried over; the waiting jobs find their review (and its timer) in the store.
 */
import os from "node:os";
import type { CarriedJob } from "../../run/engine.ts";
import { carriedJob } from "../api/rerun.ts";
import type { Owner, RunRecord, Store } from "../../store/store.ts";
import type { ServerStore } from "../../store/server-store.ts";
import type { App } from "../app.ts";

/** Claims the runs to resume (this process becomes their owner); returns their ids. */
export async function claimWaitingRuns(store: Store & ServerStore, isAlive: (o: Owner) => boolean): Promise<number[]> {
  const open = await unreleasedReviews(store);
  const runIds = [...new Set(open.map((r) => r.runId))];
  const claimed: number[] = [];
  for (const id of runIds) {
    const run = await store.getRun(id);
    if (!run || run.status === "completed") continue;
    if (run.ownerPid !== null && isAlive({ pid: run.ownerPid, host: run.ownerHost ?? "" })) continue;
    const jobs = (await store.listJobs(id)).filter((j) => j.attempt === run.runAttempt);
    if (jobs.some((j) => j.status === "in_progress") || !jobs.some((j) => j.status === "waiting")) continue;
    await store.updateRun(id, { ownerPid: process.pid, ownerHost: os.hostname() });
    claimed.push(id);
  }
  return claimed;
}

/** Every job of the run's current attempt whose instances all finished, as a re-run of failed jobs keeps them. */
export async function finishedJobs(app: App, run: RunRecord): Promise<Map<string, CarriedJob>> {
  const jobs = (await app.store.listJobs(run.id)).filter((j) => j.attempt === run.runAttempt);
  const top = (jobId: string) => jobId.split("/")[0] as string;
  const carried = new Map<string, CarriedJob>();
  for (const id of new Set(jobs.map((j) => top(j.jobId)))) {
    const mine = jobs.filter((j) => top(j.jobId) === id);
    if (mine.every((j) => j.status === "completed")) carried.set(id, carriedJob(id, mine));
  }
  return carried;
}

/** Reviews and deployments of runs that did not survive (interrupted, cancelled) are closed, not left waiting. */
export async function closeOrphanReviews(store: Store & ServerStore): Promise<void> {
  for (const rv of await unreleasedReviews(store)) {
    const run = await store.getRun(rv.runId);
    if (run && run.status !== "completed" && run.runAttempt === rv.runAttempt) continue;
    if (rv.state === "waiting") await store.environments.decideReview(rv.id, { state: "cancelled", reviewer: null, comment: run?.reason ?? "the run ended", bypass: false });
    for (const d of await store.environments.listDeployments(rv.repo, { runId: rv.runId, environment: rv.environment, limit: 100 })) {
      if (d.state === "waiting" || d.state === "queued") {
        await store.environments.addDeploymentStatus({ deploymentId: d.id, state: "inactive", description: run?.reason ?? "the run ended", environmentUrl: null, logUrl: null, creator: "slipway" });
      }
    }
  }
}

/** Reviews whose jobs may still wait: undecided, or approved with a wait timer perhaps still running. */
async function unreleasedReviews(store: Store & ServerStore) {
  return [...(await store.environments.listReviews({ state: "waiting" })), ...(await store.environments.listReviews({ state: "approved" }))];
}
