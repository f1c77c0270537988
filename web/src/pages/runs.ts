// Runs list: filters live in the hash so a filtered view can be linked; the table refreshes itself.
import { get } from "../api.ts";
import { poller } from "../poll.ts";
import { repoHref, runHref, runsHref, splitFullName } from "../routes.ts";
import type { Repo, Run } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { elapsedEl, timeEl } from "../ui/format.ts";
import { isDone, stateOf, statusIcon } from "../ui/status.ts";
import { reconcileRows } from "../ui/table.ts";
import type { PageContext } from "./page.ts";

const PER_PAGE = 25;
const FILTERS = ["repo", "branch", "workflow", "event", "result", "status"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const EVENTS = ["push", "pull_request", "pull_request_target", "workflow_dispatch", "schedule", "repository_dispatch", "release", "workflow_call"];
const RESULTS = ["success", "failure", "cancelled", "skipped"];
const STATUSES = ["queued", "waiting", "in_progress", "completed"];

export function mountRuns(ctx: PageContext, query: URLSearchParams): void {
  const filters: Filters = {};
  for (const f of FILTERS) filters[f] = query.get(f) ?? undefined;
  const page = Math.max(1, Number(query.get("page")) || 1);

  const repoSelect = select("repo", ["", ...(filters.repo ? [filters.repo] : [])], filters.repo, "All repositories");
  const form = h(
    "form",
    { class: "filters", "data-testid": "runs-filters" },
    field("Repository", repoSelect),
    field("Branch", h("input", { name: "branch", value: filters.branch, placeholder: "any" })),
    field("Workflow", h("input", { name: "workflow", value: filters.workflow, placeholder: "ci.yml" })),
    field("Event", withList(h("input", { name: "event", value: filters.event, placeholder: "any", list: "events" }), "events", EVENTS)),
    field("Result", select("result", ["", ...RESULTS], filters.result, "any")),
    field("Status", select("status", ["", ...STATUSES], filters.status, "any")),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "btn primary" }, "Filter"), h("a", { class: "btn", href: "#/" }, "Clear")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    location.hash = runsHref(Object.fromEntries(FILTERS.map((f) => [f, String(data.get(f) ?? "").trim()])));
  });
  // Changing a select applies at once; text fields wait for Enter or the button.
  form.addEventListener("change", (ev) => {
    if (ev.target instanceof HTMLSelectElement) form.requestSubmit();
  });

  const body = h("tbody");
  const table = h(
    "table",
    { class: "table runs", "data-testid": "runs-table" },
    h("thead", null, h("tr", null, h("th", { class: "col-icon" }), h("th", null, "Run"), h("th", null, "Repository"), h("th", null, "Branch"), h("th", null, "Started"), h("th", null, "Duration"))),
    body,
  );
  const status = h("div");
  const pager = h("div", { class: "pager" });
  ctx.root.append(h("div", { class: "page-head" }, h("h1", null, "Workflow runs")), form, status, table, pager);

  void loadRepos(repoSelect, filters.repo, ctx.signal);

  const params = new URLSearchParams();
  for (const f of FILTERS) if (filters[f]) params.set(f, filters[f] as string);
  params.set("per_page", String(PER_PAGE));
  params.set("page", String(page));

  poller(ctx.signal, async () => {
    try {
      const res = await get<{ total_count: number; workflow_runs: Run[] }>(`/api/slipway/runs?${params}`, ctx.signal);
      status.replaceChildren();
      reconcileRows(body, res.workflow_runs, (r) => String(r.id), runSignature, runRow);
      if (!res.workflow_runs.length) status.append(h("div", { class: "empty" }, "No runs match these filters."));
      renderPager(pager, filters, page, res.total_count);
      // New runs appear without a reload: a webhook may land any moment.
      return res.workflow_runs.some((r) => !isDone(r.status)) ? 1000 : 2500;
    } catch (e) {
      if (ctx.signal.aborted) return null;
      clear(status, notice("error", errorText(e)));
      return 10000;
    }
  });
}

const runSignature = (r: Run): string =>
  [r.status, r.conclusion, r.display_title, r.run_attempt, r.updated_at, r.run_started_at, r.head_branch].join("|");

function runRow(run: Run): HTMLTableRowElement {
  const [owner, repo] = splitFullName(run.repository.full_name);
  const state = stateOf(run.status, run.conclusion);
  const workflowName = run.name || run.path;
  return h(
    "tr",
    { "data-testid": "run-row", "data-run-id": run.id, "data-status": run.status ?? "", "data-conclusion": run.conclusion ?? "", class: `state-${state}` },
    h("td", { class: "col-icon" }, statusIcon(state)),
    h(
      "td",
      null,
      h("a", { class: "title", href: runHref(owner, repo, run.id) }, run.display_title || workflowName),
      h(
        "div",
        { class: "sub" },
        h("span", null, `${workflowName} #${run.run_number}`),
        run.run_attempt && run.run_attempt > 1 ? h("span", null, `attempt ${run.run_attempt}`) : null,
        h("span", null, run.event),
        run.actor ? h("span", null, `by ${run.actor.login}`) : null,
      ),
    ),
    h("td", null, h("a", { href: repoHref(owner, repo) }, run.repository.full_name)),
    h("td", null, run.head_branch ? h("span", { class: "branch" }, run.head_branch) : ""),
    h("td", null, timeEl(run.run_started_at ?? run.created_at)),
    h("td", null, elapsedEl(run.run_started_at ?? run.created_at, isDone(run.status) ? run.updated_at : null)),
  );
}

function renderPager(pager: HTMLElement, filters: Filters, page: number, total: number): void {
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const link = (p: number, text: string): HTMLElement =>
    p < 1 || p > pages ? h("span", { class: "btn disabled" }, text) : h("a", { class: "btn", href: runsHref({ ...filters, page: p === 1 ? undefined : String(p) }) }, text);
  clear(pager, link(page - 1, "← Newer"), h("span", { class: "muted" }, `Page ${page} of ${pages} · ${total} run${total === 1 ? "" : "s"}`), link(page + 1, "Older →"));
}

async function loadRepos(sel: HTMLSelectElement, chosen: string | undefined, signal: AbortSignal): Promise<void> {
  try {
    const res = await get<{ repositories: Repo[] }>("/api/slipway/repos", signal);
    const names = res.repositories.map((r) => r.full_name);
    if (chosen && !names.includes(chosen)) names.push(chosen);
    clear(sel, option("", "All repositories", !chosen), names.map((n) => option(n, n, n === chosen)));
  } catch {
    // The filter still works with a typed-in repo in the hash; the list is a convenience.
  }
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", null, label), control);
}

function select(name: string, values: string[], chosen: string | undefined, blank: string): HTMLSelectElement {
  return h("select", { name }, values.map((v) => option(v, v || blank, v === (chosen ?? ""))));
}

function option(value: string, text: string, selected: boolean): HTMLOptionElement {
  return h("option", { value, selected }, text);
}

function withList(input: HTMLInputElement, id: string, values: string[]): HTMLElement {
  return h("span", { class: "with-list" }, input, h("datalist", { id }, values.map((v) => h("option", { value: v }))));
}
