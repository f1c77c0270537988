/** Teams group users, so a role can be given to many at once; a site administrator manages them. */
import { NotFoundError } from "../../common/errors.ts";
import type { TeamRecord, UserRecord } from "../../store/users-store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { principalName, teamOf, userOf } from "./principals.ts";

export function teamRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/teams", "user", async () => {
    const teams = await Promise.all((await app.store.users.listTeams()).map((t) => teamShape(app, t)));
    return { status: 200, json: { total_count: teams.length, teams } };
  });
  r.add("GET", "/api/slipway/teams/:team", "user", async ({ params }) => ({ status: 200, json: await teamShape(app, await teamOf(app, params.team as string)) }));
  r.add("POST", "/api/slipway/teams", "site-admin", async ({ req, caller }) => {
    const name = principalName("team", field(await readJsonObject(req), "name", true));
    const team = await app.store.users.addTeam(name);
    await audit(app, caller, "team.create", null, team.name);
    return { status: 201, json: await teamShape(app, team) };
  });
  r.add("PUT", "/api/slipway/teams/:team/members/:user", "site-admin", async ({ params, caller }) => {
    await addToTeam(app, caller as Caller, await teamOf(app, params.team as string), await userOf(app, params.user as string));
    return { status: 204 };
  });
  r.add("DELETE", "/api/slipway/teams/:team/members/:user", "site-admin", async ({ params, caller }) => {
    const team = await teamOf(app, params.team as string);
    const user = await userOf(app, params.user as string);
    if (!(await app.store.users.removeMember(team.id, user.id))) throw new NotFoundError(`${user.name} is not a member of ${team.name}`);
    await audit(app, caller, "team.member.remove", null, team.name, { user: user.name });
    return { status: 204 };
  });
}

/** The team of that name, created (and audited) when missing. */
export async function ensureTeam(app: App, caller: Caller, name: string): Promise<TeamRecord> {
  const found = await app.store.users.findTeam(name);
  if (found) return found;
  const team = await app.store.users.addTeam(name);
  await audit(app, caller, "team.create", null, team.name);
  return team;
}

/** Adds the user to the team; audited when it was not a member yet. */
export async function addToTeam(app: App, caller: Caller, team: TeamRecord, user: UserRecord): Promise<void> {
  if (await app.store.users.addMember(team.id, user.id)) await audit(app, caller, "team.member.add", null, team.name, { user: user.name });
}

async function teamShape(app: App, t: TeamRecord) {
  return { id: t.id, name: t.name, slug: t.name.toLowerCase(), members: (await app.store.users.members(t.id)).map((u) => u.name), created_at: t.createdAt };
}
