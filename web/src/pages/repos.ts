// Registered repositories and the form that registers one.
import { guardSiteAdmin } from "../access.ts";
import { api, get } from "../api.ts";
import { repoHref, runsHref, splitFullName } from "../routes.ts";
import type { Repo } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import type { PageContext } from "./page.ts";

export function mountRepos(ctx: PageContext): void {
  const body = h("tbody");
  const listMsg = h("div");
  const formMsg = h("div");
  const fullName = h("input", { name: "full_name", required: true, placeholder: "owner/name", "data-testid": "repo-full-name" });
  const url = h("input", { name: "url", required: true, placeholder: "https://git.example.com/owner/name.git", "data-testid": "repo-url" });
  const secret = h("input", { name: "webhook_secret", type: "password", autocomplete: "off", placeholder: "optional", "data-testid": "repo-webhook-secret" });
  const form = h(
    "form",
    { class: "card form-grid", "data-testid": "repo-form", novalidate: true },
    h("h2", null, "Register a repository"),
    h("label", null, h("span", null, "Full name ", h("span", { class: "req" }, "*")), fullName),
    h("label", null, h("span", null, "Clone URL ", h("span", { class: "req" }, "*")), url),
    h("label", null, h("span", null, "Webhook secret"), secret),
    formMsg,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "repo-submit" }, "Register")),
  );

  guardSiteAdmin(...Array.from(form.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, button")));
  ctx.root.append(
    h("div", { class: "page-head" }, h("h1", null, "Repositories")),
    listMsg,
    h("section", { class: "card" }, h("table", { class: "table", "data-testid": "repos-table" }, h("thead", null, h("tr", null, h("th", null, "Repository"), h("th", null, "Default branch"), h("th", null, "Clone URL"), h("th"))), body)),
    form,
  );

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    formMsg.replaceChildren();
    const payload: Record<string, string> = { full_name: fullName.value.trim(), url: url.value.trim() };
    if (secret.value) payload["webhook_secret"] = secret.value;
    try {
      const repo = await api<Repo>("POST", "/api/slipway/repos", payload, ctx.signal);
      formMsg.append(notice("ok", `Registered ${repo.full_name}.`, "repo-ok"));
      form.reset();
      await load();
    } catch (e) {
      formMsg.append(notice("error", errorText(e), "repo-error"));
    }
  });

  async function load(): Promise<void> {
    try {
      const res = await get<{ repositories: Repo[] }>("/api/slipway/repos", ctx.signal);
      listMsg.replaceChildren();
      clear(body, res.repositories.map(repoRow));
      if (!res.repositories.length) body.append(h("tr", null, h("td", { colspan: 4, class: "empty" }, "No repositories yet: register one below.")));
    } catch (e) {
      if (!ctx.signal.aborted) clear(listMsg, notice("error", errorText(e)));
    }
  }
  void load();
}

function repoRow(r: Repo): HTMLTableRowElement {
  const [owner, name] = splitFullName(r.full_name);
  return h(
    "tr",
    { "data-testid": "repo-row", "data-repo": r.full_name },
    h("td", null, h("a", { class: "title", href: repoHref(owner, name) }, r.full_name)),
    h("td", null, h("span", { class: "branch" }, r.default_branch)),
    h("td", null, h("code", { class: "small" }, r.clone_url)),
    h("td", { class: "right" }, h("a", { href: runsHref({ repo: r.full_name }) }, "Runs")),
  );
}
