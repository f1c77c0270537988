/**
 * API tokens: each belongs to a user and acts with that user's roles, narrowed by its scope. Shown once,
 * stored as a hash, revocable. Managing tokens takes an admin-scope token, so a narrowed token (a CI
 * bot's write token, say) cannot mint credentials that outlive its own revocation.
 */
import { ForbiddenError, InputError, NotFoundError } from "../../common/errors.ts";
import type { TokenRecord, TokenScope } from "../../store/server-store.ts";
import type { UserRecord } from "../../store/users-store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";

const SCOPES: readonly TokenScope[] = ["read", "write", "admin"];

export function tokenRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/tokens", "user", async ({ caller }) => {
    const me = caller as Caller;
    // Run tokens (GITHUB_TOKEN of running jobs) are the server's own; people manage theirs.
    const list = (await app.store.listTokens()).filter((t) => t.repo === null && (me.siteAdmin || t.userId === me.userId));
    const names = await userNames(app);
    return { status: 200, json: { total_count: list.length, tokens: list.map((t) => tokenShape(t, names.get(t.userId ?? -1) ?? null)) } };
  });
  r.add("POST", "/api/slipway/tokens", "user", async ({ req, caller }) => {
    const me = caller as Caller;
    requireAdminScope(me);
    const body = await readJsonObject(req);
    const name = field(body, "name", true);
    const scope = scopeOf(field(body, "scope") ?? "read");
    const userName = field(body, "user");
    const own = me.userId === null ? null : await app.store.users.getUser(me.userId);
    let user = own;
    if (userName !== undefined && userName.toLowerCase() !== own?.name.toLowerCase()) {
      await me.requireSiteAdmin();
      user = await app.store.users.findUser(userName);
      if (!user) throw new NotFoundError(`no user named ${userName}`);
    }
    if (!user) throw new ForbiddenError("this token belongs to no user; create tokens with a user's token");
    const { record, token } = await issueToken(app, me, user, name, scope);
    return { status: 201, json: { ...tokenShape(record, user.name), token } };
  });
  r.add("DELETE", "/api/slipway/tokens/:id", "user", async ({ params, caller }) => {
    const me = caller as Caller;
    requireAdminScope(me);
    const id = Number(params.id);
    const token = (await app.store.listTokens()).find((t) => t.id === id);
    if (!token) throw new NotFoundError("Not Found");
    if (token.userId !== me.userId || token.userId === null) await me.requireSiteAdmin();
    await app.store.revokeToken(id);
    const owner = token.userId === null ? null : await app.store.users.getUser(token.userId);
    await audit(app, me, "token.revoke", null, token.name, { id, user: owner?.name ?? null });
    return { status: 204 };
  });
}

/** Creates a token for `user`, audited; the token itself is returned once and never stored. */
export async function issueToken(app: App, caller: Caller, user: UserRecord, name: string, scope: TokenScope): Promise<{ record: TokenRecord; token: string }> {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name) || name.startsWith("run-")) throw new InputError(`token name '${name}': letters, digits, _ . @ - (up to 64), not starting with run-`);
  const token = newToken();
  const record = await app.store.addToken({ name, hash: hashToken(token), scope, userId: user.id });
  await audit(app, caller, "token.create", null, name, { id: record.id, user: user.name, scope });
  return { record, token };
}

export function scopeOf(raw: string): TokenScope {
  if (!(SCOPES as readonly string[]).includes(raw)) throw new InputError(`scope '${raw}' is not one of ${SCOPES.join(", ")}`);
  return raw as TokenScope;
}

export function tokenShape(t: TokenRecord, user: string | null) {
  return { id: t.id, name: t.name, scope: t.scope, user, created_at: t.createdAt };
}

function requireAdminScope(caller: Caller): void {
  if (caller.scope !== "admin") throw new ForbiddenError(`Must use a token with admin scope to manage tokens (this token has ${caller.scope} scope)`);
}

async function userNames(app: App): Promise<Map<number, string>> {
  return new Map((await app.store.users.listUsers()).map((u) => [u.id, u.name]));
}
