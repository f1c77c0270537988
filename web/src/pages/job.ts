// One job: steps, the step summary, annotations and the live log. Job and step states refresh every
// second until the job completes; the log streams on its own connection.
import { get, v3 } from "../api.ts";
import { streamJobLog } from "../log/source.ts";
import { LogViewer } from "../log/viewer.ts";
import { poller } from "../poll.ts";
import { jobHref, repoHref, runHref, type Route } from "../routes.ts";
import type { Job, Run, Step } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { downloadWithToken } from "../ui/download.ts";
import { elapsedEl, timeEl } from "../ui/format.ts";
import { isDone, stateLabel, stateOf, statusIcon } from "../ui/status.ts";
import { reconcileRows } from "../ui/table.ts";
import type { PageContext, PageHandle } from "./page.ts";

interface JobRoute {
  owner: string;
  repo: string;
  runId: number;
  jobId: number;
  line: number | null;
}

export function mountJob(ctx: PageContext, route: JobRoute): PageHandle {
  const { owner, repo, runId, jobId } = route;
  const crumbRun = h("a", { href: runHref(owner, repo, runId) }, `run #${runId}`);
  const header = h("div", { class: "run-head" }, h("h1", null, `Job ${jobId}`));
  const errors = h("div");
  const steps = h("ol", { class: "steps", "data-testid": "steps" });
  const summary = h("section", { class: "card summary", hidden: true, "data-testid": "job-summary" }, h("h2", null, "Summary"), h("div", { class: "markdown" }));

  let latestSummary = "";
  const viewer = new LogViewer({
    lineHref: (num) => jobHref(owner, repo, runId, jobId, num),
    download: () => downloadWithToken(`${v3(owner, repo)}/actions/jobs/${jobId}/logs`, `job-${jobId}.log`),
    onSummary: (markdown) => {
      latestSummary = markdown;
      void showSummary(summary, markdown, () => latestSummary);
    },
  });
  ctx.signal.addEventListener("abort", () => viewer.dispose());

  ctx.root.append(
    h("nav", { class: "crumbs" }, h("a", { href: repoHref(owner, repo) }, `${owner}/${repo}`), " / ", crumbRun, " / ", `job ${jobId}`),
    errors,
    header,
    h("section", { class: "card" }, h("h2", null, "Steps"), steps),
    summary,
    viewer.annotationsEl,
    h("section", { class: "card log-card" }, viewer.el),
  );

  steps.addEventListener("click", (ev) => {
    const li = (ev.target as Element).closest<HTMLElement>("li[data-step]");
    if (li && !viewer.goToStep(Number(li.dataset["step"]) - 1)) li.classList.add("no-log");
  });

  void get<Run>(`${v3(owner, repo)}/actions/runs/${runId}`, ctx.signal)
    .then((run) => {
      crumbRun.textContent = `${run.name || run.path} #${run.run_number}`;
    })
    .catch(() => undefined);

  poller(ctx.signal, async () => {
    try {
      const res = await get<{ jobs: Job[] }>(`${v3(owner, repo)}/actions/runs/${runId}/jobs`, ctx.signal);
      const job = res.jobs.find((j) => j.id === jobId);
      if (!job) {
        clear(errors, notice("error", `Job ${jobId} is not part of run ${runId} (any more).`));
        return 5000;
      }
      errors.replaceChildren();
      renderHeader(header, job);
      reconcileRows(steps, job.steps ?? [], (st) => String(st.number), stepSignature, stepRow);
      return isDone(job.status) ? null : 1000;
    } catch (e) {
      if (ctx.signal.aborted) return null;
      clear(errors, notice("error", errorText(e)));
      return 5000;
    }
  });

  streamJobLog(jobId, ctx.signal, {
    lines: (batch) => viewer.push(batch),
    done: () => viewer.finish(),
    problem: (message) => viewer.setProblem(message),
  });

  if (route.line) viewer.goToLine(route.line);
  return {
    update(next: Route): void {
      if (next.page === "job" && next.line) viewer.goToLine(next.line);
    },
  };
}

/** marked and DOMPurify are loaded only for jobs that write a summary. */
async function showSummary(section: HTMLElement, markdown: string, latest: () => string): Promise<void> {
  const { summaryHtml } = await import("../summary.ts");
  // A newer summary may have arrived while the renderer was loading.
  if (markdown !== latest()) return;
  section.hidden = !markdown.trim();
  (section.lastElementChild as HTMLElement).innerHTML = summaryHtml(markdown);
}

function renderHeader(header: HTMLElement, job: Job): void {
  const state = stateOf(job.status, job.conclusion);
  const sig = [job.name, job.status, job.conclusion, job.started_at, job.completed_at].join("|");
  if (header.dataset["sig"] === sig) return;
  header.dataset["sig"] = sig;
  clear(
    header,
    h(
      "div",
      { class: `run-title state-${state}`, "data-testid": "job-status", "data-status": job.status, "data-conclusion": job.conclusion ?? "" },
      statusIcon(state),
      h("h1", null, job.name),
      h("span", { class: `badge state-${state}` }, stateLabel(state)),
    ),
    h(
      "dl",
      { class: "meta" },
      job.labels.length ? item("Runs on", ...job.labels.map((l) => h("span", { class: "chip" }, l))) : null,
      job.started_at ? item("Started", timeEl(job.started_at)) : null,
      job.started_at ? item("Duration", elapsedEl(job.started_at, job.completed_at)) : null,
    ),
  );
}

function item(term: string, ...value: (Node | string)[]): HTMLElement {
  return h("div", null, h("dt", null, term), h("dd", null, ...value));
}

const stepSignature = (st: Step): string => [st.name, st.status, st.conclusion, st.started_at, st.completed_at].join("|");

function stepRow(st: Step): HTMLLIElement {
  const state = stateOf(st.status, st.conclusion);
  return h(
    "li",
    { class: `step state-${state}`, "data-testid": "step-row", "data-step": st.number, "data-status": st.status, "data-conclusion": st.conclusion ?? "", title: "Show this step in the log" },
    statusIcon(state),
    h("span", { class: "step-name" }, st.name),
    h("span", { class: "muted" }, st.started_at ? elapsedEl(st.started_at, st.completed_at) : ""),
  );
}
