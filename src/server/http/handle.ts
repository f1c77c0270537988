/**
 * One request: route, authenticate, run the handler, write its reply. Errors become GitHub's
 * `basic-error` body with the status `httpStatusOf` gives; a fault inside Slipway is a 500 whose
 * details go to the server's log, not to the caller.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ForbiddenError, httpStatusOf, InputError, InternalError, SlipwayError, UnauthenticatedError } from "../../common/errors.ts";
import type { ServerStore } from "../../store/server-store.ts";
import { authenticate } from "../auth/tokens.ts";
import { callerOf, type Caller } from "../auth/caller.ts";
import type { Access, Reply, Router } from "./router.ts";

export function handler(router: Router, store: ServerStore, log: (m: string) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    try {
      const found = router.match(req.method ?? "GET", url.pathname);
      if (found === null) return send(res, { status: 404, json: { message: "Not Found" } });
      if (found === "method") return send(res, { status: 405, json: { message: `Method ${req.method} not allowed here` } });
      const { route, params } = found;
      let caller: Caller | null = null;
      if (route.access !== "public") {
        const token = await authenticate(store, req.headers.authorization);
        if (!token) throw new UnauthenticatedError("Requires authentication: send Authorization: Bearer <token>");
        if (token.repo !== null) boundTokenMay(token.repo, req.method ?? "GET", url.pathname, params);
        caller = await callerOf(store, token);
        await authorize(caller, route.access, params);
      }
      const reply = await route.handler({ req, res, url, params, caller });
      if (reply) send(res, reply);
    } catch (e) {
      const status = httpStatusOf(e);
      if (!(e instanceof SlipwayError) || status === 500) log(`${req.method} ${url.pathname}: ${(e as Error).stack ?? e}`);
      if (res.headersSent) return void res.end();
      const body: Record<string, unknown> = { message: status === 500 ? "Internal error (see the server's log)" : (e as Error).message };
      if (e instanceof InputError && e.diagnostics.length) body.errors = e.diagnostics.map((d) => ({ message: d.message, file: d.file, line: d.line, column: d.column }));
      send(res, { status, json: body });
    }
  };
}

/**
 * Role routes name their repository in the path; site-admin routes need a site administrator. A role
 * route without `:owner/:repo` is a mistake in Slipway (it would let everyone in), so it fails closed:
 * such a route is declared "user" and calls `caller.require` once it knows the repository.
 */
async function authorize(caller: Caller, access: Exclude<Access, "public">, params: Record<string, string>): Promise<void> {
  if (access === "user") return;
  if (access === "site-admin") return caller.requireSiteAdmin("admin");
  if (params.owner === undefined || params.repo === undefined) throw new InternalError(`a route needing the ${access} role names no repository; declare it "user" and check the role in its handler`);
  await caller.require(`${params.owner}/${params.repo}`, access);
}

/** The URL as the client addressed it, so links built from it (a list's `Link` header) reach this server. */
function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch {
    return new URL(req.url ?? "/", "http://localhost");
  }
}

function send(res: ServerResponse, reply: NonNullable<Reply>): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let body: Buffer | undefined;
  if (reply.json !== undefined) {
    body = Buffer.from(JSON.stringify(reply.json));
    headers["content-type"] = "application/json; charset=utf-8";
  } else if (reply.text !== undefined) {
    body = Buffer.from(reply.text);
    headers["content-type"] = reply.type ?? "text/plain; charset=utf-8";
  } else if (reply.body) {
    body = reply.body;
    headers["content-type"] = reply.type ?? "application/octet-stream";
  }
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}

/**
 * A run's GITHUB_TOKEN reaches only its own repository's `/api/v3` routes, and may not change secrets or
 * variables: a step must not be able to reach other repositories or plant secrets for later runs.
 */
function boundTokenMay(repo: string, method: string, pathname: string, params: Record<string, string>): void {
  const own = pathname.startsWith("/api/v3/repos/") && `${params.owner}/${params.repo}`.toLowerCase() === repo.toLowerCase();
  if (!own) throw new ForbiddenError(`Resource not accessible by integration: this run's token may only use ${repo}`);
  if (method !== "GET" && /\/actions\/(secrets|variables)(\/|$)/.test(pathname)) throw new ForbiddenError("Resource not accessible by integration: a run's token may not change secrets or variables");
}
