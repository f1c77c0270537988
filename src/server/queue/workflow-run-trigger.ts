/** The `workflow_run` event GitHub sends when a run completes, as a trigger on the default branch. */
import path from "node:path";
import type { NewTrigger, RepoRecord } from "../../store/server-store.ts";
import type { RunRecord } from "../../store/store.ts";
import { repositoryShape, runShape } from "../api/shapes.ts";

export function workflowRunTrigger(run: RunRecord, repo: RepoRecord, depth: number, baseUrl: string): NewTrigger {
  const repository = repositoryShape(repo, baseUrl);
  return {
    repo: repo.fullName,
    event: "workflow_run",
    deliveryKey: `workflow_run:${run.id}:${run.runAttempt}`,
    data: {
      payload: {
        action: "completed",
        workflow_run: runShape(run, repo, baseUrl),
        workflow: { name: run.workflowName, path: run.workflowFile, id: workflowId(repo.fullName, run.workflowFile) },
        repository,
        sender: { login: run.actor ?? "slipway" },
      },
      ref: `refs/heads/${repo.defaultBranch}`,
      actor: run.actor ?? "slipway",
      chainDepth: depth,
    },
  };
}

/** A stable number for a workflow file, as GitHub's workflow ids are numbers. */
export function workflowId(repo: string, file: string): number {
  let h = 2166136261;
  for (const c of `${repo.toLowerCase()}/${path.posix.normalize(file)}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % 2_000_000_000;
}
