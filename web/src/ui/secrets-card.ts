// Write-only secrets of one scope (a repository, an environment): names listed, values set or deleted,
// never shown.
import { guard } from "../access.ts";
import { api, getAll } from "../api.ts";
import type { Role } from "../gov-types.ts";
import type { Secret } from "../types.ts";
import { deleteButton } from "./confirm.ts";
import { clear, errorText, h, notice } from "./dom.ts";
import { timeEl } from "./format.ts";

export interface SecretsScope {
  /** OWNER/NAME, for the role check. */
  repo: string;
  /** GET: `{total_count, secrets}`. */
  list: string;
  /** PUT `{value}` in plain text. */
  put: (name: string) => string;
  delete: (name: string) => string;
  /** Who may change them (maintainer). */
  role: Role;
  signal: AbortSignal;
}

export function secretsCard(scope: SecretsScope, title = "Secrets"): HTMLElement {
  const body = h("tbody");
  const msg = h("div");
  const name = h("input", { name: "name", required: true, placeholder: "NAME", autocomplete: "off", pattern: "[A-Za-z_][A-Za-z0-9_]*", "data-testid": "secret-name" });
  const value = h("textarea", { name: "value", rows: 2, placeholder: "value (never shown again)", autocomplete: "off", spellcheck: "false", "data-testid": "secret-value" });
  const fields = h(
    "fieldset",
    { class: "bare inline-form" },
    h("label", null, h("span", null, "Name"), name),
    h("label", { class: "grow" }, h("span", null, "Value"), value),
    h("button", { type: "submit", class: "btn primary", "data-testid": "secret-submit" }, "Save secret"),
  );
  const form = h("form", { "data-testid": "secret-form", novalidate: true }, fields);
  guard(scope.repo, scope.role, fields);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const n = name.value.trim();
    if (!n) return void msg.append(notice("error", "A secret needs a name.", "secret-error"));
    try {
      const known = Array.from(body.querySelectorAll<HTMLElement>("[data-testid=secret-row]")).some((r) => r.dataset["name"] === n.toUpperCase());
      await api("PUT", scope.put(n), { value: value.value }, scope.signal);
      msg.append(notice("ok", `Secret ${n} ${known ? "updated" : "saved"}.`, "secret-ok"));
      form.reset();
      await load();
    } catch (e) {
      msg.append(notice("error", errorText(e), "secret-error"));
    }
  });

  function row(s: Secret): HTMLTableRowElement {
    const del = deleteButton("secret-delete", async () => {
      try {
        await api("DELETE", scope.delete(s.name), undefined, scope.signal);
        await load();
      } catch (e) {
        clear(msg, notice("error", errorText(e), "secret-error"));
      }
    });
    guard(scope.repo, scope.role, del);
    return h("tr", { "data-testid": "secret-row", "data-name": s.name }, h("td", null, h("code", null, s.name)), h("td", { class: "muted" }, "updated ", timeEl(s.updated_at)), h("td", { class: "right" }, del));
  }

  async function load(): Promise<void> {
    try {
      const secrets = await getAll<Secret>(scope.list, "secrets", 100, scope.signal);
      clear(body, secrets.map(row));
      if (!secrets.length) body.append(h("tr", null, h("td", { colspan: 3, class: "empty" }, "No secrets.")));
    } catch (e) {
      if (!scope.signal.aborted) clear(msg, notice("error", errorText(e), "secret-error"));
    }
  }
  void load();
  return h("section", { class: "card" }, h("h2", null, title), h("p", { class: "muted small" }, "Values are write-only: they are stored sealed and never shown."), h("table", { class: "table", "data-testid": "secrets-table" }, body), form, msg);
}
