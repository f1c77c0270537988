/**
 * Reading the audit log: every repository's for a site administrator, one repository's for its
 * maintainers. Filters: actor, action (a prefix: `secret` matches `secret.set`), since and until (ISO
 * times; until is exclusive); pages as GitHub's lists, with a `Link` header.
 */
import { InputError } from "../../common/errors.ts";
import type { AuditEntry, AuditFilter } from "../../store/audit-store.ts";
import type { App } from "../app.ts";
import { linkHeader, pageOf } from "../http/pages.ts";
import type { Router } from "../http/router.ts";
import { repoOf } from "./lookup.ts";

export function auditRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/audit", "site-admin", async ({ url }) => auditPage(app, url, text(url, "repo")));
  r.add("GET", "/api/slipway/repos/:owner/:repo/audit", "maintainer", async ({ url, params }) => auditPage(app, url, (await repoOf(app, params)).fullName));
}

async function auditPage(app: App, url: URL, repo: string | undefined) {
  const filter: AuditFilter = { repo, actor: text(url, "actor"), action: text(url, "action"), since: time(url, "since"), until: time(url, "until") };
  const page = pageOf(url);
  const [entries, total] = await Promise.all([app.store.audit.list({ ...filter, limit: page.perPage, offset: page.offset }), app.store.audit.count(filter)]);
  return { status: 200, json: { total_count: total, entries: entries.map(entryShape) }, headers: linkHeader(url, page, total) };
}

function entryShape(e: AuditEntry) {
  return { id: e.id, at: e.at, actor: e.actor, action: e.action, repo: e.repo, target: e.target, details: e.details };
}

function text(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) || undefined;
}

/** Entries are stored with `toISOString` times, so a bound is compared in that same form. */
function time(url: URL, name: string): string | undefined {
  const raw = text(url, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new InputError(`${name} must be an ISO 8601 time such as 2026-01-31T12:00:00Z, got '${raw}'`);
  return new Date(ms).toISOString();
}
