// The header every repository page shares: its name, and tabs for its sections.
import { auditHref, deploymentsHref, environmentsHref, notificationsHref, repoHref, runsHref } from "../routes.ts";
import { h } from "./dom.ts";

export type RepoSection = "overview" | "environments" | "deployments" | "notifications" | "audit";

export function repoHeader(owner: string, repo: string, active: RepoSection, ...extra: HTMLElement[]): HTMLElement {
  const tab = (section: RepoSection, label: string, href: string): HTMLAnchorElement =>
    h("a", { href, class: section === active ? "tab active" : "tab", "data-testid": `repo-tab-${section}`, "aria-current": section === active ? "page" : null }, label);
  return h(
    "div",
    { class: "repo-head" },
    h("div", { class: "page-head" }, h("h1", null, `${owner}/${repo}`), h("div", { class: "head-actions" }, ...extra, h("a", { class: "btn", href: runsHref({ repo: `${owner}/${repo}` }) }, "All runs"))),
    h(
      "nav",
      { class: "tabs" },
      tab("overview", "Workflows & secrets", repoHref(owner, repo)),
      tab("environments", "Environments", environmentsHref(owner, repo)),
      tab("deployments", "Deployments", deploymentsHref(owner, repo)),
      tab("notifications", "Notifications", notificationsHref(owner, repo)),
      tab("audit", "Audit log", auditHref(owner, repo)),
    ),
  );
}
