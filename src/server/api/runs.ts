/** GitHub's workflow-run endpoints: list, get, jobs, cancel, re-run; plus Slipway's job graph. */
import path from "node:path";
import { ConflictError, ForbiddenError, NotFoundError } from "../../common/errors.ts";
import { RESULTS, type Result, type RunFilter, type RunRecord, type Status } from "../../store/store.ts";
import { currentOwner } from "../../store/owner.ts";
import type { App } from "../app.ts";
import type { Router } from "../http/router.ts";
import { linkHeader, pageOf, type Page } from "../http/pages.ts";
import type { Caller } from "../auth/caller.ts";
import { viewableRepos } from "../auth/visible.ts";
import { currentJobs, jobOf, repoOf, runOf } from "./lookup.ts";
import { workflowId } from "../queue/workflow-run-trigger.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { JobRecord } from "../../store/store.ts";
import { jobShape, runShape } from "./shapes.ts";
import { carriedJobs } from "./rerun.ts";

const V3 = "/api/v3/repos/:owner/:repo/actions";

export function runRoutes(app: App, r: Router): void {
  r.add("GET", `${V3}/runs`, "viewer", async ({ url, params }) => listRuns(app, url, (await repoOf(app, params)).fullName));
  r.add("GET", `${V3}/workflows/:workflow/runs`, "viewer", async ({ url, params }) => {
    const repo = await repoOf(app, params);
    return listRuns(app, url, repo.fullName, params.workflow);
  });
  r.add("GET", "/api/slipway/runs", "user", async ({ url, caller }) => {
    const repo = url.searchParams.get("repo") || undefined;
    if (repo) await (caller as Caller).require(repo, "viewer");
    // Every repository's runs, but only those of the repositories the caller may view.
    const among = repo ? null : await viewableRepos(app.store, caller as Caller);
    return listRuns(app, url, repo, url.searchParams.get("workflow") || undefined, among);
  });
  r.add("GET", `${V3}/runs/:run_id`, "viewer", async ({ params }) => {
    const { repo, run } = await runOf(app, params);
    return { status: 200, json: runShape(run, repo, app.baseUrl()) };
  });
  r.add("GET", `${V3}/runs/:run_id/attempts/:attempt`, "viewer", async ({ params }) => {
    const { repo, run } = await runOf(app, params);
    const n = attemptOf(run, params.attempt);
    // An earlier attempt: the run as it is, numbered as that attempt (Slipway keeps each attempt's jobs, not its run record).
    return { status: 200, json: { ...runShape(run, repo, app.baseUrl()), run_attempt: n, previous_attempt_url: n > 1 ? `${app.baseUrl()}/api/v3/repos/${repo.fullName}/actions/runs/${run.id}/attempts/${n - 1}` : null } };
  });
  r.add("GET", `${V3}/runs/:run_id/attempts/:attempt/jobs`, "viewer", async ({ params, url }) => {
    const { repo, run } = await runOf(app, params);
    const n = attemptOf(run, params.attempt);
    return jobsPage(app, url, repo, run, (await app.store.listJobs(run.id)).filter((j) => j.attempt === n));
  });
  r.add("GET", `${V3}/runs/:run_id/jobs`, "viewer", async ({ params, url }) => {
    const { repo, run } = await runOf(app, params);
    const all = url.searchParams.get("filter") === "all";
    return jobsPage(app, url, repo, run, all ? await app.store.listJobs(run.id) : await currentJobs(app, run));
  });
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/jobs/:job_id", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const { job, run } = await jobOf(app, params.job_id, repo);
    return { status: 200, json: jobShape(job, await app.store.listSteps(job.id), run, repo, app.baseUrl()) };
  });
  r.add("GET", "/api/slipway/repos/:owner/:repo/runs/:run_id/graph", "viewer", async ({ params }) => {
    const { run } = await runOf(app, params);
    return { status: 200, json: await graphOf(app, run) };
  });
  r.add("POST", `${V3}/runs/:run_id/cancel`, "developer", async ({ params, caller }) => {
    const { run } = await runOf(app, params);
    if (run.status === "completed") throw new ConflictError("Cannot cancel a workflow run that is completed.");
    if (!app.runs.cancel(run.id, `cancelled by ${caller?.name ?? "a user"}`)) await app.store.updateRun(run.id, { status: "completed", result: "cancelled", reason: "cancelled before it started", finishedAt: new Date().toISOString() });
    return { status: 202, json: {} };
  });
  r.add("POST", `${V3}/runs/:run_id/rerun`, "developer", async ({ params, caller }) => {
    const { run } = await runOf(app, params);
    await rerun(app, run, false, caller?.name ?? null);
    return { status: 201, json: {} };
  });
  r.add("POST", `${V3}/runs/:run_id/rerun-failed-jobs`, "developer", async ({ params, caller }) => {
    const { run } = await runOf(app, params);
    await rerun(app, run, true, caller?.name ?? null);
    return { status: 201, json: {} };
  });
}

/** `among`: only runs of these repositories (null: any). */
async function listRuns(app: App, url: URL, repo: string | undefined, workflow?: string, among: string[] | null = null) {
  const q = url.searchParams;
  const filter: RunFilter = { repo };
  if (workflow) filter.workflowFile = workflow.includes("/") ? workflow : await workflowPath(app, repo, workflow);
  if (q.get("event")) filter.event = q.get("event") as string;
  if (q.get("branch")) filter.ref = `refs/heads/${q.get("branch")}`;
  if (q.get("head_sha")) filter.sha = q.get("head_sha") as string;
  if (q.get("actor")) filter.actor = q.get("actor") as string;
  const status = q.get("status") || q.get("result");
  if (status) {
    if ((RESULTS as readonly string[]).includes(status)) filter.result = status as Result;
    else filter.status = status as Status;
  }
  const page = pageOf(url);
  const { runs, total } = among === null ? await runsPage(app, filter, page) : await runsPageAmong(app, filter, page, among);
  const repos = new Map<string, Awaited<ReturnType<typeof app.store.getRepo>>>();
  const shaped = [];
  for (const run of runs) {
    if (!repos.has(run.repo)) repos.set(run.repo, await app.store.getRepo(run.repo));
    const rec = repos.get(run.repo);
    if (rec) shaped.push(runShape(run, rec, app.baseUrl()));
  }
  return { status: 200, json: { total_count: total, workflow_runs: shaped }, headers: linkHeader(url, page, total) };
}

async function runsPage(app: App, filter: RunFilter, page: Page): Promise<{ runs: RunRecord[]; total: number }> {
  const [runs, total] = await Promise.all([app.store.listRuns({ ...filter, limit: page.perPage, offset: page.offset }), app.store.countRuns(filter)]);
  return { runs, total };
}

/**
 * A page of the newest runs of several repositories: each one's newest up to the page's end, merged by
 * id (ids grow with time). The store filters by one repository at a time.
 */
async function runsPageAmong(app: App, filter: RunFilter, page: Page, repos: string[]): Promise<{ runs: RunRecord[]; total: number }> {
  const end = page.offset + page.perPage;
  const lists = await Promise.all(repos.map((repo) => app.store.listRuns({ ...filter, repo, limit: end })));
  const counts = await Promise.all(repos.map((repo) => app.store.countRuns({ ...filter, repo })));
  const runs = lists.flat().sort((a, b) => b.id - a.id).slice(page.offset, end);
  return { runs, total: counts.reduce((a, b) => a + b, 0) };
}

/** One page of jobs in GitHub's `{total_count, jobs}` shape, with its `Link` header. */
async function jobsPage(app: App, url: URL, repo: RepoRecord, run: RunRecord, jobs: JobRecord[]) {
  const page = pageOf(url);
  const shown = await Promise.all(jobs.slice(page.offset, page.offset + page.perPage).map(async (j) => jobShape(j, await app.store.listSteps(j.id), run, repo, app.baseUrl())));
  return { status: 200, json: { total_count: jobs.length, jobs: shown }, headers: linkHeader(url, page, jobs.length) };
}

/** `ci.yml` or a workflow's number → its path; GitHub accepts either as `workflow_id`. */
async function workflowPath(app: App, repo: string | undefined, idOrFile: string): Promise<string> {
  if (/^\d+$/.test(idOrFile) && repo) {
    const runs = await app.store.listRuns({ repo });
    const hit = runs.find((r) => workflowId(repo, r.workflowFile) === Number(idOrFile));
    if (hit) return hit.workflowFile;
  }
  return path.posix.join(".github/workflows", idOrFile);
}

/** The one who re-runs becomes the run's actor: environments' self-review rule looks at them. */
async function rerun(app: App, run: RunRecord, onlyFailed: boolean, actor: string | null): Promise<void> {
  if (run.status !== "completed" || app.runs.isLive(run.id)) throw new ForbiddenError("This workflow is already running");
  const carried = onlyFailed ? await carriedJobs(app, run) : undefined;
  if (onlyFailed && carried === null) throw new ConflictError("This workflow run has no failed jobs to re-run");
  const owner = currentOwner();
  await app.store.updateRun(run.id, { status: "queued", result: null, reason: null, runAttempt: run.runAttempt + 1, startedAt: null, finishedAt: null, ownerPid: owner.pid, ownerHost: owner.host, actor: actor ?? run.actor ?? undefined });
  app.queue.startRun(run.id, carried ?? undefined);
}

interface PlanNode {
  id: string;
  name: string;
  needs: string[];
  matrix: boolean;
}

/** The declared graph with each job's instances of the current attempt, for the dashboard. */
async function graphOf(app: App, run: RunRecord) {
  const plan = (run.plan as { jobs?: PlanNode[] } | undefined)?.jobs ?? [];
  const jobs = await currentJobs(app, run);
  return {
    jobs: plan.map((n) => ({
      id: n.id,
      name: n.name,
      needs: n.needs,
      instances: jobs
        .filter((j) => j.jobId === n.id || j.jobId.startsWith(`${n.id}/`))
        .map((j) => ({ job_id: j.id, name: j.name, matrix: j.matrix, status: j.status, conclusion: j.status === "completed" ? j.result : null })),
    })),
  };
}

function attemptOf(run: RunRecord, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > run.runAttempt) throw new NotFoundError("Not Found");
  return n;
}
