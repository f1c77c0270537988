/**
 * Secrets and variables, repository and global. Secrets are write-only: no endpoint returns a value.
 * GitHub's endpoints take libsodium-sealed values; Slipway's own take the plain value over the
 * authenticated connection, for clients without libsodium (the dashboard, `slipway secret set`).
 */
import { ConflictError, InputError, NotFoundError } from "../../common/errors.ts";
import type { App } from "../app.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { canonicalSecretName, validSecretName } from "../secrets/secret-name.ts";
import { GLOBAL_SCOPE, secretAad } from "../secrets/scoped.ts";
import type { SealedBoxKey } from "../secrets/sealed-box-key.ts";
import { repoOf } from "./lookup.ts";

const V3 = "/api/v3/repos/:owner/:repo/actions";

type ScopeOf = (params: Record<string, string>) => Promise<string>;
const repoScope = (app: App): ScopeOf => async (params) => (await repoOf(app, params)).fullName;
const globalScope: ScopeOf = async () => GLOBAL_SCOPE;

export function secretRoutes(app: App, r: Router, sealed: SealedBoxKey): void {
  r.add("GET", `${V3}/secrets/public-key`, "viewer", async ({ params }) => {
    await repoOf(app, params);
    return { status: 200, json: { key_id: sealed.keyId, key: sealed.key } };
  });
  r.add("PUT", `${V3}/secrets/:name`, "maintainer", async ({ params, req }) => {
    const body = await readJsonObject(req);
    const value = sealed.open(field(body, "encrypted_value", true), field(body, "key_id"));
    return putSecret(app, await repoScope(app)(params), params.name as string, value);
  });
  for (const [prefix, scope] of [[V3, repoScope(app)], ["/api/slipway", globalScope]] as const) {
    r.add("GET", `${prefix}/secrets`, "viewer", async ({ params }) => {
      const list = await app.store.listSecrets(await scope(params));
      return { status: 200, json: { total_count: list.length, secrets: list.map((s) => ({ name: s.name, created_at: s.createdAt, updated_at: s.updatedAt })) } };
    });
    r.add("GET", `${prefix}/secrets/:name`, "viewer", async ({ params }) => {
      const s = (await app.store.listSecrets(await scope(params))).find((x) => x.name === canonicalSecretName(params.name as string));
      if (!s) throw new NotFoundError("Not Found");
      return { status: 200, json: { name: s.name, created_at: s.createdAt, updated_at: s.updatedAt } };
    });
    r.add("DELETE", `${prefix}/secrets/:name`, "maintainer", async ({ params }) => {
      if (!(await app.store.deleteSecret(await scope(params), canonicalSecretName(params.name as string)))) throw new NotFoundError("Not Found");
      return { status: 204 };
    });
    variableRoutes(app, r, prefix === V3 ? V3 : "/api/slipway", scope);
  }
  const plain = async (scope: string, name: string, req: Parameters<typeof readJsonObject>[0]) => putSecret(app, scope, name, field(await readJsonObject(req), "value", true));
  r.add("PUT", "/api/slipway/repos/:owner/:repo/secrets/:name", "maintainer", async ({ params, req }) => plain(await repoScope(app)(params), params.name as string, req));
  r.add("PUT", "/api/slipway/secrets/:name", "site-admin", async ({ params, req }) => plain(GLOBAL_SCOPE, params.name as string, req));
}

async function putSecret(app: App, scope: string, rawName: string, value: string) {
  const problem = validSecretName(rawName);
  if (problem) throw new InputError(problem);
  const name = canonicalSecretName(rawName);
  const created = await app.store.setSecret(scope, name, app.box.seal(value, secretAad(scope, name)));
  return created ? { status: 201, json: {} } : { status: 204 };
}

function variableRoutes(app: App, r: Router, prefix: string, scope: ScopeOf): void {
  const shape = (v: { name: string; value: string; createdAt: string; updatedAt: string }) => ({ name: v.name, value: v.value, created_at: v.createdAt, updated_at: v.updatedAt });
  const find = async (params: Record<string, string>) => (await app.store.listVariables(await scope(params))).find((v) => v.name === canonicalSecretName(params.name as string));
  r.add("GET", `${prefix}/variables`, "viewer", async ({ params }) => {
    const list = await app.store.listVariables(await scope(params));
    return { status: 200, json: { total_count: list.length, variables: list.map(shape) } };
  });
  r.add("GET", `${prefix}/variables/:name`, "viewer", async ({ params }) => {
    const v = await find(params);
    if (!v) throw new NotFoundError("Not Found");
    return { status: 200, json: shape(v) };
  });
  r.add("POST", `${prefix}/variables`, "maintainer", async ({ params, req }) => {
    const body = await readJsonObject(req);
    const name = variableName(field(body, "name", true));
    const s = await scope(params);
    if ((await app.store.listVariables(s)).some((v) => v.name === name)) throw new ConflictError(`Variable ${name} already exists`);
    await app.store.setVariable(s, name, field(body, "value", true));
    return { status: 201, json: {} };
  });
  r.add("PATCH", `${prefix}/variables/:name`, "maintainer", async ({ params, req }) => {
    const body = await readJsonObject(req);
    const s = await scope(params);
    const old = await find(params);
    if (!old) throw new NotFoundError("Not Found");
    const name = body.name === undefined ? old.name : variableName(field(body, "name", true));
    if (name !== old.name) await app.store.deleteVariable(s, old.name);
    await app.store.setVariable(s, name, field(body, "value") ?? old.value);
    return { status: 204 };
  });
  r.add("DELETE", `${prefix}/variables/:name`, "maintainer", async ({ params }) => {
    if (!(await app.store.deleteVariable(await scope(params), canonicalSecretName(params.name as string)))) throw new NotFoundError("Not Found");
    return { status: 204 };
  });
}

function variableName(raw: string): string {
  const problem = validSecretName(raw);
  if (problem) throw new InputError(problem.replace(/^secret/, "variable"));
  return canonicalSecretName(raw);
}
