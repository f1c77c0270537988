/** Finding what a path names, with GitHub's 404 for anything unknown (or in another repository). */
import { NotFoundError } from "../../common/errors.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { JobRecord, RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";

export async function repoOf(app: App, params: Record<string, string>): Promise<RepoRecord> {
  const repo = await app.store.getRepo(`${params.owner}/${params.repo}`);
  if (!repo) throw new NotFoundError("Not Found");
  return repo;
}

export async function runOf(app: App, params: Record<string, string>): Promise<{ repo: RepoRecord; run: RunRecord }> {
  const repo = await repoOf(app, params);
  const id = Number(params.run_id);
  const run = Number.isInteger(id) ? await app.store.getRun(id) : null;
  if (!run || run.repo !== repo.fullName) throw new NotFoundError("Not Found");
  return { repo, run };
}

export async function jobOf(app: App, id: string | undefined, repo?: RepoRecord): Promise<{ job: JobRecord; run: RunRecord }> {
  const n = Number(id);
  const job = Number.isInteger(n) ? await app.store.getJob(n) : null;
  const run = job ? await app.store.getRun(job.runId) : null;
  if (!job || !run || (repo && run.repo !== repo.fullName)) throw new NotFoundError("Not Found");
  return { job, run };
}

/** The jobs of the run's current attempt. */
export async function currentJobs(app: App, run: RunRecord): Promise<JobRecord[]> {
  return (await app.store.listJobs(run.id)).filter((j) => j.attempt === run.runAttempt);
}
