/**
 * Starting runs by hand: GitHub's workflow_dispatch and repository_dispatch endpoints, and the workflow
 * list the dashboard's dispatch form is built from. Inputs are checked with the rules `slipway run`
 * uses, before anything is queued, so a bad input is a 422 naming the input and its allowed values.
 */
import path from "node:path";
import { InputError, NotFoundError } from "../../common/errors.ts";
import { declaredInputs, typeInputs } from "../../plan/inputs.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { WorkflowModel } from "../../workflow/model.ts";
import type { App } from "../app.ts";
import { readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { workflowId } from "../queue/workflow-run-trigger.ts";
import { repoOf } from "./lookup.ts";
import { repositoryShape } from "./shapes.ts";

export function dispatchRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/repos/:owner/:repo/workflows", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const workflows = await workflowsAt(app, repo, repo.defaultBranch);
    return {
      status: 200,
      json: {
        workflows: workflows.map((w) => ({ id: workflowId(repo.fullName, w.file), name: w.name, path: w.file, dispatch: "workflow_dispatch" in w.on ? { inputs: declaredInputs(w.on, "workflow_dispatch") ?? {} } : null })),
        environments: environmentsOf(workflows),
      },
    };
  });
  const shape = (repo: RepoRecord, w: WorkflowModel) => {
    const id = workflowId(repo.fullName, w.file);
    return { id, node_id: `W_${id}`, name: w.name, path: w.file, state: "active", created_at: repo.createdAt, updated_at: repo.createdAt, url: `${app.baseUrl()}/api/v3/repos/${repo.fullName}/actions/workflows/${id}`, html_url: `${app.baseUrl()}/#/repos/${repo.fullName}`, badge_url: `${app.baseUrl()}/badge/${repo.fullName}/${path.basename(w.file)}.svg` };
  };
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/workflows", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const shaped = (await workflowsAt(app, repo, repo.defaultBranch)).map((w) => shape(repo, w));
    return { status: 200, json: { total_count: shaped.length, workflows: shaped } };
  });
  r.add("GET", "/api/v3/repos/:owner/:repo/actions/workflows/:workflow", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    return { status: 200, json: shape(repo, findWorkflow(repo, await workflowsAt(app, repo, repo.defaultBranch), params.workflow as string)) };
  });
  r.add("POST", "/api/v3/repos/:owner/:repo/actions/workflows/:workflow/dispatches", "developer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const body = await readJsonObject(req);
    const ref = typeof body.ref === "string" && body.ref ? body.ref : repo.defaultBranch;
    const given = body.inputs ?? {};
    if (typeof given !== "object" || Array.isArray(given)) throw new InputError("inputs must be an object");
    // A short name is a branch, else a tag, as GitHub resolves it.
    let fullRef = ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
    let sha = await app.mirrors.branchHead(repo.fullName, repo.url, fullRef);
    if (!sha && !ref.startsWith("refs/")) {
      fullRef = `refs/tags/${ref}`;
      sha = await app.mirrors.branchHead(repo.fullName, repo.url, fullRef);
    }
    if (!sha) throw new InputError(`No ref found for: ${ref}`);
    const workflows = await workflowsAtSha(app, repo, sha);
    const wf = findWorkflow(repo, workflows, params.workflow as string);
    if (!("workflow_dispatch" in wf.on)) throw new InputError("Workflow does not have 'workflow_dispatch' trigger");
    const typed = typeInputs(declaredInputs(wf.on, "workflow_dispatch") ?? {}, given as Record<string, unknown>, "workflow_dispatch");
    if (typed.problems.length) throw new InputError(typed.problems.join("; "));
    const actor = caller?.name ?? "slipway";
    await app.queue.enqueue({
      repo: repo.fullName,
      event: "workflow_dispatch",
      deliveryKey: null,
      data: {
        payload: { inputs: typed.eventInputs, ref: fullRef, repository: repositoryShape(repo, app.baseUrl()), sender: { login: actor }, workflow: wf.file },
        sha,
        ref: fullRef,
        actor,
        inputs: typed.inputs,
        workflow: wf.file,
      },
    });
    return { status: 204 };
  });
  r.add("POST", "/api/v3/repos/:owner/:repo/dispatches", "developer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const body = await readJsonObject(req);
    if (typeof body.event_type !== "string" || !body.event_type) throw new InputError('"event_type" wasn\'t supplied.');
    const actor = caller?.name ?? "slipway";
    await app.queue.enqueue({
      repo: repo.fullName,
      event: "repository_dispatch",
      deliveryKey: null,
      data: {
        payload: { action: body.event_type, branch: repo.defaultBranch, client_payload: body.client_payload ?? {}, repository: repositoryShape(repo, app.baseUrl()), sender: { login: actor } },
        ref: `refs/heads/${repo.defaultBranch}`,
        actor,
      },
    });
    return { status: 204 };
  });
}

async function workflowsAt(app: App, repo: RepoRecord, branch: string): Promise<WorkflowModel[]> {
  // A listing may be a few seconds behind the remote; a dispatch always fetches.
  const sha = await app.mirrors.branchHead(repo.fullName, repo.url, branch, 5000);
  return sha ? workflowsAtSha(app, repo, sha) : [];
}

async function workflowsAtSha(app: App, repo: RepoRecord, sha: string): Promise<WorkflowModel[]> {
  const dir = await app.mirrors.checkout(repo.fullName, sha);
  return (await app.workflows.get(dir)).workflows;
}

function findWorkflow(repo: RepoRecord, workflows: WorkflowModel[], id: string): WorkflowModel {
  const wf = workflows.find((w) => path.basename(w.file) === id || w.file === id || String(workflowId(repo.fullName, w.file)) === id);
  if (!wf) throw new NotFoundError(`Not Found: no workflow '${id}' on the ref`);
  return wf;
}

/** Environment names the workflows use, until environments are managed on their own. */
function environmentsOf(workflows: WorkflowModel[]): string[] {
  const names = new Set<string>();
  for (const w of workflows) {
    for (const j of w.jobs) {
      const env = j.environment as unknown;
      if (typeof env === "string") names.add(env);
      else if (env && typeof env === "object" && typeof (env as { name?: unknown }).name === "string") names.add((env as { name: string }).name);
    }
  }
  return [...names].sort();
}
