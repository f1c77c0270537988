// Variables of one scope (a repository, an environment): listed with values, added, edited, deleted.
import { guard } from "../access.ts";
import { api, getAll } from "../api.ts";
import type { Role } from "../gov-types.ts";
import type { Variable } from "../types.ts";
import { deleteButton } from "./confirm.ts";
import { clear, errorText, h, notice } from "./dom.ts";
import { timeEl } from "./format.ts";

export interface VariablesScope {
  repo: string;
  /** GET list, POST `{name, value}`; `${base}/NAME` takes PATCH and DELETE. */
  base: string;
  role: Role;
  signal: AbortSignal;
}

export function variablesCard(scope: VariablesScope, title = "Variables"): HTMLElement {
  const { base, signal } = scope;
  const body = h("tbody");
  const msg = h("div");
  const name = h("input", { name: "name", required: true, placeholder: "NAME", autocomplete: "off", "data-testid": "variable-name" });
  const value = h("input", { name: "value", placeholder: "value", autocomplete: "off", "data-testid": "variable-value" });
  const fields = h(
    "fieldset",
    { class: "bare inline-form" },
    h("label", null, h("span", null, "Name"), name),
    h("label", { class: "grow" }, h("span", null, "Value"), value),
    h("button", { type: "submit", class: "btn primary", "data-testid": "variable-submit" }, "Add variable"),
  );
  const form = h("form", { "data-testid": "variable-form", novalidate: true }, fields);
  guard(scope.repo, scope.role, fields);
  const fail = (e: unknown): void => clear(msg, notice("error", errorText(e), "variable-error"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    try {
      await api("POST", base, { name: name.value.trim(), value: value.value }, signal);
      form.reset();
      await load();
    } catch (e) {
      fail(e);
    }
  });

  function row(v: Variable): HTMLTableRowElement {
    const valueCell = h("td", null, h("code", { class: "var-value" }, v.value));
    const edit = h("button", { type: "button", class: "btn small", "data-testid": "variable-edit" }, "Edit");
    const del = deleteButton("variable-delete", async () => {
      try {
        await api("DELETE", `${base}/${encodeURIComponent(v.name)}`, undefined, signal);
        await load();
      } catch (e) {
        fail(e);
      }
    });
    guard(scope.repo, scope.role, edit, del);
    edit.addEventListener("click", () => {
      const input = h("input", { value: v.value, "data-testid": "variable-edit-value", "aria-label": `New value of ${v.name}` });
      const save = h("button", { type: "submit", class: "btn small primary", "data-testid": "variable-save" }, "Save");
      const cancel = h("button", { type: "button", class: "btn small", onclick: () => void load() }, "Cancel");
      const editForm = h("form", { class: "inline-edit" }, input, save, cancel);
      editForm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          await api("PATCH", `${base}/${encodeURIComponent(v.name)}`, { value: input.value }, signal);
          await load();
        } catch (e) {
          fail(e);
        }
      });
      clear(valueCell, editForm);
      edit.disabled = true;
      input.focus();
    });
    return h(
      "tr",
      { "data-testid": "variable-row", "data-name": v.name },
      h("td", null, h("code", null, v.name)),
      valueCell,
      h("td", { class: "muted" }, "updated ", timeEl(v.updated_at)),
      h("td", { class: "right nowrap" }, edit, " ", del),
    );
  }

  async function load(): Promise<void> {
    try {
      const variables = await getAll<Variable>(base, "variables", 30, signal);
      msg.replaceChildren();
      clear(body, variables.map(row));
      if (!variables.length) body.append(h("tr", null, h("td", { colspan: 4, class: "empty" }, "No variables.")));
    } catch (e) {
      if (!signal.aborted) fail(e);
    }
  }
  void load();
  return h("section", { class: "card" }, h("h2", null, title), h("table", { class: "table", "data-testid": "variables-table" }, body), form, msg);
}
