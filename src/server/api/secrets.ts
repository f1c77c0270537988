/**
 * Secrets and variables, repository and global. Secrets are write-only: no endpoint returns a value.
 * GitHub's endpoints take libsodium-sealed values; Slipway's own take the plain value over the
 * authenticated connection, for clients without libsodium (the dashboard, `slipway secret set`).
 * Repository ones need a role there (viewer to list, maintainer to change); global ones reach every
 * repository, so only a site administrator sees or changes them. Every change is audited by name.
 */
import type { IncomingMessage } from "node:http";
import { ConflictError, InputError, NotFoundError } from "../../common/errors.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import type { Role } from "../auth/roles.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Access, Router } from "../http/router.ts";
import { canonicalSecretName, validSecretName } from "../secrets/secret-name.ts";
import { GLOBAL_SCOPE, secretAad } from "../secrets/scoped.ts";
import type { SealedBoxKey } from "../secrets/sealed-box-key.ts";
import { repoOf } from "./lookup.ts";
import { environmentScope } from "../deploy/environment-values.ts";

const V3 = "/api/v3/repos/:owner/:repo/actions";

/** Where a route's secrets live, and who may act there. */
interface Scope {
  /** The route's access for an action that needs `role`. */
  access(role: Role): Access;
  /** The store's scope the path names, once the caller may act there with `role`. */
  resolve(params: Record<string, string>, caller: Caller, role: Role): Promise<string>;
}

const repoScope = (app: App): Scope => ({ access: (role) => role, resolve: async (params) => (await repoOf(app, params)).fullName });
const globalScope: Scope = {
  access: () => "user",
  async resolve(_params, caller, role) {
    await caller.requireSiteAdmin(role);
    return GLOBAL_SCOPE;
  },
};

const ENV = "/api/v3/repos/:owner/:repo/environments/:env_name";
/** An environment's own scope: its values reach only jobs its rules let through. */
const envScope = (app: App): Scope => ({
  access: (role) => role,
  async resolve(params) {
    const repo = await repoOf(app, params);
    const env = await app.store.environments.getEnvironment(repo.fullName, params.env_name as string);
    if (!env) throw new NotFoundError(`Environment ${params.env_name} not found`);
    return environmentScope(repo.fullName, env.name);
  },
});

/** The audit log's target: an environment's secret or variable is named with its environment. */
const targetIn = (scope: string, name: string): string => (scope.includes("/environments/") ? `${scope.split("/environments/")[1]}/${name}` : name);

/** The audit log's repository of a scope: null for the global one. */
const repoOfScope = (scope: string): string | null => (scope === GLOBAL_SCOPE ? null : (scope.split("/environments/")[0] as string));

export function secretRoutes(app: App, r: Router, sealed: SealedBoxKey): void {
  for (const [prefix, scope] of [[V3, repoScope(app)], [ENV, envScope(app)]] as const) {
    r.add("GET", `${prefix}/secrets/public-key`, "viewer", async ({ params, caller }) => {
      await scope.resolve(params, caller as Caller, "viewer");
      return { status: 200, json: { key_id: sealed.keyId, key: sealed.key } };
    });
    r.add("PUT", `${prefix}/secrets/:name`, "maintainer", async ({ params, req, caller }) => {
      const body = await readJsonObject(req);
      const value = sealed.open(field(body, "encrypted_value", true), field(body, "key_id"));
      return putSecret(app, caller as Caller, await scope.resolve(params, caller as Caller, "maintainer"), params.name as string, value);
    });
  }
  for (const [prefix, scope] of [[V3, repoScope(app)], [ENV, envScope(app)], ["/api/slipway", globalScope]] as const) {
    const at = (ctx: { params: Record<string, string>; caller: Caller | null }, role: Role) => scope.resolve(ctx.params, ctx.caller as Caller, role);
    r.add("GET", `${prefix}/secrets`, scope.access("viewer"), async (ctx) => {
      const list = await app.store.listSecrets(await at(ctx, "viewer"));
      return { status: 200, json: { total_count: list.length, secrets: list.map((s) => ({ name: s.name, created_at: s.createdAt, updated_at: s.updatedAt })) } };
    });
    r.add("GET", `${prefix}/secrets/:name`, scope.access("viewer"), async (ctx) => {
      const s = (await app.store.listSecrets(await at(ctx, "viewer"))).find((x) => x.name === canonicalSecretName(ctx.params.name as string));
      if (!s) throw new NotFoundError("Not Found");
      return { status: 200, json: { name: s.name, created_at: s.createdAt, updated_at: s.updatedAt } };
    });
    r.add("DELETE", `${prefix}/secrets/:name`, scope.access("maintainer"), async (ctx) => {
      const where = await at(ctx, "maintainer");
      const name = canonicalSecretName(ctx.params.name as string);
      if (!(await app.store.deleteSecret(where, name))) throw new NotFoundError("Not Found");
      await audit(app, ctx.caller, "secret.delete", repoOfScope(where), targetIn(where, name));
      return { status: 204 };
    });
    variableRoutes(app, r, prefix, scope);
  }
  const plain = async (where: string, caller: Caller, name: string, req: IncomingMessage) => putSecret(app, caller, where, name, field(await readJsonObject(req), "value", true));
  r.add("PUT", "/api/slipway/repos/:owner/:repo/secrets/:name", "maintainer", async ({ params, req, caller }) => plain((await repoOf(app, params)).fullName, caller as Caller, params.name as string, req));
  r.add("PUT", "/api/slipway/repos/:owner/:repo/environments/:env_name/secrets/:name", "maintainer", async ({ params, req, caller }) => plain(await envScope(app).resolve(params, caller as Caller, "maintainer"), caller as Caller, params.name as string, req));
  r.add("PUT", "/api/slipway/secrets/:name", "user", async ({ params, req, caller }) => plain(await globalScope.resolve(params, caller as Caller, "maintainer"), caller as Caller, params.name as string, req));
}

async function putSecret(app: App, caller: Caller, scope: string, rawName: string, value: string) {
  const problem = validSecretName(rawName);
  if (problem) throw new InputError(problem);
  const name = canonicalSecretName(rawName);
  const created = await app.store.setSecret(scope, name, app.box.seal(value, secretAad(scope, name)));
  // The name only: the value never reaches the audit log.
  await audit(app, caller, "secret.set", repoOfScope(scope), targetIn(scope, name), { created });
  return created ? { status: 201, json: {} } : { status: 204 };
}

function variableRoutes(app: App, r: Router, prefix: string, scope: Scope): void {
  const shape = (v: { name: string; value: string; createdAt: string; updatedAt: string }) => ({ name: v.name, value: v.value, created_at: v.createdAt, updated_at: v.updatedAt });
  const find = async (where: string, name: string) => (await app.store.listVariables(where)).find((v) => v.name === canonicalSecretName(name));
  const at = (ctx: { params: Record<string, string>; caller: Caller | null }, role: Role) => scope.resolve(ctx.params, ctx.caller as Caller, role);
  r.add("GET", `${prefix}/variables`, scope.access("viewer"), async (ctx) => {
    const list = await app.store.listVariables(await at(ctx, "viewer"));
    return { status: 200, json: { total_count: list.length, variables: list.map(shape) } };
  });
  r.add("GET", `${prefix}/variables/:name`, scope.access("viewer"), async (ctx) => {
    const v = await find(await at(ctx, "viewer"), ctx.params.name as string);
    if (!v) throw new NotFoundError("Not Found");
    return { status: 200, json: shape(v) };
  });
  r.add("POST", `${prefix}/variables`, scope.access("maintainer"), async (ctx) => {
    const where = await at(ctx, "maintainer");
    const body = await readJsonObject(ctx.req);
    const name = variableName(field(body, "name", true));
    if ((await app.store.listVariables(where)).some((v) => v.name === name)) throw new ConflictError(`Variable ${name} already exists`);
    await app.store.setVariable(where, name, field(body, "value", true));
    await audit(app, ctx.caller, "variable.create", repoOfScope(where), targetIn(where, name));
    return { status: 201, json: {} };
  });
  r.add("PATCH", `${prefix}/variables/:name`, scope.access("maintainer"), async (ctx) => {
    const where = await at(ctx, "maintainer");
    const body = await readJsonObject(ctx.req);
    const old = await find(where, ctx.params.name as string);
    if (!old) throw new NotFoundError("Not Found");
    const name = body.name === undefined ? old.name : variableName(field(body, "name", true));
    if (name !== old.name) await app.store.deleteVariable(where, old.name);
    await app.store.setVariable(where, name, field(body, "value") ?? old.value);
    await audit(app, ctx.caller, "variable.update", repoOfScope(where), targetIn(where, name), name === old.name ? {} : { renamed_from: old.name });
    return { status: 204 };
  });
  r.add("DELETE", `${prefix}/variables/:name`, scope.access("maintainer"), async (ctx) => {
    const where = await at(ctx, "maintainer");
    const name = canonicalSecretName(ctx.params.name as string);
    if (!(await app.store.deleteVariable(where, name))) throw new NotFoundError("Not Found");
    await audit(app, ctx.caller, "variable.delete", repoOfScope(where), targetIn(where, name));
    return { status: 204 };
  });
}

function variableName(raw: string): string {
  const problem = validSecretName(raw);
  if (problem) throw new InputError(problem.replace(/^secret/, "variable"));
  return canonicalSecretName(raw);
}
