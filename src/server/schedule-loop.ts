/**
 * Fires `on.schedule` of each repository's default branch. Every poll reads the branch's workflows
 * (cached per commit) and asks `dueTick` whether a tick is due; `claimTick` in the store makes each tick
 * fire once, across restarts. A schedule seen for the first time starts counting from now.
 */
import path from "node:path";
import type { App } from "./app.ts";
import type { RepoRecord } from "../store/server-store.ts";
import { dueTick, type ScheduleEntry } from "./schedule/ticks.ts";
import { repositoryShape } from "./api/shapes.ts";

export function startScheduler(app: App, pollMs: number): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const loop = async () => {
    if (stopped) return;
    try {
      await pollOnce(app, new Date());
    } catch (e) {
      app.log(`schedule: ${(e as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void loop(), pollMs);
  };
  timer = setTimeout(() => void loop(), 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

export async function pollOnce(app: App, now: Date): Promise<void> {
  for (const repo of await app.store.listRepos()) {
    // One repository's trouble (an unreachable remote, a broken checkout) must not stop the others' schedules.
    await pollRepo(app, repo, now).catch((e) => app.log(`schedule: ${repo.fullName}: ${(e as Error).message}`));
  }
}

async function pollRepo(app: App, repo: RepoRecord, now: Date): Promise<void> {
  const sha = await app.mirrors.branchHead(repo.fullName, repo.url, repo.defaultBranch).catch(() => null);
  if (!sha) return;
  const { workflows } = await app.workflows.get(await app.mirrors.checkout(repo.fullName, sha));
  for (const wf of workflows) {
    const schedules = (wf.on.schedule as Array<{ cron?: unknown; timezone?: unknown }> | undefined) ?? [];
    for (const [i, s] of schedules.entries()) {
      if (typeof s?.cron !== "string") continue;
      const entry: ScheduleEntry = { key: `${repo.fullName}:${wf.file}:${i}:${s.cron}`, cron: s.cron, ...(typeof s.timezone === "string" ? { timezone: s.timezone } : {}) };
      const last = await app.store.lastTick(entry.key);
      if (last === null) {
        await app.store.claimTick(entry.key, now.toISOString());
        continue;
      }
      const due = dueTick(entry, { lastFired: last }, now);
      if (!due || !(await app.store.claimTick(entry.key, due.toISOString()))) continue;
      await app.queue.enqueue({
        repo: repo.fullName,
        event: "schedule",
        deliveryKey: `schedule:${entry.key}:${due.toISOString()}`,
        data: { payload: { schedule: s.cron, repository: repositoryShape(repo, app.baseUrl()), workflow: wf.file }, sha, ref: `refs/heads/${repo.defaultBranch}`, actor: "slipway-scheduler", workflow: wf.file },
      });
      app.log(`schedule: ${path.basename(wf.file)} '${s.cron}' fired for ${due.toISOString()}`);
    }
  }
}
