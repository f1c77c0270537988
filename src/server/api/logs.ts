/**
 * Logs: pages and a live stream for the dashboard, and GitHub's download endpoints, which answer 302 to
 * a signed link (clients drop the Authorization header on redirects) serving plain text or a zip.
 */
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { NotFoundError } from "../../common/errors.ts";
import type { JobRecord, LogLine, RunRecord } from "../../store/store.ts";
import type { Caller } from "../auth/caller.ts";
import type { App } from "../app.ts";
import type { RequestContext, Router } from "../http/router.ts";
import { wholeParam } from "../http/pages.ts";
import { zip } from "../http/zip.ts";
import { currentJobs, jobOf, repoOf, runOf } from "./lookup.ts";
import { requireSignature, signedRedirect } from "./signed-links.ts";

/** Lines per read: a 200,000-line log streams in bounded pieces, never all in memory at once. */
const CHUNK = 5000;
const POLL_MS = 200;

const shape = (l: LogLine) => ({ seq: l.seq, ts: l.ts, text: l.text, step: l.stepIndex });

export function logRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/jobs/:job_id/logs", "user", async ({ params, url, caller }) => {
    const { job } = await viewableJob(app, params.job_id, caller);
    const after = wholeParam(url, "after", 0, 0);
    const limit = Math.min(Math.max(wholeParam(url, "limit", CHUNK, 0), 1), 50_000);
    const lines = await app.store.readLogs(job.id, { afterSeq: after, limit });
    const fresh = await app.store.getJob(job.id);
    return { status: 200, json: { lines: lines.map(shape), done: fresh?.status === "completed" && lines.length < limit } };
  });
  r.add("GET", "/api/slipway/jobs/:job_id/logs/stream", "user", (ctx) => streamLog(app, ctx));
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/jobs/:job_id/logs", "viewer", async ({ params }) => {
    const { job } = await jobOf(app, params.job_id, await repoOf(app, params));
    return signedRedirect(app, `/api/v3/_blobs/jobs/${job.id}/log.txt`);
  });
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/runs/:run_id/logs", "viewer", async ({ params }) => {
    const { run } = await runOf(app, params);
    return signedRedirect(app, `/api/v3/_blobs/runs/${run.id}/logs.zip`);
  });
  r.add("GET", "/api/v3/_blobs/jobs/:job_id/log.txt", "public", async (ctx) => {
    requireSignature(app, ctx.url);
    const { job } = await jobOf(app, ctx.params.job_id);
    return { status: 200, type: "text/plain; charset=utf-8", body: Buffer.from(await logText(app, job.id)) };
  });
  r.add("GET", "/api/v3/_blobs/runs/:run_id/logs.zip", "public", async (ctx) => {
    requireSignature(app, ctx.url);
    const run = await app.store.getRun(Number(ctx.params.run_id));
    if (!run) throw new NotFoundError("Not Found");
    const jobs = await currentJobs(app, run);
    const entries = await Promise.all(jobs.map(async (j, i) => ({ name: `${i}_${j.name.replace(/[/\\:*?"<>|]/g, "_")}.txt`, data: Buffer.from(await logText(app, j.id)) })));
    return { status: 200, type: "application/zip", body: zip(entries) };
  });
}

/** A job by id, once the caller may view its run's repository (the path does not name it). */
async function viewableJob(app: App, id: string | undefined, caller: Caller | null): Promise<{ job: JobRecord; run: RunRecord }> {
  const found = await jobOf(app, id);
  await (caller as Caller).require(found.run.repo, "viewer");
  return found;
}

async function logText(app: App, jobId: number): Promise<string> {
  const parts: string[] = [];
  let after = 0;
  for (;;) {
    const lines = await app.store.readLogs(jobId, { afterSeq: after, limit: CHUNK });
    for (const l of lines) if (!l.text.startsWith("##[summary]")) parts.push(`${l.ts} ${l.text}\n`);
    if (lines.length < CHUNK) return parts.join("");
    after = (lines.at(-1) as LogLine).seq;
  }
}

/** Server-sent events: `lines` as they are stored, then `done` once the job has finished and all was sent. */
async function streamLog(app: App, { req, res, params, url, caller }: RequestContext): Promise<null> {
  const { job } = await viewableJob(app, params.job_id, caller);
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
  res.flushHeaders();
  let closed = false;
  req.on("close", () => (closed = true));
  let after = wholeParam(url, "after", 0, 0);
  let idle = 0;
  while (!closed && !res.destroyed) {
    const lines = await app.store.readLogs(job.id, { afterSeq: after, limit: CHUNK });
    if (lines.length) {
      after = (lines.at(-1) as LogLine).seq;
      // A reader that goes away while the buffer is full never drains: stop waiting when it closes.
      if (!res.write(`event: lines\ndata: ${JSON.stringify(lines.map(shape))}\n\n`)) await Promise.race([once(res, "drain"), once(res, "close")]);
      continue;
    }
    const now = await app.store.getJob(job.id);
    if (!now || now.status === "completed") {
      // The last lines are written before the job is marked completed; read once more to be sure.
      const tail = await app.store.readLogs(job.id, { afterSeq: after, limit: CHUNK });
      if (tail.length) continue;
      res.end("event: done\ndata: {}\n\n");
      return null;
    }
    if (++idle % 75 === 0) res.write(": keep-alive\n\n");
    await sleep(POLL_MS);
  }
  res.end();
  return null;
}

