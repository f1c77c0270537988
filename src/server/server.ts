/**
 * `slipway server`: opens the store and the secret key, bootstraps the admin token, recovers what a
 * killed server left (interrupted runs are marked cancelled with the reason; triggers not yet processed
 * are processed), then serves the API, the webhooks and the dashboard.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { openSqliteStore } from "../store/sqlite/open.ts";
import { reapOrphanGroups } from "../run/executors/step-ledger.ts";
import { isOwnerAlive } from "../store/owner.ts";
import type { App, ServerSettings } from "./app.ts";
import { bootstrapAdmin } from "./auth/tokens.ts";
import { handler } from "./http/handle.ts";
import { Router } from "./http/router.ts";
import { UrlSigner } from "./http/signed-url.ts";
import { Metrics } from "./metrics.ts";
import { RunService } from "./queue/run-service.ts";
import { TriggerQueue } from "./queue/trigger-queue.ts";
import { WorkflowCache } from "./queue/workflows-at.ts";
import { Mirrors } from "./repos/mirror.ts";
import { SecretBox } from "./secrets/secret-box.ts";
import { SealedBoxKey } from "./secrets/sealed-box-key.ts";
import { StatusReporter, type StatusConfig } from "./statuses.ts";
import { routes } from "./routes.ts";
import { ServerEvents } from "./events.ts";
import { ReviewService } from "./deploy/review-service.ts";
import { watchMergeGate } from "./gate/aggregate.ts";
import { gateTiming } from "./deploy/timing.ts";
import { claimWaitingRuns, closeOrphanReviews, finishedJobs } from "./deploy/resume.ts";
import { startScheduler } from "./schedule-loop.ts";
import { startNotifications } from "./notify/index.ts";

export interface ServerOptions extends ServerSettings {
  host: string;
  port: number;
  adminToken?: string;
  /** Where the secret key lives; default DATA_DIR/secret.key. Keep it off the database's backups. */
  keyFile?: string;
  statuses?: StatusConfig | null;
  schedulePollMs?: number;
  log?: (m: string) => void;
}

export interface RunningServer {
  url: string;
  /** Set when this start created the admin token; `generated` when it was not taken from the environment. */
  adminToken: { token: string; generated: boolean } | null;
  app: App;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const log = o.log ?? ((m: string) => process.stderr.write(`slipway server: ${m}\n`));
  const store = await openSqliteStore(path.join(o.dataDir, "slipway.db"));
  // Runs that only waited for a review keep waiting: claim them before the others are closed.
  const resumable = await claimWaitingRuns(store, isOwnerAlive);
  const interrupted = await store.recoverInterrupted(isOwnerAlive);
  await closeOrphanReviews(store);
  if (interrupted.length) {
    log(`marked ${interrupted.length} interrupted run(s) cancelled: ${interrupted.join(", ")}`);
    // The steps of a killed server may still be running: stop them, as Ctrl-C would have.
    await reapOrphanGroups();
  }
  // No run survives a restart, so neither does its GITHUB_TOKEN.
  for (const t of await store.listTokens()) if (t.repo !== null) await store.revokeToken(t.id);
  const box = await SecretBox.open(o.keyFile ?? path.join(o.dataDir, "secret.key"));
  const admin = await bootstrapAdmin(store, o.adminToken);
  let signingKey = await store.getSetting("url-signing-key");
  if (!signingKey) {
    signingKey = randomBytes(32).toString("base64");
    await store.setSetting("url-signing-key", signingKey);
  }
  let baseUrl = "";
  const app = { store, box, log, settings: o, baseUrl: () => baseUrl } as unknown as App;
  Object.assign(app, {
    mirrors: new Mirrors(o.dataDir),
    workflows: new WorkflowCache(),
    signer: new UrlSigner(Buffer.from(signingKey, "base64")),
    statuses: o.statuses ? new StatusReporter(o.statuses, log) : null,
    events: new ServerEvents(log),
    gateTiming: gateTiming(o.reviewTimeoutMinutes),
  });
  app.approvals = new ReviewService(app);
  // The aggregate commit status goes out only where commit statuses are configured.
  if (app.statuses) watchMergeGate(app, app.statuses);
  app.queue = new TriggerQueue(app);
  app.runs = new RunService(app);
  app.metrics = new Metrics(async () => app.queue.depth() + (await store.countRuns({ status: "queued" })));
  app.runs.onFinished((run) => {
    if (run.result) app.metrics.runFinished(run.result);
    app.events.emit({ kind: "run.finished", run });
    void app.queue.afterRun(run).catch((e) => log(`workflow_run: ${(e as Error).message}`));
  });
  const router = new Router();
  routes(app, router, await SealedBoxKey.load(store, box));
  const server = createServer(handler(router, store, log));
  server.keepAliveTimeout = 5000;
  await listen(server, o.host, o.port);
  const addr = server.address() as AddressInfo;
  baseUrl = o.publicUrl?.replace(/\/+$/, "") || `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`;
  // Before the queue resumes, so no run can finish unheard; it also sends what a previous process left pending.
  const notifications = startNotifications(app);
  await app.queue.resume();
  const resumed: Promise<void>[] = [];
  for (const id of resumable) {
    const run = await store.getRun(id);
    if (run) resumed.push(app.runs.start(id, await finishedJobs(app, run)));
  }
  if (resumable.length) log(`resumed ${resumable.length} run(s) waiting for a review: ${resumable.join(", ")}`);
  const stopScheduler = startScheduler(app, o.schedulePollMs ?? 30_000);
  return {
    url: `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`,
    adminToken: admin,
    app,
    close: async () => {
      stopScheduler();
      app.runs.cancelAll("cancelled: the server stopped");
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.queue.stop();
      await app.queue.runsDone();
      await Promise.allSettled(resumed);
      await notifications.stop();
      await store.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
