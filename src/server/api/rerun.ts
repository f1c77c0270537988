/**
 * Re-running failed jobs: the failed or cancelled jobs and everything that needs them run again; the
 * rest keep their results and outputs from the last attempt, as GitHub does.
 */
import type { CarriedJob } from "../../run/engine.ts";
import { combineResults, type Result } from "../../run/types.ts";
import type { JobRecord, RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import { currentJobs } from "./lookup.ts";

/** The jobs to keep, or null when nothing failed. */
export async function carriedJobs(app: App, run: RunRecord): Promise<Map<string, CarriedJob> | null> {
  const plan = ((run.plan as { jobs?: Array<{ id: string; needs: string[] }> } | undefined)?.jobs) ?? [];
  const jobs = await currentJobs(app, run);
  const top = (jobId: string) => jobId.split("/")[0] as string;
  const failed = new Set(jobs.filter((j) => j.result === "failure" || j.result === "cancelled").map((j) => top(j.jobId)));
  if (failed.size === 0) return null;
  // Everything downstream of a failed job runs again too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of plan) {
      if (!failed.has(n.id) && n.needs.some((x) => failed.has(x))) {
        failed.add(n.id);
        grew = true;
      }
    }
  }
  const carried = new Map<string, CarriedJob>();
  for (const n of plan) {
    if (failed.has(n.id)) continue;
    const mine = jobs.filter((j) => top(j.jobId) === n.id);
    if (mine.length) carried.set(n.id, carriedJob(n.id, mine));
  }
  return carried;
}

/** A job of an earlier attempt (its instances, or a called workflow's jobs) as the engine takes it back. */
export function carriedJob(id: string, mine: JobRecord[]): CarriedJob {
  const mains = mine.filter((j) => j.jobId === id);
  const outputs: Record<string, string> = {};
  for (const j of mains) Object.assign(outputs, j.outputs);
  return {
    outcome: { result: combineResults(mains.map((j) => (j.result ?? "skipped") as Result)), outputs },
    reports: mine.map((j) => ({ id: j.jobId, name: j.name, matrix: j.matrix, result: (j.result ?? "skipped") as Result, outputs: j.outputs, steps: [], durationMs: 0, carried: true, ...(j.reason ? { reason: j.reason } : {}) })),
  };
}
