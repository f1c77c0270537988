/**
 * Roles on a repository, given to users and teams by the repository's admins: Slipway's own endpoints,
 * and GitHub's collaborator endpoints with its permissions mapped to roles (PERMISSION_ROLES).
 */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { Principal, Role } from "../../store/users-store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { githubPermissionOf, isRole, PERMISSION_ROLES } from "../auth/roles.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { repoOf } from "./lookup.ts";
import { teamOf, userOf } from "./principals.ts";

type Named = Principal & { name: string };

const ROLES = "/api/slipway/repos/:owner/:repo/roles";
const COLLABORATOR = "/api/v3/repos/:owner/:repo/collaborators/:username";

export function roleRoutes(app: App, r: Router): void {
  r.add("GET", ROLES, "viewer", async ({ params }) => {
    const grants = await app.store.users.listRoles((await repoOf(app, params)).fullName);
    return { status: 200, json: { roles: grants.map((g) => ({ type: g.type, name: g.name, role: g.role })) } };
  });
  for (const type of ["user", "team"] as const) {
    r.add("PUT", `${ROLES}/${type}s/:name`, "admin", async ({ params, req, caller }) => {
      const repo = await repoOf(app, params);
      const role = (await readJsonObject(req)).role;
      if (!isRole(role)) throw new InputError(`"role" must be one of viewer, developer, maintainer, admin, got ${JSON.stringify(role ?? null)}`);
      const who = await principalOf(app, type, params.name as string);
      await grantRole(app, caller as Caller, repo, who, role);
      return { status: 200, json: { type, name: who.name, role } };
    });
    r.add("DELETE", `${ROLES}/${type}s/:name`, "admin", async ({ params, caller }) => {
      const repo = await repoOf(app, params);
      const who = await principalOf(app, type, params.name as string);
      if (!(await revokeRole(app, caller as Caller, repo, who))) throw new NotFoundError(`${type} ${who.name} has no role on ${repo.fullName}`);
      return { status: 204 };
    });
  }
  r.add("PUT", COLLABORATOR, "admin", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const permission = field(await readJsonObject(req), "permission") ?? "push";
    const role = PERMISSION_ROLES[permission];
    if (!role) throw new InputError(`permission '${permission}' is not one of ${Object.keys(PERMISSION_ROLES).join(", ")}`);
    await grantRole(app, caller as Caller, repo, await principalOf(app, "user", params.username as string), role);
    // GitHub answers 201 with an invitation, or 204 when the user got access at once, as here.
    return { status: 204 };
  });
  r.add("DELETE", COLLABORATOR, "admin", async ({ params, caller }) => {
    await revokeRole(app, caller as Caller, await repoOf(app, params), await principalOf(app, "user", params.username as string));
    return { status: 204 };
  });
  r.add("GET", `${COLLABORATOR}/permission`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const user = await userOf(app, params.username as string);
    const role = user.siteAdmin ? "admin" : await app.store.users.roleOf(user.id, repo.fullName);
    return { status: 200, json: { ...githubPermissionOf(role), user: { login: user.name, id: user.id, type: "User", site_admin: user.siteAdmin } } };
  });
}

/** Gives the role, audited with the role it replaces. */
export async function grantRole(app: App, caller: Caller, repo: RepoRecord, who: Named, role: Role): Promise<void> {
  const previous = await app.store.users.setRole(repo.fullName, who, role);
  if (previous !== role) await audit(app, caller, "role.set", repo.fullName, who.name, { principal: who.type, role, previous });
}

async function revokeRole(app: App, caller: Caller, repo: RepoRecord, who: Named): Promise<boolean> {
  if (!(await app.store.users.removeRole(repo.fullName, who))) return false;
  await audit(app, caller, "role.remove", repo.fullName, who.name, { principal: who.type });
  return true;
}

async function principalOf(app: App, type: "user" | "team", name: string): Promise<Named> {
  const found = type === "user" ? await userOf(app, name) : await teamOf(app, name);
  return { type, id: found.id, name: found.name };
}
