/**
 * Notification channels, rules and the delivery log of a repository, and the one-time approval links
 * Slack messages carry. Viewers read; maintainers change. A channel's URL and secret are write-only:
 * answers show the URL's scheme and host only.
 */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { AttemptRecord, ChannelRecord, DeliveryRecord, DeliveryStatus, RuleRecord } from "../../store/notification-store.ts";
import { channelNameProblem } from "../../workflow/repo-config-notifications.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { field, readJsonObject } from "../http/body.ts";
import { linkHeader, pageOf } from "../http/pages.ts";
import type { Router } from "../http/router.ts";
import { describeLink, useApprovalLink, type Decision } from "../notify/approval-links.ts";
import { openChannel, sealChannel } from "../notify/channel-seal.ts";
import { kindOf, readRules, secretOf, urlOf } from "../notify/input.ts";
import { maskUrl } from "../notify/mask.ts";
import { repoOf } from "./lookup.ts";

const BASE = "/api/slipway/repos/:owner/:repo/notifications";

export function notificationRoutes(app: App, r: Router): void {
  channelRoutes(app, r);
  r.add("GET", `${BASE}/rules`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    return { status: 200, json: { rules: (await app.store.notifications.getRules(repo.fullName)).map(ruleShape) } };
  });
  r.add("PUT", `${BASE}/rules`, "maintainer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const channels = new Set((await app.store.notifications.listChannels(repo.fullName)).map((c) => c.name.toLowerCase()));
    const rules = readRules((await readJsonObject(req)).rules, (name) => channels.has(name.toLowerCase()));
    await app.store.notifications.setRules(repo.fullName, rules);
    await audit(app, caller, "notification.rules.update", repo.fullName, null, { rules: rules.map(ruleShape) });
    return { status: 200, json: { rules: rules.map(ruleShape) } };
  });
  r.add("GET", `${BASE}/channels/:name/deliveries`, "viewer", async ({ params, url }) => {
    const repo = await repoOf(app, params);
    const page = pageOf(url);
    const status = url.searchParams.get("status") ?? undefined;
    if (status !== undefined && !["pending", "delivered", "failed"].includes(status)) throw new InputError(`status must be pending, delivered or failed, got '${status}'`);
    const channel = params.name as string;
    const { deliveries, total } = await app.store.notifications.listDeliveries({ repo: repo.fullName, channel, status: status as DeliveryStatus | undefined, limit: page.perPage, offset: page.offset });
    if (total === 0 && status === undefined && !(await app.store.notifications.getChannel(repo.fullName, channel))) throw new NotFoundError("Not Found");
    const shaped = await Promise.all(deliveries.map(async (d) => deliveryShape(d, await app.store.notifications.listAttempts(d.id))));
    return { status: 200, json: { total_count: total, deliveries: shaped }, headers: linkHeader(url, page, total) };
  });
  approvalLinkRoutes(app, r);
}

function channelRoutes(app: App, r: Router): void {
  r.add("GET", `${BASE}/channels`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const list = await app.store.notifications.listChannels(repo.fullName);
    return { status: 200, json: { total_count: list.length, channels: list.map((c) => channelShape(app, c)) } };
  });
  r.add("GET", `${BASE}/channels/:name`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    return { status: 200, json: channelShape(app, await channelOf(app, repo.fullName, params.name as string)) };
  });
  r.add("POST", `${BASE}/channels`, "maintainer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const body = await readJsonObject(req);
    const name = field(body, "name", true);
    const bad = channelNameProblem(name);
    if (bad) throw new InputError(bad);
    const kind = kindOf(field(body, "kind", true));
    const url = urlOf(field(body, "url", true));
    const secret = secretOf(body.secret, kind);
    const c = await app.store.notifications.createChannel({
      repo: repo.fullName, name, kind,
      url: sealChannel(app.box, repo.fullName, name, "url", url),
      secret: secret === null ? null : sealChannel(app.box, repo.fullName, name, "secret", secret),
    });
    await audit(app, caller, "notification.channel.create", repo.fullName, c.name, { kind, url: maskUrl(url), has_secret: secret !== null });
    return { status: 201, json: channelShape(app, c) };
  });
  r.add("PATCH", `${BASE}/channels/:name`, "maintainer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const old = await channelOf(app, repo.fullName, params.name as string);
    const c = await patchChannel(app, old, await readJsonObject(req), caller);
    return { status: 200, json: channelShape(app, c) };
  });
  r.add("DELETE", `${BASE}/channels/:name`, "maintainer", async ({ params, caller }) => {
    const repo = await repoOf(app, params);
    const gone = await app.store.notifications.deleteChannel(repo.fullName, params.name as string);
    if (!gone) throw new NotFoundError("Not Found");
    await audit(app, caller, "notification.channel.delete", repo.fullName, params.name as string, { rules_removed: gone.rulesRemoved });
    return { status: 204 };
  });
}

async function patchChannel(app: App, old: ChannelRecord, body: Record<string, unknown>, caller: Caller | null): Promise<ChannelRecord> {
  if (body.name !== undefined && body.name !== old.name) throw new InputError("a channel cannot be renamed (rules name it): create another and delete this one");
  const kind = body.kind === undefined ? old.kind : kindOf(field(body, "kind", true));
  const patch: Partial<Pick<ChannelRecord, "kind" | "url" | "secret">> = { kind };
  const changed: string[] = kind === old.kind ? [] : ["kind"];
  let shownUrl: string | null = null;
  if (body.url !== undefined) {
    const url = urlOf(field(body, "url", true));
    patch.url = sealChannel(app.box, old.repo, old.name, "url", url);
    shownUrl = maskUrl(url);
    changed.push("url");
  }
  if (body.secret !== undefined) {
    const secret = secretOf(body.secret, kind);
    patch.secret = secret === null ? null : sealChannel(app.box, old.repo, old.name, "secret", secret);
    changed.push("secret");
  } else if (kind === "slack" && old.secret !== null) {
    throw new InputError('a Slack channel has no secret: send "secret": null to remove it when changing the kind to slack');
  }
  const c = await app.store.notifications.updateChannel(old.repo, old.name, patch);
  if (!c) throw new NotFoundError("Not Found");
  await audit(app, caller, "notification.channel.update", c.repo, c.name, { changed, kind: c.kind, ...(shownUrl ? { url: shownUrl } : {}), has_secret: c.secret !== null });
  return c;
}

function approvalLinkRoutes(app: App, r: Router): void {
  // What a link is about, for the dashboard's confirmation page, used or not; only for people who may
  // see the repository.
  r.add("GET", "/api/slipway/approval-links/:token", "user", async ({ params, caller }) => {
    const { link, review, run } = await describeLink(app, params.token as string);
    await caller?.require(link.repo, "viewer");
    return {
      status: 200,
      json: {
        repo: link.repo, run_id: link.runId, run_attempt: link.runAttempt, environment: link.environment, decision: link.decision,
        workflow: run?.workflowName ?? null, sha: run?.sha ?? null, ref: run?.ref ?? null, actor: run?.actor ?? null,
        review_state: review?.state ?? null, used: link.usedAt !== null, used_by: link.usedBy, expires_at: link.expiresAt,
      },
    };
  });
  r.add("POST", "/api/slipway/approval-links/:token", "user", async ({ params, req, caller }) => {
    const body = await readJsonObject(req);
    const decision = field(body, "decision", true);
    if (decision !== "approve" && decision !== "reject") throw new InputError(`decision must be approve or reject, got '${decision}'`);
    const comment = field(body, "comment")?.trim() || null;
    const { link, reviews } = await useApprovalLink(app, params.token as string, decision as Decision, comment, caller as Caller);
    return { status: 200, json: { repo: link.repo, run_id: link.runId, environment: link.environment, decision: link.decision, reviews: reviews.map((x) => ({ environment: x.environment, state: x.state, reviewer: x.reviewer, comment: x.comment })) } };
  });
}

async function channelOf(app: App, repo: string, name: string): Promise<ChannelRecord> {
  const c = await app.store.notifications.getChannel(repo, name);
  if (!c) throw new NotFoundError("Not Found");
  return c;
}

function channelShape(app: App, c: ChannelRecord) {
  let url = "***";
  try {
    url = maskUrl(openChannel(app.box, c.repo, c.name, "url", c.url));
  } catch {
    // A channel sealed with another key still lists; its URL shows as unknown.
  }
  return { name: c.name, kind: c.kind, url, has_secret: c.secret !== null, created_at: c.createdAt, updated_at: c.updatedAt };
}

function ruleShape(r: RuleRecord) {
  return { channel: r.channel, events: r.events, branches: r.branches, workflows: r.workflows };
}

/** `attempts`, `response_code` and `error` describe the latest attempt; `history` has each one. */
function deliveryShape(d: DeliveryRecord, attempts: AttemptRecord[]) {
  const last = attempts.at(-1);
  return {
    id: d.guid,
    event: d.event,
    channel: d.channel,
    source: d.source,
    status: d.status,
    attempts: attempts.length,
    response_code: last?.statusCode ?? null,
    error: last?.error ?? null,
    created_at: d.createdAt,
    finished_at: d.finishedAt,
    next_attempt_at: d.status === "pending" ? d.nextAt : null,
    history: attempts.map((a) => ({ attempt: a.n, at: a.at, response_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
  };
}
