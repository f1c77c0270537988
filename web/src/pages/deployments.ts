// A repository's deployments: per environment the version it runs now (the newest successful
// deployment) and its history, each deployment's statuses on demand. Refreshes every few seconds.
import { get, sw, v3 } from "../api.ts";
import type { Deployment, DeploymentStatus, EnvironmentOverview } from "../gov-types.ts";
import { poller } from "../poll.ts";
import { environmentHref, runHref, workflowFile } from "../routes.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { localTime, timeEl } from "../ui/format.ts";
import { externalLink } from "../ui/links.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import { reconcileRows } from "../ui/table.ts";
import type { PageContext } from "./page.ts";

interface DeploymentsRoute {
  owner: string;
  repo: string;
}

const HISTORY_SHOWN = 20;

export function mountDeployments(ctx: PageContext, route: DeploymentsRoute): void {
  const { owner, repo } = route;
  const list = h("div", { "data-testid": "deployments" });
  const msg = h("div");
  ctx.root.append(repoHeader(owner, repo, "deployments"), msg, list);

  poller(ctx.signal, async () => {
    try {
      const overview = await get<EnvironmentOverview[]>(`${sw(owner, repo)}/environments/overview`, ctx.signal);
      msg.replaceChildren();
      reconcileRows(list, overview, (o) => o.environment, (o) => JSON.stringify(o), (o) => environmentCard(ctx, owner, repo, o));
      if (!overview.length) clear(list, h("section", { class: "card empty" }, "No deployments yet: a job with ", h("code", null, "environment:"), " records one each time it runs."));
      return 5000;
    } catch (e) {
      if (ctx.signal.aborted) return null;
      clear(msg, notice("error", errorText(e), "deployments-error"));
      return 10000;
    }
  });
}

function environmentCard(ctx: PageContext, owner: string, repo: string, o: EnvironmentOverview): HTMLElement {
  const body = h("tbody");
  const shown = o.history.slice(0, HISTORY_SHOWN);
  for (const d of shown) body.append(...historyRows(ctx, owner, repo, d));
  return h(
    "section",
    { class: "card env-overview", "data-testid": "env-overview", "data-environment": o.environment },
    h("div", { class: "card-head" }, h("h2", null, h("a", { href: environmentHref(owner, repo, o.environment) }, o.environment)), o.current ? stateBadge(o.current) : null),
    o.current ? currentVersion(owner, repo, o.current) : h("p", { class: "muted", "data-testid": "current-deployment-none" }, "Nothing deployed successfully yet."),
    h("h3", null, "History"),
    h(
      "table",
      { class: "table", "data-testid": "deployment-history" },
      h("thead", null, h("tr", null, h("th", null, "State"), h("th", null, "Commit"), h("th", null, "Ref"), h("th", null, "By"), h("th", null, "When"), h("th", null, "Run"), h("th", null, "URL"), h("th"))),
      body,
    ),
    o.history.length > HISTORY_SHOWN ? h("p", { class: "muted small" }, `The ${HISTORY_SHOWN} newest of ${o.history.length} deployments.`) : null,
  );
}

function currentVersion(owner: string, repo: string, d: Deployment): HTMLElement {
  const url = d.slipway?.url;
  return h(
    "dl",
    { class: "meta current", "data-testid": "current-deployment", "data-deployment-id": d.id, "data-sha": d.sha, "data-ref": d.ref },
    item("Version", h("code", { title: d.sha }, d.sha.slice(0, 7))),
    item("Ref", h("span", { class: "branch" }, shortRef(d.ref))),
    item("Deployed", timeEl(d.created_at), h("span", { class: "muted small" }, ` ${localTime(d.created_at)}`)),
    item("By", d.creator?.login ?? "—"),
    runItem(owner, repo, d),
    url ? item("URL", externalLink(url, { "data-testid": "current-deployment-url" })) : null,
  );
}

function runItem(owner: string, repo: string, d: Deployment): HTMLElement | null {
  const runId = d.slipway?.run_id;
  if (!runId) return null;
  const label = `${d.slipway?.workflow ? workflowFile(d.slipway.workflow) : "run"} #${runId}${d.slipway?.job ? ` · ${d.slipway.job}` : ""}`;
  return item("Run", h("a", { href: runHref(owner, repo, runId), "data-testid": "deployment-run" }, label));
}

function historyRows(ctx: PageContext, owner: string, repo: string, d: Deployment): HTMLElement[] {
  const statusesRow = h("tr", { class: "statuses-row", hidden: true }, h("td", { colspan: 8 }));
  const toggle = h("button", { type: "button", class: "btn small", "data-testid": "deployment-statuses-toggle" }, "Statuses");
  toggle.addEventListener("click", () => {
    statusesRow.hidden = !statusesRow.hidden;
    toggle.classList.toggle("active", !statusesRow.hidden);
    if (!statusesRow.hidden) void loadStatuses(ctx, owner, repo, d.id, statusesRow.firstElementChild as HTMLElement);
  });
  const runId = d.slipway?.run_id;
  const row = h(
    "tr",
    { "data-testid": "deployment-row", "data-deployment-id": d.id, "data-state": d.slipway?.state ?? "" },
    h("td", null, stateBadge(d)),
    h("td", null, h("code", { title: d.sha }, d.sha.slice(0, 7))),
    h("td", null, h("span", { class: "branch" }, shortRef(d.ref))),
    h("td", null, d.creator?.login ?? ""),
    h("td", null, timeEl(d.created_at)),
    h("td", null, runId ? h("a", { href: runHref(owner, repo, runId) }, `#${runId}`) : ""),
    h("td", null, d.slipway?.url ? externalLink(d.slipway.url) : ""),
    h("td", { class: "right" }, toggle),
  );
  return [row, statusesRow];
}

async function loadStatuses(ctx: PageContext, owner: string, repo: string, id: number, cell: HTMLElement): Promise<void> {
  clear(cell, h("span", { class: "muted" }, "Loading…"));
  try {
    const statuses = await get<DeploymentStatus[]>(`${v3(owner, repo)}/deployments/${id}/statuses?per_page=100`, ctx.signal);
    clear(
      cell,
      h(
        "ol",
        { class: "statuses", "data-testid": "deployment-statuses" },
        statuses.map((s) =>
          h(
            "li",
            { "data-testid": "deployment-status", "data-state": s.state },
            h("span", { class: `badge dep-${s.state}` }, s.state.replace("_", " ")),
            " ",
            timeEl(s.created_at),
            s.creator ? h("span", { class: "muted" }, ` by ${s.creator.login}`) : null,
            s.description ? h("span", null, ` — ${s.description}`) : null,
            s.environment_url ? [" ", externalLink(s.environment_url)] : null,
          ),
        ),
      ),
    );
    if (!statuses.length) clear(cell, h("span", { class: "muted" }, "No statuses."));
  } catch (e) {
    if (!ctx.signal.aborted) clear(cell, notice("error", errorText(e)));
  }
}

function stateBadge(d: Deployment): HTMLElement {
  const state = d.slipway?.state ?? "unknown";
  return h("span", { class: `badge dep-${state}`, "data-testid": "deployment-state" }, state.replace("_", " "));
}

const shortRef = (ref: string): string => ref.replace(/^refs\/(heads|tags)\//, "");

function item(term: string, ...value: (Node | string)[]): HTMLElement {
  return h("div", null, h("dt", null, term), h("dd", null, ...value));
}
