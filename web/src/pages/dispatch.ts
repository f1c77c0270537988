// Dispatch form built from the workflow's `workflow_dispatch` inputs. The server validates; its 422
// message is shown next to the form, and the field it names is marked.
import { guard } from "../access.ts";
import { api, get, sw, v3 } from "../api.ts";
import { repoHref, runsHref, workflowFile } from "../routes.ts";
import type { DispatchInput, Repo, Workflow } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import type { PageContext } from "./page.ts";

interface DispatchRoute {
  owner: string;
  repo: string;
  file: string;
}

type Read = () => string | undefined;

export function mountDispatch(ctx: PageContext, route: DispatchRoute): void {
  const { owner, repo, file } = route;
  const body = h("div", null, h("div", { class: "muted" }, "Loading…"));
  ctx.root.append(h("nav", { class: "crumbs" }, h("a", { href: repoHref(owner, repo) }, `${owner}/${repo}`), " / ", "run workflow"), body);
  void load();

  async function load(): Promise<void> {
    try {
      const [wf, repos] = await Promise.all([
        get<{ workflows: Workflow[]; environments: string[] }>(`${sw(owner, repo)}/workflows`, ctx.signal),
        get<{ repositories: Repo[] }>("/api/slipway/repos", ctx.signal),
      ]);
      const workflow = wf.workflows.find((w) => workflowFile(w.path) === file);
      const full = `${owner}/${repo}`.toLowerCase();
      const info = repos.repositories.find((r) => r.full_name.toLowerCase() === full);
      if (!workflow) return clear(body, notice("error", `No workflow file ${file} in ${owner}/${repo}.`));
      if (!workflow.dispatch) return clear(body, notice("info", `${workflow.name} has no workflow_dispatch trigger, so it cannot be run by hand.`));
      clear(body, form(workflow, workflow.dispatch.inputs, wf.environments, info?.default_branch ?? "main"));
    } catch (e) {
      if (!ctx.signal.aborted) clear(body, notice("error", errorText(e)));
    }
  }

  function form(workflow: Workflow, inputs: Record<string, DispatchInput>, environments: string[], defaultBranch: string): HTMLElement {
    const readers = new Map<string, Read>();
    const fields = new Map<string, HTMLElement>();
    const ref = h("input", { id: "dispatch-ref", name: "ref" in inputs ? undefined : "ref", value: defaultBranch, required: true, "data-testid": "dispatch-ref" });
    const errorSlot = h("div", { class: "form-error" });
    const submit = h("button", { type: "submit", class: "btn primary", "data-testid": "dispatch-submit" }, "Run workflow");
    guard(`${owner}/${repo}`, "developer", submit);
    const rows: HTMLElement[] = [h("div", { class: "field-row" }, h("label", { for: "dispatch-ref" }, "Branch or tag ", h("span", { class: "req" }, "*")), ref)];
    for (const [name, decl] of Object.entries(inputs)) {
      const { control, read } = inputControl(name, decl, environments);
      readers.set(name, read);
      const row = h(
        "div",
        { class: "field-row", "data-input": name },
        h("label", { for: `in-${name}` }, name, decl.required ? h("span", { class: "req", title: "required" }, " *") : null),
        control,
        decl.description ? h("div", { class: "help" }, decl.description) : null,
      );
      fields.set(name.toLowerCase(), row);
      rows.push(row);
    }
    const el = h(
      "form",
      { class: "card dispatch", "data-testid": "dispatch-form", novalidate: true },
      h("h1", null, `Run ${workflow.name}`),
      h("p", { class: "muted" }, h("code", null, workflow.path)),
      rows,
      errorSlot,
      h("div", { class: "actions" }, submit, h("a", { class: "btn", href: repoHref(owner, repo) }, "Cancel")),
    );
    el.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      errorSlot.replaceChildren();
      for (const f of fields.values()) f.classList.remove("invalid");
      const values: Record<string, string> = {};
      for (const [name, read] of readers) {
        const v = read();
        if (v !== undefined) values[name] = v;
      }
      submit.disabled = true;
      try {
        await api("POST", `${v3(owner, repo)}/actions/workflows/${encodeURIComponent(file)}/dispatches`, { ref: ref.value.trim(), inputs: values }, ctx.signal);
        location.hash = runsHref({ repo: `${owner}/${repo}`, workflow: file });
      } catch (e) {
        const message = errorText(e);
        errorSlot.append(notice("error", message, "dispatch-error"));
        // The server names the input it refused ("input 'x' must be …"); point at it.
        for (const m of message.matchAll(/input '([^']+)'/g)) fields.get((m[1] ?? "").toLowerCase())?.classList.add("invalid");
        submit.disabled = false;
      }
    });
    return el;
  }
}

function inputControl(name: string, decl: DispatchInput, environments: string[]): { control: HTMLElement; read: Read } {
  const id = `in-${name}`;
  const def = decl.default === undefined || decl.default === null ? undefined : String(decl.default);
  switch (decl.type) {
    case "boolean": {
      const box = h("input", { type: "checkbox", id, name, checked: def === "true" });
      return { control: h("div", { class: "check-wrap" }, box), read: () => String(box.checked) };
    }
    case "choice": {
      const options = (decl.options ?? []).map(String);
      const sel = h("select", { id, name }, options.map((o) => h("option", { value: o, selected: o === def }, o)));
      return { control: sel, read: () => sel.value };
    }
    case "environment": {
      const names = def && !environments.includes(def) ? [...environments, def] : environments;
      const sel = h(
        "select",
        { id, name },
        decl.required ? null : h("option", { value: "", selected: !def }, "(none)"),
        names.map((o) => h("option", { value: o, selected: o === def }, o)),
      );
      return { control: sel, read: () => sel.value || undefined };
    }
    case "number": {
      const input = h("input", { type: "number", step: "any", id, name, value: def });
      return { control: input, read: () => input.value.trim() || undefined };
    }
    default: {
      const input = h("input", { type: "text", id, name, value: def });
      // An emptied field is left out, so the server applies the default or reports a missing input.
      return { control: input, read: () => input.value || undefined };
    }
  }
}
