/**
 * Where a container job's files live, inside the container as GitHub's runner puts them (its work
 * folder mounted at /__w, tools at /__t, externals at /__e, HOME at /github/home) and on this machine
 * under the job's hostRoot, which is mounted as /__w.
 */
import path from "node:path";
import type { JobPaths } from "../executor.ts";

export const CONTAINER_WORK = "/__w";
export const CONTAINER_TOOLS = "/__t";
export const CONTAINER_EXTERNALS = "/__e";
/** Where a job container finds Slipway's node, for JavaScript actions (GitHub's runner ships its own there). */
export const CONTAINER_NODE = "/__e/node20/bin/node";
export const CONTAINER_HOME = "/github/home";
export const CONTAINER_WORKFLOW = "/github/workflow";

export interface ContainerLayout {
  paths: JobPaths;
  /** hostRoot/_temp/_github_home and _github_workflow, mounted at /github/home and /github/workflow. */
  hostHome: string;
  hostWorkflow: string;
  hostTools: string;
  binds: string[];
}

/** `repo` names the workspace folder, /__w/<repo>/<repo> as on GitHub. */
export function containerLayout(hostRoot: string, repo: string, externals?: string, node?: string | null): ContainerLayout {
  const hostTemp = path.join(hostRoot, "_temp");
  const hostHome = path.join(hostTemp, "_github_home");
  const hostWorkflow = path.join(hostTemp, "_github_workflow");
  const hostTools = path.join(hostRoot, "_tool");
  const binds = [`${hostRoot}:${CONTAINER_WORK}`, `${hostTools}:${CONTAINER_TOOLS}`, `${hostHome}:${CONTAINER_HOME}`, `${hostWorkflow}:${CONTAINER_WORKFLOW}`];
  if (externals) binds.push(`${externals}:${CONTAINER_EXTERNALS}:ro`);
  if (node) binds.push(`${node}:${CONTAINER_NODE}:ro`);
  return {
    paths: {
      workspace: `${CONTAINER_WORK}/${repo}/${repo}`,
      temp: `${CONTAINER_WORK}/_temp`,
      toolCache: CONTAINER_TOOLS,
      hostRoot,
      hostWorkspace: path.join(hostRoot, repo, repo),
      hostTemp,
    },
    hostHome,
    hostWorkflow,
    hostTools,
    binds,
  };
}

/** A host path under hostRoot as the job container sees it (e.g. an action's folder); null if outside. */
export function toContainerPath(hostRoot: string, hostPath: string): string | null {
  const rel = path.relative(hostRoot, hostPath);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  return rel ? `${CONTAINER_WORK}/${rel.split(path.sep).join("/")}` : CONTAINER_WORK;
}
