// The audit log, of one repository (maintainers) or of all (site administrators): who did what and
// when, filtered by actor, action (a prefix) and a time range, a page at a time. Filters live in the
// hash so a filtered view can be linked.
import { get, sw } from "../api.ts";
import type { AuditEntry } from "../gov-types.ts";
import { auditHref } from "../routes.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { localTime, timeEl } from "../ui/format.ts";
import { repoHeader } from "../ui/repo-tabs.ts";
import type { PageContext } from "./page.ts";

interface AuditRoute {
  owner: string | null;
  repo: string | null;
  query: URLSearchParams;
}

const PER_PAGE = 50;
const FILTERS = ["actor", "action", "since", "until", "repo"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function mountAudit(ctx: PageContext, route: AuditRoute): void {
  const { owner, repo, query } = route;
  const scoped = owner !== null && repo !== null;
  const filters: Filters = {};
  for (const f of FILTERS) filters[f] = query.get(f) ?? undefined;
  const page = Math.max(1, Number(query.get("page")) || 1);

  const form = filterForm(scoped, filters, (f) => (location.hash = auditHref(owner, repo, f)));
  const body = h("tbody");
  const msg = h("div");
  const pager = h("div", { class: "pager" });
  const head = scoped ? repoHeader(owner, repo, "audit") : h("div", { class: "page-head" }, h("h1", null, "Audit log"));
  ctx.root.append(
    head,
    h(
      "section",
      { class: "card" },
      scoped ? h("h2", null, "Audit log") : null,
      form,
      msg,
      h(
        "table",
        { class: "table audit", "data-testid": "audit-table" },
        h("thead", null, h("tr", null, h("th", null, "Time"), h("th", null, "Actor"), h("th", null, "Action"), scoped ? null : h("th", null, "Repository"), h("th", null, "Target"), h("th", null, "Details"))),
        body,
      ),
      pager,
    ),
  );

  void (async () => {
    try {
      const params = new URLSearchParams({ per_page: String(PER_PAGE), page: String(page) });
      if (filters.actor) params.set("actor", filters.actor);
      if (filters.action) params.set("action", filters.action);
      if (!scoped && filters.repo) params.set("repo", filters.repo);
      for (const k of ["since", "until"] as const) if (filters[k]) params.set(k, isoOf(filters[k] as string));
      const path = scoped ? `${sw(owner, repo)}/audit` : "/api/slipway/audit";
      const { entries, total } = entriesOf(await get<unknown>(`${path}?${params}`, ctx.signal));
      clear(body, entries.map((e) => row(e, !scoped)));
      if (!entries.length) body.append(h("tr", null, h("td", { colspan: scoped ? 5 : 6, class: "empty" }, page > 1 ? "No more entries." : "No entries match.")));
      drawPager(pager, page, entries.length, total, (p) => auditHref(owner, repo, { ...filters, page: p > 1 ? String(p) : undefined }));
    } catch (e) {
      if (!ctx.signal.aborted) clear(msg, notice("error", errorText(e), "audit-error"));
    }
  })();
}

function filterForm(scoped: boolean, filters: Filters, apply: (f: Filters) => void): HTMLFormElement {
  const input = (name: keyof Filters, label: string, attrs: Record<string, string> = {}): HTMLElement =>
    h("label", { class: "field" }, label, h("input", { name, value: filters[name] ?? "", ...attrs }));
  const form = h(
    "form",
    { class: "filters", "data-testid": "audit-filters" },
    scoped ? null : input("repo", "Repository", { placeholder: "owner/name" }),
    input("actor", "Actor", { placeholder: "any" }),
    input("action", "Action", { placeholder: "e.g. environment, secret.set", list: "audit-actions" }),
    h("datalist", { id: "audit-actions" }, ["secret", "variable", "environment", "deployment.approve", "deployment.reject", "deployment.bypass", "token", "notification", "protection"].map((a) => h("option", { value: a }))),
    input("since", "Since", { type: "datetime-local" }),
    input("until", "Until", { type: "datetime-local" }),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "audit-apply" }, "Filter"), h("button", { type: "button", class: "btn", onclick: () => apply({}) }, "Clear")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    apply(Object.fromEntries(FILTERS.map((f) => [f, String(data.get(f) ?? "").trim() || undefined])) as Filters);
  });
  return form;
}

/** The answer as a list, or `{total_count, entries}`. */
function entriesOf(res: unknown): { entries: AuditEntry[]; total: number | null } {
  if (Array.isArray(res)) return { entries: res as AuditEntry[], total: null };
  const o = (res ?? {}) as Record<string, unknown>;
  const list = [o["entries"], o["audit"], o["items"], o["events"]].find(Array.isArray) as AuditEntry[] | undefined;
  return { entries: list ?? [], total: typeof o["total_count"] === "number" ? o["total_count"] : null };
}

/** A datetime-local value is the viewer's local time; the API wants an instant. */
function isoOf(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

function row(e: AuditEntry, withRepo: boolean): HTMLTableRowElement {
  return h(
    "tr",
    { "data-testid": "audit-row", "data-action": e.action, "data-actor": e.actor, "data-target": e.target ?? "" },
    h("td", { class: "nowrap" }, timeEl(e.at), h("div", { class: "muted small" }, localTime(e.at))),
    h("td", null, e.actor),
    h("td", null, h("code", null, e.action)),
    withRepo ? h("td", null, e.repo ?? h("span", { class: "muted" }, "—")) : null,
    h("td", null, e.target ?? ""),
    h("td", { class: "details" }, details(e.details)),
  );
}

function details(d: Record<string, unknown> | null): HTMLElement | string {
  const entries = Object.entries(d ?? {});
  if (!entries.length) return "";
  return h("dl", { class: "kv" }, entries.map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, typeof v === "string" ? v : JSON.stringify(v)))));
}

function drawPager(pager: HTMLElement, page: number, count: number, total: number | null, href: (p: number) => string): void {
  const more = total === null ? count === PER_PAGE : page * PER_PAGE < total;
  const pages = total === null ? null : Math.max(1, Math.ceil(total / PER_PAGE));
  clear(
    pager,
    page > 1 ? h("a", { class: "btn small", href: href(page - 1), "data-testid": "audit-prev" }, "Newer") : h("span", { class: "btn small disabled" }, "Newer"),
    h("span", { class: "muted" }, pages ? `Page ${page} of ${pages}` : `Page ${page}`),
    more ? h("a", { class: "btn small", href: href(page + 1), "data-testid": "audit-next" }, "Older") : h("span", { class: "btn small disabled" }, "Older"),
  );
}
