/** API tokens: created by an admin with read or write scope, shown once, revocable. */
import { InputError, NotFoundError } from "../../common/errors.ts";
import type { TokenScope } from "../../store/server-store.ts";
import type { App } from "../app.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";

const SCOPES: readonly TokenScope[] = ["read", "write", "admin"];

export function tokenRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/tokens", "site-admin", async () => {
    // Run tokens (GITHUB_TOKEN of running jobs) are the server's own; people manage theirs.
    const list = (await app.store.listTokens()).filter((t) => t.repo === null);
    return { status: 200, json: { total_count: list.length, tokens: list.map((t) => ({ id: t.id, name: t.name, scope: t.scope, created_at: t.createdAt })) } };
  });
  r.add("POST", "/api/slipway/tokens", "site-admin", async ({ req }) => {
    const body = await readJsonObject(req);
    const name = field(body, "name", true);
    const scope = (field(body, "scope") ?? "read") as TokenScope;
    if (!SCOPES.includes(scope)) throw new InputError(`scope '${scope}' is not one of ${SCOPES.join(", ")}`);
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name) || name.startsWith("run-")) throw new InputError(`token name '${name}': letters, digits, _ . @ - (up to 64), not starting with run-`);
    const token = newToken();
    const rec = await app.store.addToken({ name, hash: hashToken(token), scope });
    return { status: 201, json: { id: rec.id, name, scope, token, created_at: rec.createdAt } };
  });
  r.add("DELETE", "/api/slipway/tokens/:id", "site-admin", async ({ params }) => {
    const id = Number(params.id);
    if (!(await app.store.listTokens()).some((t) => t.id === id)) throw new NotFoundError("Not Found");
    await app.store.revokeToken(id);
    return { status: 204 };
  });
}
