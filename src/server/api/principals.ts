/** Users and teams named in a path or body: the rules for their names, and a 404 for unknown ones. */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { TeamRecord, UserRecord } from "../../store/users-store.ts";
import type { App } from "../app.ts";

/**
 * User and team names: letters, digits, `-`, `_` and `.`, up to 40, starting with a letter or digit,
 * so a GitHub, Gitea or Forgejo login (a webhook's `sender.login`) is a valid user name.
 */
export function principalName(kind: "user" | "team", raw: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(raw)) throw new InputError(`${kind} name '${raw}': letters, digits, - _ . (up to 40), starting with a letter or digit`);
  return raw;
}

export async function teamOf(app: App, name: string): Promise<TeamRecord> {
  const team = await app.store.users.findTeam(name);
  if (!team) throw new NotFoundError(`no team named ${name}`);
  return team;
}

export async function userOf(app: App, name: string): Promise<UserRecord> {
  const user = await app.store.users.findUser(name);
  if (!user) throw new NotFoundError(`no user named ${name}`);
  return user;
}
