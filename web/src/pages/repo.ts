// One repository: its workflows (with dispatch links and badges), secrets (write-only) and variables.
import { api, get, getAll, sw, v3 } from "../api.ts";
import { dispatchHref, runsHref, workflowFile } from "../routes.ts";
import type { Secret, Variable, Workflow } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { timeEl } from "../ui/format.ts";
import type { PageContext } from "./page.ts";

interface RepoRoute {
  owner: string;
  repo: string;
}

export function mountRepo(ctx: PageContext, route: RepoRoute): void {
  const { owner, repo } = route;
  const full = `${owner}/${repo}`;
  ctx.root.append(
    h("div", { class: "page-head" }, h("h1", null, full), h("a", { class: "btn", href: runsHref({ repo: full }) }, "All runs")),
    workflowsCard(ctx, owner, repo),
    secretsCard(ctx, owner, repo),
    variablesCard(ctx, owner, repo),
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

/** A delete button that asks for a second click instead of a blocking confirm() dialog. */
function deleteButton(testid: string, onConfirm: () => Promise<void>): HTMLButtonElement {
  const btn = h("button", { type: "button", class: "btn small danger", "data-testid": testid }, "Delete");
  let timer: ReturnType<typeof setTimeout> | undefined;
  btn.addEventListener("click", async () => {
    if (btn.dataset["confirm"] !== "true") {
      btn.dataset["confirm"] = "true";
      btn.textContent = "Confirm delete";
      timer = setTimeout(() => {
        delete btn.dataset["confirm"];
        btn.textContent = "Delete";
      }, 4000);
      return;
    }
    clearTimeout(timer);
    btn.disabled = true;
    await onConfirm();
    btn.disabled = false;
  });
  return btn;
}

function secretsCard(ctx: PageContext, owner: string, repo: string): HTMLElement {
  const body = h("tbody");
  const msg = h("div");
  const name = h("input", { name: "name", required: true, placeholder: "NAME", autocomplete: "off", pattern: "[A-Za-z_][A-Za-z0-9_]*", "data-testid": "secret-name" });
  const value = h("textarea", { name: "value", rows: 2, placeholder: "value (never shown again)", autocomplete: "off", spellcheck: "false", "data-testid": "secret-value" });
  const form = h(
    "form",
    { class: "inline-form", "data-testid": "secret-form", novalidate: true },
    h("label", null, h("span", null, "Name"), name),
    h("label", { class: "grow" }, h("span", null, "Value"), value),
    h("button", { type: "submit", class: "btn primary", "data-testid": "secret-submit" }, "Save secret"),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const n = name.value.trim();
    if (!n) return void msg.append(notice("error", "A secret needs a name.", "secret-error"));
    try {
      const known = Array.from(body.querySelectorAll<HTMLElement>("[data-testid=secret-row]")).some((r) => r.dataset["name"] === n.toUpperCase());
      await api("PUT", `${sw(owner, repo)}/secrets/${encodeURIComponent(n)}`, { value: value.value }, ctx.signal);
      msg.append(notice("ok", `Secret ${n} ${known ? "updated" : "saved"}.`, "secret-ok"));
      form.reset();
      await load();
    } catch (e) {
      msg.append(notice("error", errorText(e), "secret-error"));
    }
  });

  async function load(): Promise<void> {
    try {
      const secrets = await getAll<Secret>(`${v3(owner, repo)}/actions/secrets`, "secrets", 100, ctx.signal);
      clear(
        body,
        secrets.map((s) =>
          h(
            "tr",
            { "data-testid": "secret-row", "data-name": s.name },
            h("td", null, h("code", null, s.name)),
            h("td", { class: "muted" }, "updated ", timeEl(s.updated_at)),
            h(
              "td",
              { class: "right" },
              deleteButton("secret-delete", async () => {
                try {
                  await api("DELETE", `${v3(owner, repo)}/actions/secrets/${encodeURIComponent(s.name)}`, undefined, ctx.signal);
                  await load();
                } catch (e) {
                  clear(msg, notice("error", errorText(e), "secret-error"));
                }
              }),
            ),
          ),
        ),
      );
      if (!secrets.length) body.append(h("tr", null, h("td", { colspan: 3, class: "empty" }, "No secrets.")));
    } catch (e) {
      if (!ctx.signal.aborted) clear(msg, notice("error", errorText(e)));
    }
  }
  void load();
  return h("section", { class: "card" }, h("h2", null, "Secrets"), h("p", { class: "muted small" }, "Values are write-only: they are stored sealed and never shown."), h("table", { class: "table", "data-testid": "secrets-table" }, body), form, msg);
}

function variablesCard(ctx: PageContext, owner: string, repo: string): HTMLElement {
  const body = h("tbody");
  const msg = h("div");
  const base = `${v3(owner, repo)}/actions/variables`;
  const name = h("input", { name: "name", required: true, placeholder: "NAME", autocomplete: "off", "data-testid": "variable-name" });
  const value = h("input", { name: "value", placeholder: "value", autocomplete: "off", "data-testid": "variable-value" });
  const form = h(
    "form",
    { class: "inline-form", "data-testid": "variable-form", novalidate: true },
    h("label", null, h("span", null, "Name"), name),
    h("label", { class: "grow" }, h("span", null, "Value"), value),
    h("button", { type: "submit", class: "btn primary", "data-testid": "variable-submit" }, "Add variable"),
  );
  const fail = (e: unknown): void => clear(msg, notice("error", errorText(e), "variable-error"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    try {
      await api("POST", base, { name: name.value.trim(), value: value.value }, ctx.signal);
      form.reset();
      await load();
    } catch (e) {
      fail(e);
    }
  });

  function row(v: Variable): HTMLTableRowElement {
    const valueCell = h("td", null, h("code", { class: "var-value" }, v.value));
    const edit = h("button", { type: "button", class: "btn small", "data-testid": "variable-edit" }, "Edit");
    const tr = h(
      "tr",
      { "data-testid": "variable-row", "data-name": v.name },
      h("td", null, h("code", null, v.name)),
      valueCell,
      h("td", { class: "muted" }, "updated ", timeEl(v.updated_at)),
      h(
        "td",
        { class: "right nowrap" },
        edit,
        " ",
        deleteButton("variable-delete", async () => {
          try {
            await api("DELETE", `${base}/${encodeURIComponent(v.name)}`, undefined, ctx.signal);
            await load();
          } catch (e) {
            fail(e);
          }
        }),
      ),
    );
    edit.addEventListener("click", () => {
      const input = h("input", { value: v.value, "data-testid": "variable-edit-value", "aria-label": `New value of ${v.name}` });
      const save = h("button", { type: "submit", class: "btn small primary", "data-testid": "variable-save" }, "Save");
      const cancel = h("button", { type: "button", class: "btn small", onclick: () => void load() }, "Cancel");
      const editForm = h("form", { class: "inline-edit" }, input, save, cancel);
      editForm.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          await api("PATCH", `${base}/${encodeURIComponent(v.name)}`, { value: input.value }, ctx.signal);
          await load();
        } catch (e) {
          fail(e);
        }
      });
      clear(valueCell, editForm);
      edit.disabled = true;
      input.focus();
    });
    return tr;
  }

  async function load(): Promise<void> {
    try {
      const variables = await getAll<Variable>(base, "variables", 30, ctx.signal);
      msg.replaceChildren();
      clear(body, variables.map(row));
      if (!variables.length) body.append(h("tr", null, h("td", { colspan: 4, class: "empty" }, "No variables.")));
    } catch (e) {
      if (!ctx.signal.aborted) fail(e);
    }
  }
  void load();
  return h("section", { class: "card" }, h("h2", null, "Variables"), h("table", { class: "table", "data-testid": "variables-table" }, body), form, msg);
}
