// One run: header, re-run / cancel, live job graph, jobs and artifacts. Refreshes every second
// while the run is not completed, then slowly (someone else may re-run it).
import { mayOn } from "../access.ts";
import { ApiError, api, get, sw, v3 } from "../api.ts";
import type { RunEnvironment } from "../gov-types.ts";
import { drawGraph, type EnvOf } from "../graph.ts";
import { poller } from "../poll.ts";
import { jobHref, repoHref, runsHref, splitFullName, workflowFile } from "../routes.ts";
import type { Artifact, GraphNode, Job, Run } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { downloadWithToken } from "../ui/download.ts";
import { bytes, elapsedEl, localTime, timeEl } from "../ui/format.ts";
import { isDone, stateLabel, stateOf, statusIcon } from "../ui/status.ts";
import { reconcileRows } from "../ui/table.ts";
import { httpUrl } from "../ui/links.ts";
import type { PageContext } from "./page.ts";
import { reviewPanels } from "./run-reviews.ts";

interface RunRoute {
  owner: string;
  repo: string;
  runId: number;
}

export function mountRun(ctx: PageContext, route: RunRoute): void {
  const { owner, repo, runId } = route;
  const base = `${v3(owner, repo)}/actions/runs/${runId}`;
  const link = (jobId: number): string => jobHref(owner, repo, runId, jobId);

  const header = h("div", { class: "run-head" });
  const message = h("div", { class: "action-msg" });
  const rerunAll = h("button", { class: "btn", "data-testid": "rerun-all", disabled: true }, "Re-run all jobs");
  const rerunFailed = h("button", { class: "btn", "data-testid": "rerun-failed", disabled: true }, "Re-run failed jobs");
  const cancel = h("button", { class: "btn danger", "data-testid": "cancel-run", disabled: true }, "Cancel run");
  const graph = h("div", { class: "graph-wrap" }, h("div", { class: "muted" }, "Loading…"));
  const jobsBody = h("tbody");
  const artifacts = h("div", { class: "artifacts" });
  const errors = h("div");
  const reviews = reviewPanels(owner, repo, runId, ctx.signal, () => refresh.kick());
  let mayRun = true;
  void mayOn(`${owner}/${repo}`, "developer").then((ok) => (mayRun = ok));

  ctx.root.append(
    h("nav", { class: "crumbs" }, h("a", { href: repoHref(owner, repo) }, `${owner}/${repo}`), " / ", h("a", { href: runsHref({ repo: `${owner}/${repo}` }) }, "runs"), ` / #${runId}`),
    errors,
    header,
    h("div", { class: "toolbar" }, rerunAll, rerunFailed, cancel, message),
    reviews.el,
    h("section", { class: "card" }, h("h2", null, "Jobs graph"), graph),
    h(
      "section",
      { class: "card" },
      h("h2", null, "Jobs"),
      h("table", { class: "table jobs", "data-testid": "jobs-table" }, h("thead", null, h("tr", null, h("th", { class: "col-icon" }), h("th", null, "Job"), h("th", null, "Runs on"), h("th", null, "Started"), h("th", null, "Duration"))), jobsBody),
    ),
    h("section", { class: "card" }, h("h2", null, "Artifacts"), artifacts),
  );

  let artifactsFor = "";
  const refresh = poller(ctx.signal, async () => {
    try {
      const [run, jobs, g, envs] = await Promise.all([
        get<Run>(base, ctx.signal),
        get<{ jobs: Job[] }>(`${base}/jobs`, ctx.signal),
        get<{ jobs: GraphNode[] }>(`${sw(owner, repo)}/runs/${runId}/graph`, ctx.signal),
        runEnvironments(owner, repo, runId, ctx.signal),
      ]);
      errors.replaceChildren();
      const done = isDone(run.status);
      renderHeader(header, run);
      reviews.update(envs);
      drawGraph(graph, g.jobs, done, link, envOfNode(envs));
      if (!g.jobs.length) clear(graph, h("div", { class: "muted" }, "No jobs."));
      reconcileRows(jobsBody, jobs.jobs, (j) => String(j.id), jobSignature, (j) => jobRow(j, link));
      setButtons(run, jobs.jobs);
      // Artifacts appear as jobs finish; look again when the run's state or attempt moves on.
      const key = `${run.status}|${run.run_attempt}|${jobs.jobs.filter((j) => isDone(j.status)).length}`;
      if (key !== artifactsFor) {
        artifactsFor = key;
        void loadArtifacts(artifacts, base, ctx.signal);
      }
      return done ? 10000 : 1000;
    } catch (e) {
      if (ctx.signal.aborted) return null;
      clear(errors, notice("error", errorText(e)));
      return 5000;
    }
  });

  function setButtons(run: Run, jobs: Job[]): void {
    const done = isDone(run.status);
    const failed = jobs.some((j) => j.conclusion === "failure" || j.conclusion === "cancelled" || j.conclusion === "timed_out");
    rerunAll.disabled = !done || !mayRun;
    rerunFailed.disabled = !done || !mayRun || !(failed || run.conclusion === "failure" || run.conclusion === "cancelled");
    cancel.disabled = done || !mayRun;
    for (const b of [rerunAll, rerunFailed, cancel]) b.title = mayRun ? "" : `Needs the developer role on ${owner}/${repo}`;
  }

  const act = (button: HTMLButtonElement, path: string, done: string): void => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      message.replaceChildren();
      try {
        await api("POST", `${base}/${path}`, undefined, ctx.signal);
        message.append(notice("ok", done, "action-ok"));
      } catch (e) {
        message.append(notice("error", errorText(e), "action-error"));
      }
      refresh.kick();
    });
  };
  act(rerunAll, "rerun", "Re-run requested.");
  act(rerunFailed, "rerun-failed-jobs", "Re-run of failed jobs requested.");
  act(cancel, "cancel", "Cancellation requested.");
}

/** The environments the run deploys to; an empty list from a server without environments. */
async function runEnvironments(owner: string, repo: string, runId: number, signal: AbortSignal): Promise<RunEnvironment[]> {
  try {
    return await get<RunEnvironment[]>(`${sw(owner, repo)}/runs/${runId}/environments`, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  }
}

/** Matches graph nodes to environments by the job names the environments answer lists. */
function envOfNode(envs: RunEnvironment[]): EnvOf {
  if (!envs.length) return () => null;
  return (node) => {
    const names = new Set([node.id, node.name, ...node.instances.map((i) => i.name)]);
    for (const env of envs) {
      const jobs = [...env.jobs, ...env.deployments.map((d) => d.job ?? "")];
      if (!jobs.some((j) => names.has(j))) continue;
      const dep = env.deployments.find((d) => d.url && names.has(d.job ?? "")) ?? env.deployments.find((d) => d.url);
      return { name: env.environment, url: httpUrl(dep?.url), waiting: env.state === "waiting" };
    }
    return null;
  };
}

function renderHeader(header: HTMLElement, run: Run): void {
  const state = stateOf(run.status, run.conclusion);
  const sig = [run.status, run.conclusion, run.run_attempt, run.display_title, run.updated_at].join("|");
  if (header.dataset["sig"] === sig) return;
  header.dataset["sig"] = sig;
  const [owner, repo] = splitFullName(run.repository.full_name);
  const file = workflowFile(run.path);
  clear(
    header,
    h(
      "div",
      { class: `run-title state-${state}`, "data-testid": "run-status", "data-status": run.status ?? "", "data-conclusion": run.conclusion ?? "" },
      statusIcon(state),
      h("h1", null, run.display_title || run.name || run.path),
      h("span", { class: `badge state-${state}` }, stateLabel(state)),
    ),
    h(
      "dl",
      { class: "meta" },
      item("Workflow", h("a", { href: runsHref({ repo: `${owner}/${repo}`, workflow: file }) }, `${run.name || file} #${run.run_number}`)),
      run.run_attempt && run.run_attempt > 1 ? item("Attempt", String(run.run_attempt)) : null,
      item("Event", run.event),
      run.head_branch ? item("Branch", h("span", { class: "branch" }, run.head_branch)) : null,
      item("Commit", h("code", { title: run.head_sha }, run.head_sha.slice(0, 7))),
      run.actor ? item("Actor", run.actor.login) : null,
      item("Started", timeEl(run.run_started_at ?? run.created_at), h("span", { class: "muted small" }, ` ${localTime(run.run_started_at ?? run.created_at)}`)),
      item("Duration", elapsedEl(run.run_started_at ?? run.created_at, isDone(run.status) ? run.updated_at : null)),
    ),
  );
}

function item(term: string, ...value: (Node | string)[]): HTMLElement {
  return h("div", null, h("dt", null, term), h("dd", null, ...value));
}

const jobSignature = (j: Job): string => [j.name, j.status, j.conclusion, j.started_at, j.completed_at, j.labels.join(",")].join("|");

function jobRow(job: Job, link: (id: number) => string): HTMLTableRowElement {
  const state = stateOf(job.status, job.conclusion);
  return h(
    "tr",
    { "data-testid": "job-row", "data-job-id": job.id, "data-status": job.status, "data-conclusion": job.conclusion ?? "", class: `state-${state}` },
    h("td", { class: "col-icon" }, statusIcon(state)),
    h("td", null, h("a", { class: "title", href: link(job.id) }, job.name)),
    h("td", null, job.labels.map((l) => h("span", { class: "chip" }, l))),
    h("td", null, job.started_at ? timeEl(job.started_at) : h("span", { class: "muted" }, stateLabel(state))),
    h("td", null, job.started_at ? elapsedEl(job.started_at, job.completed_at) : ""),
  );
}

async function loadArtifacts(holder: HTMLElement, base: string, signal: AbortSignal): Promise<void> {
  try {
    const res = await get<{ artifacts: Artifact[] }>(`${base}/artifacts`, signal);
    if (!res.artifacts.length) {
      clear(holder, h("div", { class: "muted" }, "No artifacts."));
      return;
    }
    clear(holder, h("ul", { class: "list" }, res.artifacts.map(artifactItem)));
  } catch (e) {
    if (!signal.aborted) clear(holder, notice("error", errorText(e)));
  }
}

function artifactItem(a: Artifact): HTMLElement {
  const status = h("span");
  const button = h("a", { href: "#", class: "artifact-link", "data-testid": "artifact-download", "data-artifact": a.name }, a.name);
  button.addEventListener("click", async (ev) => {
    ev.preventDefault();
    status.replaceChildren(h("span", { class: "muted" }, " downloading…"));
    try {
      await downloadWithToken(a.archive_download_url, `${a.name}.zip`);
      status.replaceChildren();
    } catch (e) {
      status.replaceChildren(notice("error", errorText(e)));
    }
  });
  return h("li", { "data-testid": "artifact-row" }, button, h("span", { class: "muted" }, bytes(a.size_in_bytes)), status);
}
