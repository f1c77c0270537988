/**
 * A run's reviews: GitHub's `pending_deployments` (list, approve or reject) and `approvals` (the review
 * log), and Slipway's per-environment view of a run for the run page.
 */
import { ForbiddenError, InputError } from "../../common/errors.ts";
import type { EnvironmentRecord, ReviewRecord } from "../../store/environment-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import type { Caller } from "../auth/caller.ts";
import { readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { decisionRights } from "../deploy/review-service.ts";
import { deploymentShape, environmentShape } from "../deploy/shapes.ts";
import { userShape } from "./shapes.ts";
import { runOf } from "./lookup.ts";

const RUN = "/api/v3/repos/:owner/:repo/actions/runs/:run_id";

export function reviewRoutes(app: App, r: Router): void {
  r.add("GET", `${RUN}/pending_deployments`, "viewer", async ({ params, caller }) => {
    const { run } = await runOf(app, params);
    const waiting = await app.store.environments.listReviews({ runId: run.id, state: "waiting" });
    const out = [];
    for (const rv of waiting.filter((x) => x.runAttempt === run.runAttempt)) {
      const env = await app.store.environments.getEnvironment(run.repo, rv.environment);
      if (env) out.push({ ...pendingShape(app, env, rv), current_user_can_approve: await canApprove(app, run, env, caller as Caller) });
    }
    return { status: 200, json: out };
  });
  r.add("POST", `${RUN}/pending_deployments`, "viewer", async ({ params, req, caller }) => {
    const { run } = await runOf(app, params);
    const body = await readJsonObject(req);
    const state = body.state;
    if (state !== "approved" && state !== "rejected") throw new InputError('state must be "approved" or "rejected"');
    const environments = await environmentNames(app, run, body);
    const comment = typeof body.comment === "string" ? body.comment : null;
    const decided = await app.approvals.review({ runId: run.id, environments, state, comment, caller: caller as Caller, bypass: body.bypass === true });
    const deployments = await app.store.environments.listDeployments(run.repo, { runId: run.id, limit: 100 });
    const names = new Set(decided.map((d) => d.environment.toLowerCase()));
    return { status: 200, json: deployments.filter((d) => d.runAttempt === run.runAttempt && names.has(d.environment.toLowerCase())).map((d) => deploymentShape(d, app.baseUrl())) };
  });
  r.add("GET", `${RUN}/approvals`, "viewer", async ({ params }) => {
    const { run } = await runOf(app, params);
    const decided = (await app.store.environments.listReviews({ runId: run.id })).filter((x) => x.state === "approved" || x.state === "rejected");
    const out = [];
    for (const rv of decided) {
      const env = await app.store.environments.getEnvironment(run.repo, rv.environment);
      out.push({ state: rv.state, comment: rv.comment ?? "", user: userShape(rv.reviewer ?? "slipway", app.baseUrl()), environments: env ? [environmentShape(env, app.baseUrl())] : [], slipway: { run_attempt: rv.runAttempt, bypass: rv.bypass, decided_at: rv.decidedAt } });
    }
    return { status: 200, json: out };
  });
  // By run id alone, for `slipway approve RUN`: the review service checks the caller's role on the run's repository.
  r.add("POST", "/api/slipway/runs/:run_id/reviews", "user", async ({ params, req, caller }) => {
    const body = await readJsonObject(req);
    const state = body.state;
    if (state !== "approved" && state !== "rejected") throw new InputError('state must be "approved" or "rejected"');
    if (!Array.isArray(body.environments) || !body.environments.every((e) => typeof e === "string")) throw new InputError("environments must be a list of environment names");
    const decided = await app.approvals.review({ runId: Number(params.run_id), environments: body.environments as string[], state, comment: typeof body.comment === "string" ? body.comment : null, caller: caller as Caller, bypass: body.bypass === true });
    return { status: 200, json: decided.map((d) => ({ environment: d.environment, state: d.state, reviewer: d.reviewer, bypass: d.bypass })) };
  });
  r.add("GET", "/api/slipway/repos/:owner/:repo/runs/:run_id/environments", "viewer", async ({ params, caller }) => {
    const { run } = await runOf(app, params);
    return { status: 200, json: await runEnvironments(app, run, caller as Caller) };
  });
}

function pendingShape(app: App, env: EnvironmentRecord, rv: ReviewRecord) {
  const e = environmentShape(env, app.baseUrl());
  return {
    environment: { id: e.id, node_id: e.node_id, name: e.name, url: e.url, html_url: e.html_url },
    wait_timer: env.waitTimer,
    wait_timer_started_at: env.waitTimer > 0 ? rv.requestedAt : null,
    reviewers: env.reviewers.map((r) => ({ type: r.type, reviewer: r.type === "User" ? userShape(r.name, app.baseUrl()) : { name: r.name, slug: r.name } })),
  };
}

/** Whether the caller could approve now: the review service's own rules, and a token that may decide. */
async function canApprove(app: App, run: RunRecord, env: EnvironmentRecord, caller: Caller): Promise<boolean> {
  if (caller.scope === "read") return false;
  return decisionRights(app, run, env, caller, "approved", false).then(
    () => true,
    (e: unknown) => {
      if (e instanceof ForbiddenError) return false;
      throw e;
    },
  );
}

/** GitHub names environments by id; Slipway also takes `environments: [name]`. */
async function environmentNames(app: App, run: RunRecord, body: Record<string, unknown>): Promise<string[]> {
  const envs = await app.store.environments.listEnvironments(run.repo);
  if (Array.isArray(body.environment_ids)) {
    return body.environment_ids.map((id) => {
      const env = envs.find((e) => e.id === id);
      if (!env) throw new InputError(`environment_ids: no environment with id ${String(id)} in ${run.repo}`);
      return env.name;
    });
  }
  if (Array.isArray(body.environments) && body.environments.every((n) => typeof n === "string")) return body.environments as string[];
  throw new InputError("environment_ids is required: the ids of the environments to review");
}

/** Every environment the run's current attempt deploys to, with its review and deployments. */
async function runEnvironments(app: App, run: RunRecord, caller: Caller) {
  const deployments = (await app.store.environments.listDeployments(run.repo, { runId: run.id, limit: 500 })).filter((d) => d.runAttempt === run.runAttempt).reverse();
  const names = [...new Set(deployments.map((d) => d.environment))];
  const out = [];
  for (const name of names) {
    const env = await app.store.environments.getEnvironment(run.repo, name);
    const rv = await app.store.environments.getReview(run.id, run.runAttempt, name);
    const mine = deployments.filter((d) => d.environment === name);
    const minuteMs = app.gateTiming.minuteMs;
    out.push({
      environment: name,
      environment_id: env?.id ?? null,
      state: rv?.state ?? null,
      reviewers: env?.reviewers ?? [],
      prevent_self_review: env?.preventSelfReview ?? false,
      wait_timer: env?.waitTimer ?? 0,
      wait_timer_started_at: rv && env && env.waitTimer > 0 ? rv.requestedAt : null,
      wait_timer_ends_at: rv && env && env.waitTimer > 0 ? new Date(Date.parse(rv.requestedAt) + env.waitTimer * minuteMs).toISOString() : null,
      current_user_can_approve: rv?.state === "waiting" && env ? await canApprove(app, run, env, caller) : false,
      reviewer: rv?.reviewer ?? null,
      comment: rv?.comment ?? null,
      bypass: rv?.bypass ?? false,
      jobs: mine.map((d) => d.job ?? ""),
      deployments: mine.map((d) => ({ id: d.id, job: d.job, url: d.url, state: d.state })),
    });
  }
  return out;
}
