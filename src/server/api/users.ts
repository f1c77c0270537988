/**
 * Users (Slipway's own API): a site administrator adds them, with their teams and roles, and gets their
 * first token, shown once. `whoami` tells a caller what its token may do.
 */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { Role, UserRecord } from "../../store/users-store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { isRole } from "../auth/roles.ts";
import { rolesByRepo } from "../auth/visible.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { grantRole } from "./roles.ts";
import { principalName, userOf } from "./principals.ts";
import { addToTeam, ensureTeam } from "./teams.ts";
import { issueToken, tokenShape } from "./tokens.ts";

export function userRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/whoami", "user", async ({ caller }) => {
    const me = caller as Caller;
    return { status: 200, json: { name: me.name, site_admin: me.siteAdmin, scope: me.scope, roles: await rolesByRepo(app.store, me) } };
  });
  r.add("GET", "/api/slipway/users", "user", async () => {
    const users = await app.store.users.listUsers();
    const shaped = await Promise.all(users.map(async (u) => ({ ...userShape(u), teams: await teamNames(app, u) })));
    return { status: 200, json: { total_count: shaped.length, users: shaped } };
  });
  r.add("GET", "/api/slipway/users/:name", "user", async ({ params, caller }) => {
    const user = await userOf(app, params.name as string);
    const me = caller as Caller;
    const shaped = { ...userShape(user), teams: await teamNames(app, user) };
    // Roles and tokens are the user's own business and the site administrators'.
    if (!me.siteAdmin && me.userId !== user.id) return { status: 200, json: shaped };
    const tokens = (await app.store.users.tokensOf(user.id)).map((t) => tokenShape(t, user.name));
    return { status: 200, json: { ...shaped, roles: await app.store.users.rolesOf(user.id), tokens } };
  });
  r.add("POST", "/api/slipway/users", "site-admin", async ({ req, caller }) => {
    const me = caller as Caller;
    const body = await readJsonObject(req);
    const name = principalName("user", field(body, "name", true));
    const siteAdmin = flag(body, "site_admin");
    const teams = stringList(body, "teams").map((t) => principalName("team", t));
    const roles = await roleList(app, body);
    const user = await app.store.users.addUser(name, siteAdmin);
    await audit(app, me, "user.create", null, user.name, { site_admin: siteAdmin });
    for (const t of teams) await addToTeam(app, me, await ensureTeam(app, me, t), user);
    for (const g of roles) await grantRole(app, me, g.repo, { type: "user", id: user.id, name: user.name }, g.role);
    const { token } = await issueToken(app, me, user, "first", "admin");
    return { status: 201, json: { user: { ...userShape(user), teams: await teamNames(app, user), roles: await app.store.users.rolesOf(user.id) }, token } };
  });
}

export function userShape(u: UserRecord) {
  return { id: u.id, login: u.name, name: u.name, site_admin: u.siteAdmin, created_at: u.createdAt };
}

async function teamNames(app: App, u: UserRecord): Promise<string[]> {
  return (await app.store.users.teamsOf(u.id)).map((t) => t.name);
}

function flag(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw new InputError(`"${name}" must be true or false`);
  return v;
}

function stringList(body: Record<string, unknown>, name: string): string[] {
  const v = body[name] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new InputError(`"${name}" must be a list of names`);
  return v as string[];
}

/** `roles: [{repo, role}]`, every repository registered: checked before anything is created. */
async function roleList(app: App, body: Record<string, unknown>): Promise<{ repo: RepoRecord; role: Role }[]> {
  const v = body.roles ?? [];
  if (!Array.isArray(v)) throw new InputError('"roles" must be a list of {repo, role}');
  const out: { repo: RepoRecord; role: Role }[] = [];
  for (const item of v as unknown[]) {
    const { repo, role } = (item ?? {}) as { repo?: unknown; role?: unknown };
    if (typeof repo !== "string" || !isRole(role)) throw new InputError(`each role must be {repo: "OWNER/NAME", role: viewer|developer|maintainer|admin}, got ${JSON.stringify(item)}`);
    const rec = await app.store.getRepo(repo);
    if (!rec) throw new NotFoundError(`repository ${repo} is not registered`);
    out.push({ repo: rec, role });
  }
  return out;
}
