/**
 * Environments in GitHub's shape: list, get, create or update (PUT), delete, and the custom deployment
 * branch policies. Environment secrets and variables are served by secrets.ts under the same path.
 */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import { readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { rulesFromBody } from "../deploy/environment-body.ts";
import { environmentShape } from "../deploy/shapes.ts";
import { repoOf } from "./lookup.ts";
import { environmentScope } from "../deploy/environment-values.ts";
import type { EnvironmentRecord } from "../../store/environment-store.ts";
import { validateGlob } from "../../workflow/glob.ts";

const ENVS = "/api/v3/repos/:owner/:repo/environments";

export function environmentRoutes(app: App, r: Router): void {
  const envOf = async (params: Record<string, string>): Promise<EnvironmentRecord> => {
    const repo = await repoOf(app, params);
    const env = await app.store.environments.getEnvironment(repo.fullName, params.env_name as string);
    if (!env) throw new NotFoundError(`Environment ${params.env_name} not found`);
    return env;
  };
  r.add("GET", ENVS, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const list = await app.store.environments.listEnvironments(repo.fullName);
    return { status: 200, json: { total_count: list.length, environments: list.map((e) => environmentShape(e, app.baseUrl())) } };
  });
  r.add("GET", `${ENVS}/:env_name`, "viewer", async ({ params }) => ({ status: 200, json: environmentShape(await envOf(params), app.baseUrl()) }));
  r.add("PUT", `${ENVS}/:env_name`, "maintainer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const name = validName(params.env_name as string);
    const old = await app.store.environments.getEnvironment(repo.fullName, name);
    const rules = await rulesFromBody(app, repo.fullName, await readJsonObject(req), old);
    const { env, created } = await app.store.environments.putEnvironment(repo.fullName, old?.name ?? name, rules);
    await audit(app, caller, created ? "environment.create" : "environment.update", repo.fullName, env.name, { ...rules });
    return { status: 200, json: environmentShape(env, app.baseUrl()) };
  });
  r.add("DELETE", `${ENVS}/:env_name`, "maintainer", async ({ params, caller }) => {
    const env = await envOf(params);
    // Its secrets and variables go with it: an environment of the same name made later starts empty.
    const scope = environmentScope(env.repo, env.name);
    const secrets = (await app.store.listSecrets(scope)).map((x) => x.name);
    const variables = (await app.store.listVariables(scope)).map((x) => x.name);
    for (const name of secrets) await app.store.deleteSecret(scope, name);
    for (const name of variables) await app.store.deleteVariable(scope, name);
    await app.store.environments.deleteEnvironment(env.repo, env.name);
    await audit(app, caller, "environment.delete", env.repo, env.name, { secrets, variables });
    return { status: 204 };
  });
  branchPolicyRoutes(app, r, envOf);
}

function branchPolicyRoutes(app: App, r: Router, envOf: (p: Record<string, string>) => Promise<EnvironmentRecord>): void {
  const base = `${ENVS}/:env_name/deployment-branch-policies`;
  const shape = (env: EnvironmentRecord) => {
    const list = (env.branchPolicy?.patterns ?? []).map((p, i) => ({ id: i + 1, node_id: "", name: p.name, type: p.type }));
    return { total_count: list.length, branch_policies: list };
  };
  r.add("GET", base, "viewer", async ({ params }) => ({ status: 200, json: shape(await envOf(params)) }));
  r.add("POST", base, "maintainer", async ({ params, req, caller }) => {
    const env = await envOf(params);
    if (!env.branchPolicy || env.branchPolicy.protectedBranches) throw new InputError(`${env.name} does not use custom branch policies: set deployment_branch_policy.custom_branch_policies first`);
    const body = await readJsonObject(req);
    const name = typeof body.name === "string" && body.name.trim() ? body.name.trim() : null;
    const type = body.type === undefined ? "branch" : body.type;
    if (!name) throw new InputError("name is required: a branch or tag name pattern");
    if (type !== "branch" && type !== "tag") throw new InputError('type must be "branch" or "tag"');
    const problem = validateGlob(name);
    if (problem) throw new InputError(problem);
    const patterns = [...(env.branchPolicy.patterns ?? []), { name, type: type as "branch" | "tag" }];
    const { env: next } = await app.store.environments.putEnvironment(env.repo, env.name, { ...env, branchPolicy: { protectedBranches: false, patterns } });
    await audit(app, caller, "environment.branch_policy.create", env.repo, env.name, { name, type });
    return { status: 200, json: { id: patterns.length, node_id: "", name, type, environment: next.name } };
  });
  r.add("DELETE", `${base}/:policy_id`, "maintainer", async ({ params, caller }) => {
    const env = await envOf(params);
    const patterns = [...(env.branchPolicy?.patterns ?? [])];
    const i = Number(params.policy_id) - 1;
    if (!env.branchPolicy || !Number.isInteger(i) || !patterns[i]) throw new NotFoundError("Not Found");
    const [gone] = patterns.splice(i, 1);
    await app.store.environments.putEnvironment(env.repo, env.name, { ...env, branchPolicy: { protectedBranches: false, patterns } });
    await audit(app, caller, "environment.branch_policy.delete", env.repo, env.name, { ...gone });
    return { status: 204 };
  });
}

function validName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 255 || /[,'"`\\]/.test(name)) throw new InputError(`environment name '${raw}' is not valid: up to 255 characters, without , ' " \` or \\`);
  return name;
}
