/** `slipway user add` and `slipway token create`: people and their API tokens, through the server's API. */
import { InputError } from "../common/errors.ts";
import { parse } from "./args.ts";
import { call } from "./client.ts";

const USER_USAGE = "usage: slipway user add NAME [--team TEAM]... [--role ROLE --repo OWNER/NAME]... [--site-admin]";
const TOKEN_USAGE = "usage: slipway token create NAME [--scope read|write|admin] [--user NAME]";

/** Prints the new user's first token once; its teams are created when missing. */
export async function userCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { team: { type: "string", multiple: true }, role: { type: "string", multiple: true }, repo: { type: "string", multiple: true }, "site-admin": { type: "boolean" } }, "user");
  const [sub, name] = positionals;
  if (sub !== "add" || !name || positionals.length !== 2) throw new InputError(USER_USAGE);
  const roles = rolePairs((values.role as string[] | undefined) ?? [], (values.repo as string[] | undefined) ?? []);
  const body = { name, site_admin: values["site-admin"] === true, teams: (values.team as string[] | undefined) ?? [], roles };
  const made = (await call("POST", "/api/slipway/users", body)) as { user: { name: string; teams: string[]; roles: Record<string, string> }; token: string };
  process.stdout.write(`${made.token}\n`);
  const granted = Object.entries(made.user.roles).map(([repo, role]) => `${role} on ${repo}`);
  const about = [body.site_admin ? "site administrator" : "", made.user.teams.length ? `teams ${made.user.teams.join(", ")}` : "", granted.join(", ")].filter(Boolean);
  process.stderr.write(`user '${made.user.name}' added${about.length ? ` (${about.join("; ")})` : ""}; its first API token is above (shown once)\n`);
  return 0;
}

/** `--role R --repo O/N` pairs, in the order given. */
function rolePairs(roles: string[], repos: string[]): { repo: string; role: string }[] {
  if (roles.length !== repos.length) throw new InputError(`each --role needs its --repo OWNER/NAME (got ${roles.length} --role and ${repos.length} --repo)\n${USER_USAGE}`);
  return roles.map((role, i) => {
    if (!["viewer", "developer", "maintainer", "admin"].includes(role)) throw new InputError(`--role '${role}' is not one of viewer, developer, maintainer, admin`);
    const repo = repos[i] as string;
    if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new InputError(`--repo '${repo}' must be OWNER/NAME`);
    return { repo, role };
  });
}

/** Prints the new token once; `--user` (a site administrator's) makes it for someone else. */
export async function tokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { scope: { type: "string" }, user: { type: "string" } }, "token");
  const [sub, name] = positionals;
  if (sub !== "create" || !name || positionals.length !== 2) throw new InputError(TOKEN_USAGE);
  const scope = (values.scope as string | undefined) ?? "read";
  if (!["read", "write", "admin"].includes(scope)) throw new InputError(`--scope '${scope}' is not one of read, write, admin`);
  const t = (await call("POST", "/api/slipway/tokens", { name, scope, user: values.user })) as { token: string; scope: string; user: string };
  process.stdout.write(`${t.token}\n`);
  process.stderr.write(`token '${name}' of ${t.user} with ${t.scope} scope (shown once; the server keeps only its hash)\n`);
  return 0;
}
