/**
 * The aggregate commit status `slipway/merge-gate`: each time a run of a commit starts or finishes, the
 * merge check is computed for every branch the commit is headed for (a push's branch, the base of each
 * pull request whose head it is) that a rule protects, and posted besides the per-job statuses. A Git
 * host's own branch protection then needs to require only this one status.
 */
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import type { StatusReporter } from "../statuses.ts";
import { aggregateStatus } from "./evaluate.ts";
import { ruleFor } from "./rules.ts";
import { mergeCheck } from "./service.ts";

/** Starts listening; returns the function that stops it. */
export function watchMergeGate(app: App, statuses: StatusReporter): () => void {
  // One computation at a time per commit and branch, so an older verdict never lands after a newer one.
  const chains = new Map<string, Promise<void>>();
  return app.events.on(async (e) => {
    if (e.kind !== "run.started" && e.kind !== "run.finished") return;
    for (const branch of await targetBranches(app, e.run)) {
      const key = `${e.run.repo}@${e.run.sha}@${branch}`;
      const next = (chains.get(key) ?? Promise.resolve()).then(() => report(app, statuses, e.run, branch));
      const tail = next.catch(() => undefined);
      chains.set(key, tail);
      void tail.then(() => {
        if (chains.get(key) === tail) chains.delete(key);
      });
      await next;
    }
  });
}

async function report(app: App, statuses: StatusReporter, run: RunRecord, branch: string): Promise<void> {
  const repo = await app.store.getRepo(run.repo);
  if (!repo || !ruleFor(await app.store.protection.listRules(repo.fullName), branch)) return;
  const verdict = aggregateStatus(await mergeCheck(app, repo, run.sha, branch));
  await statuses.postMergeGate(repo.fullName, run.sha, verdict, `${app.baseUrl()}/#/repos/${repo.fullName}/runs/${run.id}`);
}

/** The branches a run's commit would be merged into: its pushed branch, and its pull requests' bases. */
async function targetBranches(app: App, run: RunRecord): Promise<string[]> {
  const out = new Set<string>();
  if (run.event !== "pull_request_target" && run.ref.startsWith("refs/heads/")) out.add(run.ref.slice("refs/heads/".length));
  for (const pr of await app.store.protection.pullRequestsAt(run.repo, run.sha)) out.add(pr.baseRef);
  return [...out];
}
