/**
 * A small method + path router. Patterns use `:name` segments (`/repos/:owner/:repo/actions/runs/:id`);
 * a segment may end in a literal suffix (`:workflow.svg`). Each route names the token scope it needs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Caller } from "../auth/caller.ts";
import type { Role } from "../auth/roles.ts";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Who is calling; null on routes open to everyone. */
  caller: Caller | null;
}

/** What a handler answers; `null` means it wrote the response itself (streams, redirects to files). */
export type Reply =
  | { status: number; json?: unknown; text?: string; body?: Buffer; type?: string; headers?: Record<string, string> }
  | null;

export type Handler = (ctx: RequestContext) => Promise<Reply>;

/**
 * What a route needs: nothing, a role on the repository its path names (`:owner/:repo`), or a site
 * administrator. A route without `:owner/:repo` that needs a role checks it itself (`caller.require`)
 * once it knows the repository (a job by id); "user" is any signed-in caller.
 */
export type Access = "public" | "user" | Role | "site-admin";

interface Route {
  method: string;
  parts: string[];
  access: Access;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, access: Access, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), access, handler });
    return this;
  }

  /** The route for a request, `"method"` when the path exists under another method, or null. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | "method" | null {
    const segments = pathname.split("/").filter(Boolean).map(safeDecode);
    let otherMethod = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method || (method === "HEAD" && route.method === "GET")) return { route, params };
      otherMethod = true;
    }
    return otherMethod ? "method" : null;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const s = segments[i] as string;
    if (!p.startsWith(":")) {
      if (p !== s) return null;
      continue;
    }
    const dot = p.indexOf(".");
    if (dot < 0) {
      params[p.slice(1)] = s;
      continue;
    }
    const suffix = p.slice(dot);
    if (!s.endsWith(suffix) || s.length === suffix.length) return null;
    params[p.slice(1, dot)] = s.slice(0, -suffix.length);
  }
  return params;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
