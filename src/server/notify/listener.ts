/**
 * Turns server events into deliveries: decides which notification event happened (a failed run, a
 * fixed one, a deployment, an approval request), finds the channels whose rules match (the API's rules
 * and those of the commit's `.slipway.yml`), and queues one delivery per channel with its body built.
 * Nothing is sent here: the outbox sends, so a slow channel never reaches the run that caused it.
 */
import { randomUUID } from "node:crypto";
import type { NotificationsConfig } from "../../workflow/repo-config-notifications.ts";
import type { ReviewRecord } from "../../store/environment-store.ts";
import type { ChannelKind, DeliverySource } from "../../store/notification-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import type { ServerEvent } from "../events.ts";
import { triggerData } from "../queue/trigger-data.ts";
import { createApprovalLinks } from "./approval-links.ts";
import { notificationsAt } from "./config-at.ts";
import { approvalFacts, branchOf, deploymentFacts, repositoryFacts, runFacts, type NotifyFacts } from "./facts.ts";
import { matchingChannels } from "./rules.ts";
import { slackMessage } from "./slack.ts";
import { webhookBody } from "./webhook-body.ts";

interface Origin {
  repo: string;
  /** The commit whose `.slipway.yml` may add rules; null: only the API's rules. */
  sha: string | null;
  workflowFile: string | null;
  eventKey: string;
  /** approval.requested: the review its one-time links decide. */
  review?: ReviewRecord;
}

interface Channel {
  name: string;
  source: DeliverySource;
  kind: ChannelKind;
  target: Record<string, unknown> | null;
}

/** Queues the deliveries an event causes; returns how many were new. */
export async function deliveriesFor(app: App, e: ServerEvent): Promise<number> {
  const found = await factsOf(app, e);
  if (!found) return 0;
  const { facts, origin } = found;
  const channels = await channelsFor(app, facts, origin);
  let created = 0;
  for (const c of channels) if (await enqueue(app, facts, origin, c)) created++;
  return created;
}

async function factsOf(app: App, e: ServerEvent): Promise<{ facts: NotifyFacts; origin: Origin } | null> {
  const base = app.baseUrl();
  switch (e.kind) {
    case "run.started":
      return null;
    case "run.finished":
      return runFinished(app, e.run);
    case "deployment.started":
    case "deployment.succeeded":
    case "deployment.failed": {
      const d = e.deployment;
      const ctx = e.run ? await runContext(app, e.run) : null;
      const facts: NotifyFacts = { event: e.kind, repository: repositoryFacts(d.repo, base), run: e.run ? runFacts(e.run, base, ctx?.headRef) : null, deployment: deploymentFacts(d, e.kind !== "deployment.started") };
      return { facts, origin: { repo: d.repo, sha: ctx?.fork ? null : d.sha, workflowFile: e.run?.workflowFile ?? d.workflow, eventKey: `deployment:${d.id}` } };
    }
    case "approval.requested": {
      const ctx = await runContext(app, e.run);
      const facts: NotifyFacts = { event: e.kind, repository: repositoryFacts(e.run.repo, base), run: runFacts(e.run, base, ctx.headRef), approval: approvalFacts(e.review, e.environment, e.jobs) };
      return { facts, origin: { repo: e.run.repo, sha: ctx.fork ? null : e.run.sha, workflowFile: e.run.workflowFile, eventKey: `review:${e.review.id}`, review: e.review } };
    }
  }
}

/**
 * run.failed for a failure; run.fixed for a success whose workflow's previous result on that ref was a
 * failure. Every success and failure is recorded, rules or not, so "fixed" is right once rules exist.
 */
async function runFinished(app: App, run: RunRecord): Promise<{ facts: NotifyFacts; origin: Origin } | null> {
  if (run.status !== "completed" || (run.result !== "success" && run.result !== "failure")) return null;
  const repo = await app.store.getRepo(run.repo);
  if (!repo) return null;
  const previous = await app.store.notifications.swapOutcome({ repo: repo.fullName, workflowFile: run.workflowFile, ref: run.ref, result: run.result, runId: run.id, runAttempt: run.runAttempt }, new Date().toISOString());
  const event = run.result === "failure" ? "run.failed" : previous === "failure" ? "run.fixed" : null;
  if (!event) return null;
  const ctx = await runContext(app, run);
  const facts: NotifyFacts = { event, repository: repositoryFacts(repo.fullName, app.baseUrl()), run: runFacts(run, app.baseUrl(), ctx.headRef) };
  if (event === "run.fixed") facts.previousConclusion = previous as string;
  return { facts, origin: { repo: repo.fullName, sha: ctx.fork ? null : run.sha, workflowFile: run.workflowFile, eventKey: `run:${run.id}:${run.runAttempt}` } };
}

/** A fork's pull request may not choose where notifications go: its `.slipway.yml` is not read. */
async function runContext(app: App, run: RunRecord): Promise<{ headRef?: string; fork: boolean }> {
  const trigger = run.triggerId === undefined ? null : await app.store.getTrigger(run.triggerId);
  if (!trigger) return { fork: false };
  const data = triggerData(trigger.data);
  return { headRef: data.headRef, fork: data.fork === true };
}

async function channelsFor(app: App, facts: NotifyFacts, origin: Origin): Promise<Channel[]> {
  const match = { event: facts.event, branch: facts.run?.branch ?? (facts.deployment ? branchOf(facts.deployment.ref) : null), workflowFile: origin.workflowFile };
  const out: Channel[] = [];
  for (const name of matchingChannels(await app.store.notifications.getRules(origin.repo), match)) {
    const c = await app.store.notifications.getChannel(origin.repo, name);
    if (c) out.push({ name: c.name, source: "api", kind: c.kind, target: null });
  }
  if (origin.sha === null) return out;
  const config: NotificationsConfig = await notificationsAt(app, origin.repo, origin.sha).catch((e: unknown) => {
    app.log(`notifications: ${origin.repo}@${origin.sha}: ${(e as Error).message}`);
    return {};
  });
  for (const name of matchingChannels(config.rules ?? [], match)) {
    const c = config.channels?.[name];
    if (c) out.push({ name, source: "config", kind: c.kind, target: { urlSecret: c.urlSecret, ...(c.signingSecret ? { signingSecret: c.signingSecret } : {}) } });
  }
  return out;
}

async function enqueue(app: App, facts: NotifyFacts, origin: Origin, c: Channel): Promise<boolean> {
  const guid = randomUUID();
  const createdAt = new Date().toISOString();
  const links = c.kind === "slack" && origin.review ? await createApprovalLinks(app, origin.review) : null;
  const body = c.kind === "slack" ? slackMessage(facts, links) : webhookBody(facts, { id: guid, createdAt });
  const { created } = await app.store.notifications.enqueueDelivery({ guid, repo: origin.repo, channel: c.name, source: c.source, target: c.target, kind: c.kind, event: facts.event, eventKey: origin.eventKey, body: JSON.stringify(body) }, createdAt);
  return created;
}
