// One repository: its workflows (with dispatch links and badges), secrets (write-only) and variables.
import { get, sw, v3 } from "../api.ts";
import { dispatchHref, runsHref, workflowFile } from "../routes.ts";
import type { Workflow } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import { secretsCard } from "../ui/secrets-card.ts";
import { variablesCard } from "../ui/variables-card.ts";
import type { PageContext } from "./page.ts";

interface RepoRoute {
  owner: string;
  repo: string;
}

export function mountRepo(ctx: PageContext, route: RepoRoute): void {
  const { owner, repo } = route;
  const full = `${owner}/${repo}`;
  const enc = encodeURIComponent;
  ctx.root.append(
    repoHeader(owner, repo, "overview"),
    workflowsCard(ctx, owner, repo),
    secretsCard({
      repo: full,
      list: `${v3(owner, repo)}/actions/secrets`,
      put: (n) => `${sw(owner, repo)}/secrets/${enc(n)}`,
      delete: (n) => `${v3(owner, repo)}/actions/secrets/${enc(n)}`,
      role: "maintainer",
      signal: ctx.signal,
    }),
    variablesCard({ repo: full, base: `${v3(owner, repo)}/actions/variables`, role: "maintainer", signal: ctx.signal }),
  );
}

function workflowsCard(ctx: PageContext, owner: string, repo: string): HTMLElement {
  const body = h("tbody");
  const msg = h("div");
  const card = h(
    "section",
    { class: "card" },
    h("h2", null, "Workflows"),
    msg,
    h("table", { class: "table", "data-testid": "workflows-table" }, h("thead", null, h("tr", null, h("th", null, "Workflow"), h("th", null, "File"), h("th", null, "Status"), h("th"))), body),
  );
  void (async () => {
    try {
      const res = await get<{ workflows: Workflow[] }>(`${sw(owner, repo)}/workflows`, ctx.signal);
      clear(body, res.workflows.map((w) => workflowRow(owner, repo, w)));
      if (!res.workflows.length) body.append(h("tr", null, h("td", { colspan: 4, class: "empty" }, "No workflow files found on the default branch.")));
    } catch (e) {
      if (!ctx.signal.aborted) clear(msg, notice("error", errorText(e)));
    }
  })();
  return card;
}

function workflowRow(owner: string, repo: string, w: Workflow): HTMLTableRowElement {
  const file = workflowFile(w.path);
  const badge = `/badge/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${encodeURIComponent(file)}.svg`;
  return h(
    "tr",
    { "data-testid": "workflow-row", "data-file": file },
    h("td", null, h("a", { class: "title", href: runsHref({ repo: `${owner}/${repo}`, workflow: file }) }, w.name)),
    h("td", null, h("code", null, w.path)),
    h("td", null, h("img", { src: badge, alt: `${w.name} status`, class: "badge-img", loading: "lazy" })),
    h("td", { class: "right" }, w.dispatch ? h("a", { class: "btn small primary", href: dispatchHref(owner, repo, file), "data-testid": "dispatch-link" }, "Run workflow") : h("span", { class: "muted small" }, "no manual trigger")),
  );
}
