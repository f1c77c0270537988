// A repository's environments: each with its protection rules, and a form that creates one.
import { guard } from "../access.ts";
import { listEnvironments, patternsOf, saveEnvironment } from "../env-api.ts";
import type { Environment } from "../gov-types.ts";
import { environmentHref } from "../routes.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { ruleSummary, rulesForm } from "../ui/env-rules.ts";
import { timeEl } from "../ui/format.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import type { PageContext } from "./page.ts";

interface EnvironmentsRoute {
  owner: string;
  repo: string;
}

export function mountEnvironments(ctx: PageContext, route: EnvironmentsRoute): void {
  const { owner, repo } = route;
  const body = h("tbody");
  const listMsg = h("div");
  ctx.root.append(
    repoHeader(owner, repo, "environments"),
    listMsg,
    h(
      "section",
      { class: "card" },
      h("h2", null, "Environments"),
      h("p", { class: "muted small" }, "A job with ", h("code", null, "environment: NAME"), " waits for these rules; its environment's secrets and variables reach it only once they pass. A job naming an unknown environment creates it without rules."),
      h("table", { class: "table", "data-testid": "environments-table" }, h("thead", null, h("tr", null, h("th", null, "Environment"), h("th", null, "Protection rules"), h("th", null, "Updated"))), body),
    ),
    createCard(ctx, owner, repo),
  );

  void (async () => {
    try {
      const envs = await listEnvironments(owner, repo, ctx.signal);
      const rows = await Promise.all(envs.map(async (e) => row(e, await patternsOf(owner, repo, e, ctx.signal))));
      clear(body, rows);
      if (!envs.length) body.append(h("tr", null, h("td", { colspan: 3, class: "empty" }, "No environments yet.")));
    } catch (e) {
      if (!ctx.signal.aborted) clear(listMsg, notice("error", errorText(e), "environments-error"));
    }
  })();

  function row(env: Environment, patterns: Parameters<typeof ruleSummary>[1]): HTMLTableRowElement {
    const rules = ruleSummary(env, patterns);
    return h(
      "tr",
      { "data-testid": "environment-row", "data-name": env.name },
      h("td", null, h("a", { class: "title", href: environmentHref(owner, repo, env.name) }, env.name)),
      h("td", null, rules.length ? rules.map((r) => h("span", { class: "chip" }, r)) : h("span", { class: "muted" }, "No protection rules")),
      h("td", { class: "muted" }, timeEl(env.updated_at)),
    );
  }
}

function createCard(ctx: PageContext, owner: string, repo: string): HTMLElement {
  const name = h("input", { name: "name", required: true, placeholder: "production", autocomplete: "off", maxlength: 255, "data-testid": "env-name" });
  const rules = rulesForm(null, []);
  const msg = h("div");
  const fields = h(
    "fieldset",
    { class: "bare" },
    h("label", { class: "field-row" }, h("span", null, "Name ", h("span", { class: "req" }, "*")), name),
    rules.el,
    msg,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "env-submit" }, "Create environment")),
  );
  const form = h("form", { class: "card env-form", "data-testid": "environment-form", novalidate: true }, h("h2", null, "New environment"), fields);
  guard(`${owner}/${repo}`, "maintainer", fields);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const n = name.value.trim();
    if (!n) return void msg.append(notice("error", "An environment needs a name.", "env-error"));
    const read = rules.read();
    if ("error" in read) return void msg.append(notice("error", read.error, "env-error"));
    try {
      const known = await listEnvironments(owner, repo, ctx.signal);
      if (known.some((e) => e.name.toLowerCase() === n.toLowerCase())) return void msg.append(notice("error", `Environment ${n} already exists: open it to change its rules.`, "env-error"));
      const env = await saveEnvironment(owner, repo, n, read.body, read.patterns, [], ctx.signal);
      location.hash = environmentHref(owner, repo, env.name || n);
    } catch (e) {
      msg.append(notice("error", errorText(e), "env-error"));
    }
  });
  return form;
}
