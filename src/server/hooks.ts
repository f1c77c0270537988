/**
 * `POST /hooks/{github,gitea,forgejo}`: a delivery is verified against its repository's secret, turned
 * into GitHub's event shape and queued, all before the answer, so a 2xx means it is in the store. A
 * wrong or missing signature gets 401 and queues nothing; a redelivery (same delivery id) queues
 * nothing either and says so.
 */
import type { RepoRecord } from "../store/server-store.ts";
import type { App } from "./app.ts";
import { readRaw } from "./http/body.ts";
import type { Router } from "./http/router.ts";
import { deliveryKey, normalizeEvent, verifyDelivery, type Forge, type NormalizedEvent } from "./webhooks/index.ts";
import type { TriggerData } from "./queue/trigger-data.ts";

const RUNNABLE = new Set(["push", "pull_request", "release", "create", "delete"]);

export function hookRoutes(app: App, r: Router): void {
  for (const forge of ["github", "gitea", "forgejo"] as const) r.add("POST", `/hooks/${forge}`, "public", ({ req }) => receive(app, forge, req));
}

async function receive(app: App, forge: Forge, req: Parameters<typeof readRaw>[0]) {
  const body = await readRaw(req);
  const repo = await repoNamedIn(app, body);
  const secret = repo?.webhookSecret ? app.box.open(repo.webhookSecret, `webhook:${repo.fullName}`) : repo ? "" : null;
  const v = verifyDelivery({ forge, headers: req.headers as Record<string, string | undefined>, body }, () => secret);
  if (!v.ok) {
    app.metrics.delivery(v.status === 401 ? "unauthorized" : "bad_request");
    if (v.detail) app.log(`webhook refused: ${v.detail}`);
    return { status: v.status, json: { message: v.reason } };
  }
  if (v.event === "ping") {
    app.metrics.delivery("ignored");
    return { status: 200, json: { message: "pong" } };
  }
  if (!RUNNABLE.has(v.event) || !repo) {
    app.metrics.delivery("ignored");
    return { status: 202, json: { message: `event '${v.event}' starts no runs on Slipway` } };
  }
  const ev = normalizeEvent(v);
  const key = deliveryKey(forge, v.deliveryId);
  const data = triggerDataOf(ev, repo);
  const first = await app.queue.enqueue({ repo: repo.fullName, event: ev.name, deliveryKey: key, data: { ...data } });
  // The triggers a delivery implies besides its own are queued on a redelivery too (each is idempotent
  // by its own key), so a crash between them cannot lose one for good.
  for (const action of ev.alsoActions ?? []) {
    // A forge that folds several of GitHub's activity types into one delivery: one trigger per type.
    await app.queue.enqueue({ repo: repo.fullName, event: ev.name, deliveryKey: `${key}:${action}`, data: { ...data, payload: { ...data.payload, action } } });
  }
  if (ev.name === "pull_request") {
    // pull_request_target runs the base branch's workflows, with secrets, for the same delivery.
    await app.queue.enqueue({ repo: repo.fullName, event: "pull_request_target", deliveryKey: `${key}:target`, data: { ...targetDataOf(ev) } });
  }
  if (first.duplicate) {
    app.metrics.delivery("duplicate");
    return { status: 200, json: { message: "already received (same delivery id): no new run", trigger: first.trigger.id } };
  }
  app.metrics.delivery("accepted");
  return { status: 202, json: { message: "queued", trigger: first.trigger.id } };
}

async function repoNamedIn(app: App, body: Buffer): Promise<RepoRecord | null> {
  try {
    const name = (JSON.parse(body.toString("utf8")) as { repository?: { full_name?: unknown } }).repository?.full_name;
    return typeof name === "string" ? app.store.getRepo(name) : null;
  } catch {
    return null;
  }
}

function actorOf(ev: NormalizedEvent): string {
  const login = (ev.payload.sender as { login?: unknown } | undefined)?.login;
  return typeof login === "string" ? login : "webhook";
}

function triggerDataOf(ev: NormalizedEvent, repo: RepoRecord): TriggerData {
  const actor = actorOf(ev);
  switch (ev.name) {
    case "push":
      return { payload: ev.payload, sha: ev.sha, ref: ev.ref ?? "", before: ev.before, actor };
    case "pull_request": {
      const base = (ev.payload.pull_request as { base?: { sha?: string } } | undefined)?.base;
      return { payload: ev.payload, sha: ev.sha, ref: ev.ref ?? "", baseRef: ev.baseRef, headRef: ev.headRef, baseSha: base?.sha, actor, fork: ev.fork };
    }
    case "delete":
      // GitHub runs `delete` on the default branch's last commit: the deleted ref has none.
      return { payload: ev.payload, ref: `refs/heads/${repo.defaultBranch}`, actor };
    default:
      // create and release: the ref's last commit.
      return { payload: ev.payload, ref: ev.ref ?? `refs/heads/${repo.defaultBranch}`, actor };
  }
}

function targetDataOf(ev: NormalizedEvent): TriggerData {
  const base = (ev.payload.pull_request as { base?: { sha?: string } } | undefined)?.base;
  return { payload: ev.payload, ref: `refs/heads/${ev.baseRef ?? ""}`, baseRef: ev.baseRef, headRef: ev.headRef, baseSha: base?.sha, actor: actorOf(ev), fork: false };
}
