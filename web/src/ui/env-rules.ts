// The protection rules of an environment as form controls: required reviewers (up to six users or
// teams), wait timer, prevent self-review, deployment branch policy and admin bypass. Reads back the
// PUT body and the wanted branch patterns; saving them is the page's job.
import type { BranchPattern, Environment, EnvironmentBody } from "../gov-types.ts";
import { h } from "./dom.ts";

export const MAX_REVIEWERS = 6;
export const MAX_WAIT_MINUTES = 43_200;

export type PolicyKind = "any" | "protected" | "custom";

export interface Reviewer {
  type: "User" | "Team";
  name: string;
}

export interface RulesForm {
  el: HTMLElement;
  /** The PUT body, or a message saying what is wrong with the form. */
  read(): { body: EnvironmentBody; patterns: Omit<BranchPattern, "id">[] } | { error: string };
}

export function reviewersOf(env: Environment | null): Reviewer[] {
  const out: Reviewer[] = [];
  for (const rule of env?.protection_rules ?? []) {
    if (rule.type !== "required_reviewers") continue;
    for (const r of rule.reviewers) out.push({ type: r.type, name: r.reviewer.login ?? r.reviewer.slug ?? r.reviewer.name ?? String(r.reviewer.id ?? "") });
  }
  return out;
}

export function waitTimerOf(env: Environment | null): number {
  const rule = env?.protection_rules?.find((r) => r.type === "wait_timer");
  return rule && rule.type === "wait_timer" ? rule.wait_timer : 0;
}

export function preventSelfReviewOf(env: Environment | null): boolean {
  const rule = env?.protection_rules?.find((r) => r.type === "required_reviewers");
  return !!(rule && rule.type === "required_reviewers" && rule.prevent_self_review);
}

export function policyOf(env: Environment | null): PolicyKind {
  const p = env?.deployment_branch_policy;
  if (!p) return "any";
  return p.custom_branch_policies ? "custom" : "protected";
}

export function rulesForm(env: Environment | null, patterns: BranchPattern[]): RulesForm {
  const reviewers = reviewerList(reviewersOf(env));
  const wait = h("input", { type: "number", min: 0, max: MAX_WAIT_MINUTES, step: 1, value: waitTimerOf(env), name: "wait_timer", "data-testid": "env-wait-timer" });
  const selfReview = h("input", { type: "checkbox", name: "prevent_self_review", checked: preventSelfReviewOf(env), "data-testid": "env-prevent-self-review" });
  const bypass = h("input", { type: "checkbox", name: "admin_bypass", checked: env?.can_admins_bypass ?? true, "data-testid": "env-admin-bypass" });
  const policy = policyPicker(policyOf(env), patterns);

  const el = h(
    "div",
    { class: "rules" },
    h("div", { class: "rule" }, h("h3", null, "Required reviewers"), h("p", { class: "muted small" }, `Up to ${MAX_REVIEWERS} users or teams; one approval releases the job.`), reviewers.el, h("label", { class: "check" }, selfReview, " Prevent self-review (the person who triggered the run cannot approve it)")),
    h("div", { class: "rule" }, h("h3", null, "Wait timer"), h("label", { class: "inline" }, wait, h("span", { class: "muted" }, ` minutes (0–${MAX_WAIT_MINUTES}) from when the job is triggered`))),
    h("div", { class: "rule" }, h("h3", null, "Deployment branches and tags"), policy.el),
    h("div", { class: "rule" }, h("label", { class: "check" }, bypass, " Allow administrators to bypass these rules (every bypass is audited)")),
  );

  return {
    el,
    read() {
      const minutes = Number(wait.value || "0");
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_WAIT_MINUTES) return { error: `The wait timer must be a whole number of minutes from 0 to ${MAX_WAIT_MINUTES}.` };
      const list = reviewers.read();
      if (list.length > MAX_REVIEWERS) return { error: `At most ${MAX_REVIEWERS} reviewers.` };
      const kind = policy.kind();
      const wanted = kind === "custom" ? policy.patterns() : [];
      if (kind === "custom" && !wanted.length) return { error: "Add at least one branch or tag pattern, or choose another branch policy." };
      return {
        body: {
          wait_timer: minutes,
          prevent_self_review: selfReview.checked,
          reviewers: list,
          deployment_branch_policy: kind === "any" ? null : { protected_branches: kind === "protected", custom_branch_policies: kind === "custom" },
          can_admins_bypass: bypass.checked,
        },
        patterns: wanted,
      };
    },
  };
}

/** Reviewer chips with a type picker and a name field; "@team" in the field also means a team. */
function reviewerList(initial: Reviewer[]): { el: HTMLElement; read: () => Reviewer[] } {
  const list: Reviewer[] = [...initial];
  const chips = h("div", { class: "chips", "data-testid": "env-reviewers" });
  const type = h("select", { "aria-label": "Reviewer type", "data-testid": "env-reviewer-type" }, h("option", { value: "User" }, "User"), h("option", { value: "Team" }, "Team"));
  const name = h("input", { placeholder: "user name or @team", autocomplete: "off", "data-testid": "env-reviewer-input" });
  const add = h("button", { type: "button", class: "btn small", "data-testid": "env-reviewer-add" }, "Add reviewer");
  const hint = h("span", { class: "muted small" });

  const draw = (): void => {
    chips.replaceChildren(
      ...list.map((r, i) =>
        h(
          "span",
          { class: "chip reviewer", "data-testid": "env-reviewer", "data-name": r.name, "data-type": r.type },
          r.type === "Team" ? `@${r.name}` : r.name,
          h("button", { type: "button", class: "chip-x", title: `Remove ${r.name}`, "aria-label": `Remove ${r.name}`, "data-testid": "env-reviewer-remove", onclick: () => { list.splice(i, 1); draw(); } }, "×"),
        ),
      ),
    );
    if (!list.length) chips.append(h("span", { class: "muted small" }, "No reviewers: jobs need no approval."));
    const full = list.length >= MAX_REVIEWERS;
    add.disabled = full;
    name.disabled = full;
    hint.textContent = full ? `${MAX_REVIEWERS} reviewers is the most an environment can have.` : "";
  };
  const addOne = (): void => {
    const raw = name.value.trim();
    if (!raw || list.length >= MAX_REVIEWERS) return;
    const team = raw.startsWith("@") || type.value === "Team";
    const r: Reviewer = { type: team ? "Team" : "User", name: raw.replace(/^@/, "") };
    if (!list.some((x) => x.type === r.type && x.name.toLowerCase() === r.name.toLowerCase())) list.push(r);
    name.value = "";
    draw();
    name.focus();
  };
  add.addEventListener("click", addOne);
  // Enter in the name field adds the reviewer instead of submitting the whole form.
  name.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    addOne();
  });
  draw();
  return { el: h("div", null, chips, h("div", { class: "inline" }, type, name, add, hint)), read: () => [...list] };
}

function policyPicker(initial: PolicyKind, patterns: BranchPattern[]): { el: HTMLElement; kind: () => PolicyKind; patterns: () => Omit<BranchPattern, "id">[] } {
  const group = `policy-${Math.random().toString(36).slice(2)}`;
  const radio = (value: PolicyKind, label: string, help: string): HTMLElement =>
    h("label", { class: "check" }, h("input", { type: "radio", name: group, value, checked: value === initial, "data-testid": `env-policy-${value}` }), h("span", null, label, h("span", { class: "muted small" }, ` — ${help}`)));
  const rows = h("div", { class: "patterns", "data-testid": "env-patterns" });
  const addRow = (p: Omit<BranchPattern, "id"> = { name: "", type: "branch" }): void => {
    const row = h(
      "div",
      { class: "inline pattern", "data-testid": "env-pattern" },
      h("select", { "aria-label": "Pattern applies to", "data-testid": "env-pattern-type" }, h("option", { value: "branch", selected: p.type !== "tag" }, "branch"), h("option", { value: "tag", selected: p.type === "tag" }, "tag")),
      h("input", { value: p.name, placeholder: "main, release/*", autocomplete: "off", "data-testid": "env-pattern-name" }),
      h("button", { type: "button", class: "btn small", "data-testid": "env-pattern-remove", onclick: () => row.remove() }, "Remove"),
    );
    rows.append(row);
  };
  for (const p of patterns) addRow(p);
  const add = h("button", { type: "button", class: "btn small", "data-testid": "env-pattern-add", onclick: () => addRow() }, "Add pattern");
  const custom = h("div", { class: "custom-patterns" }, rows, add, h("p", { class: "muted small" }, "GitHub's glob rules: * does not match /, ** does."));
  const el = h(
    "div",
    { class: "policy" },
    radio("any", "All branches and tags", "no restriction"),
    radio("protected", "Protected branches only", "branches with protection rules"),
    radio("custom", "Selected branches and tags", "name patterns"),
    custom,
  );
  const kind = (): PolicyKind => (el.querySelector<HTMLInputElement>(`input[name="${group}"]:checked`)?.value as PolicyKind | undefined) ?? "any";
  const sync = (): void => {
    custom.hidden = kind() !== "custom";
    if (!custom.hidden && !rows.children.length) addRow();
  };
  el.addEventListener("change", sync);
  sync();
  return {
    el,
    kind,
    patterns: () =>
      Array.from(rows.querySelectorAll<HTMLElement>("[data-testid=env-pattern]"))
        .map((r) => ({ name: (r.querySelector<HTMLInputElement>("input")?.value ?? "").trim(), type: (r.querySelector<HTMLSelectElement>("select")?.value === "tag" ? "tag" : "branch") as "branch" | "tag" }))
        .filter((p) => p.name),
  };
}

/** One line per rule, for the environments table. */
export function ruleSummary(env: Environment, patterns: BranchPattern[]): string[] {
  const out: string[] = [];
  const reviewers = reviewersOf(env);
  if (reviewers.length) out.push(`Reviewers: ${reviewers.map((r) => (r.type === "Team" ? `@${r.name}` : r.name)).join(", ")}${preventSelfReviewOf(env) ? " (no self-review)" : ""}`);
  const wait = waitTimerOf(env);
  if (wait) out.push(`Wait ${wait} min`);
  const kind = policyOf(env);
  if (kind === "protected") out.push("Protected branches only");
  if (kind === "custom") out.push(`Branches: ${patterns.map((p) => (p.type === "tag" ? `tag ${p.name}` : p.name)).join(", ") || "none"}`);
  if (out.length) out.push(env.can_admins_bypass === false ? "Admins cannot bypass" : "Admins may bypass");
  return out;
}
