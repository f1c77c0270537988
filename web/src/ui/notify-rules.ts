// Notification rules as a list: each rule sends some events to one channel, optionally only for some
// branches or workflows. Saved as a whole (PUT replaces the list).
import type { Channel, NotificationRule } from "../gov-types.ts";
import { h } from "./dom.ts";

export const EVENTS: { name: string; label: string }[] = [
  { name: "run.failed", label: "Run failed" },
  { name: "run.fixed", label: "Run fixed" },
  { name: "deployment.started", label: "Deployment started" },
  { name: "deployment.succeeded", label: "Deployment succeeded" },
  { name: "deployment.failed", label: "Deployment failed" },
  { name: "approval.requested", label: "Approval requested" },
];

export interface RulesEditor {
  el: HTMLElement;
  read(): NotificationRule[];
}

const words = (s: string): string[] | null => {
  const list = s.split(/[,\s]+/).filter(Boolean);
  return list.length ? list : null;
};

export function rulesEditor(channels: Channel[], rules: NotificationRule[]): RulesEditor {
  const body = h("tbody");
  const row = (rule: NotificationRule): HTMLTableRowElement => {
    const on = new Set(rule.events);
    const channel = h("select", { name: "channel", "aria-label": "Channel", "data-testid": "rule-channel" }, channels.map((c) => h("option", { value: c.name, selected: c.name === rule.channel }, c.name)));
    const tr = h(
      "tr",
      { "data-testid": "rule-row" },
      h("td", null, channel),
      EVENTS.map((e) => h("td", { class: "center" }, h("input", { type: "checkbox", name: "event", value: e.name, checked: on.has(e.name), "aria-label": e.label, "data-testid": "rule-event", "data-event": e.name }))),
      h("td", null, h("input", { name: "branches", value: (rule.branches ?? []).join(", "), placeholder: "every branch", "data-testid": "rule-branches" })),
      h("td", null, h("input", { name: "workflows", value: (rule.workflows ?? []).join(", "), placeholder: "every workflow", "data-testid": "rule-workflows" })),
      h("td", null, h("button", { type: "button", class: "btn small", "data-testid": "rule-remove", onclick: () => tr.remove() }, "Remove")),
    );
    return tr;
  };
  for (const r of rules) body.append(row(r));
  const add = h("button", { type: "button", class: "btn small", "data-testid": "rule-add", onclick: () => body.append(row({ channel: channels[0]?.name ?? "", events: [] })) }, "Add rule");
  const el = h(
    "div",
    null,
    h(
      "div",
      { class: "scroll-x" },
      h("table", { class: "table rules-table", "data-testid": "rules-table" }, h("thead", null, h("tr", null, h("th", null, "Channel"), EVENTS.map((e) => h("th", { class: "center" }, e.label)), h("th", null, "Branches"), h("th", null, "Workflows"), h("th"))), body),
    ),
    h("div", { class: "actions" }, add),
  );
  return {
    el,
    read: () =>
      Array.from(body.querySelectorAll<HTMLTableRowElement>("tr")).map((tr) => ({
        channel: tr.querySelector<HTMLSelectElement>("select[name=channel]")?.value ?? "",
        events: Array.from(tr.querySelectorAll<HTMLInputElement>("input[name=event]:checked")).map((i) => i.value),
        branches: words(tr.querySelector<HTMLInputElement>("input[name=branches]")?.value ?? ""),
        workflows: words(tr.querySelector<HTMLInputElement>("input[name=workflows]")?.value ?? ""),
      })),
  };
}
