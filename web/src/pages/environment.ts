// One environment: its protection rules (edit, delete) and its own secrets and variables.
import { guard } from "../access.ts";
import { api, get, sw } from "../api.ts";
import { envPath, patternsOf, saveEnvironment } from "../env-api.ts";
import type { BranchPattern, Environment } from "../gov-types.ts";
import { environmentsHref } from "../routes.ts";
import { deleteButton } from "../ui/confirm.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { rulesForm } from "../ui/env-rules.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import { secretsCard } from "../ui/secrets-card.ts";
import { variablesCard } from "../ui/variables-card.ts";
import type { PageContext } from "./page.ts";

interface EnvironmentRoute {
  owner: string;
  repo: string;
  name: string;
}

export function mountEnvironment(ctx: PageContext, route: EnvironmentRoute): void {
  const { owner, repo, name } = route;
  const full = `${owner}/${repo}`;
  const path = envPath(owner, repo, name);
  const enc = encodeURIComponent;
  const rulesSlot = h("section", { class: "card env-form" }, h("div", { class: "muted" }, "Loading…"));
  ctx.root.append(
    repoHeader(owner, repo, "environments"),
    h("nav", { class: "crumbs" }, h("a", { href: environmentsHref(owner, repo) }, "Environments"), " / ", name),
    rulesSlot,
    secretsCard(
      {
        repo: full,
        list: `${path}/secrets`,
        // The plain-value endpoint, as for repository secrets: the dashboard does not seal values itself.
        put: (n) => `${sw(owner, repo)}/environments/${enc(name)}/secrets/${enc(n)}`,
        delete: (n) => `${path}/secrets/${enc(n)}`,
        role: "maintainer",
        signal: ctx.signal,
      },
      `Secrets of ${name}`,
    ),
    variablesCard({ repo: full, base: `${path}/variables`, role: "maintainer", signal: ctx.signal }, `Variables of ${name}`),
  );

  void (async () => {
    try {
      const env = await get<Environment>(path, ctx.signal);
      const patterns = await patternsOf(owner, repo, env, ctx.signal);
      clear(rulesSlot, ...editForm(env, patterns));
    } catch (e) {
      if (!ctx.signal.aborted) clear(rulesSlot, notice("error", errorText(e), "env-error"));
    }
  })();

  function editForm(env: Environment, patterns: BranchPattern[]): HTMLElement[] {
    let existing = patterns;
    const rules = rulesForm(env, patterns);
    const msg = h("div");
    const del = deleteButton(
      "env-delete",
      async () => {
        try {
          await api("DELETE", path, undefined, ctx.signal);
          location.hash = environmentsHref(owner, repo);
        } catch (e) {
          clear(msg, notice("error", errorText(e), "env-error"));
        }
      },
      "Delete environment",
    );
    const fields = h("fieldset", { class: "bare" }, rules.el, msg, h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "env-submit" }, "Save protection rules"), h("span", { class: "spacer" }), del));
    const form = h("form", { "data-testid": "environment-form", novalidate: true }, fields);
    guard(full, "maintainer", fields);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      const read = rules.read();
      if ("error" in read) return void msg.append(notice("error", read.error, "env-error"));
      try {
        const saved = await saveEnvironment(owner, repo, env.name, read.body, read.patterns, existing, ctx.signal);
        existing = await patternsOf(owner, repo, await get<Environment>(path, ctx.signal).catch(() => saved), ctx.signal);
        msg.append(notice("ok", `Saved the rules of ${env.name}.`, "env-ok"));
      } catch (e) {
        msg.append(notice("error", errorText(e), "env-error"));
      }
    });
    return [h("h2", null, `Environment ${env.name}`), form];
  }
}
