/**
 * The client commands (`repo add`, `secret set`, `var set`, `notify`; `user` and `token` are in
 * `users.ts`): HTTP calls to $SLIPWAY_URL with $SLIPWAY_TOKEN. A refusal from the server is the user's
 * problem (exit 2) and prints its message.
 */
import { ConflictError, ForbiddenError, InputError, InternalError, NotFoundError, UnauthenticatedError } from "../common/errors.ts";
import path from "node:path";
import { parse } from "./args.ts";

function endpoint(): { url: string; token: string } {
  const url = (process.env.SLIPWAY_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  const token = process.env.SLIPWAY_TOKEN ?? "";
  if (!token) throw new InputError("set SLIPWAY_TOKEN to an API token (the admin token is printed when the server first starts)");
  return { url, token };
}

export async function call(method: string, pathname: string, body?: unknown): Promise<unknown> {
  const { url, token } = endpoint();
  let res: Response;
  try {
    res = await fetch(`${url}${pathname}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new InputError(`cannot reach the Slipway server at ${url} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}); set SLIPWAY_URL`);
  }
  const text = await res.text();
  const json = text ? safeJson(text) : null;
  if (res.ok) return json;
  const message = `${method} ${pathname}: ${res.status} ${(json as { message?: string } | null)?.message ?? text}`;
  if (res.status === 401) throw new UnauthenticatedError(message);
  if (res.status === 403) throw new ForbiddenError(message);
  if (res.status === 404) throw new NotFoundError(message);
  if (res.status === 409) throw new ConflictError(message);
  if (res.status < 500) throw new InputError(message);
  throw new InternalError(message);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new InputError("give the value on standard input, e.g. `printf %s \"$VALUE\" | slipway secret set NAME`");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One trailing newline (from `echo`) is not part of the value.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export async function repoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { "webhook-secret": { type: "string" } }, "repo");
  const [sub, name, url] = positionals;
  if (sub !== "add" || !name || !url || positionals.length !== 3) throw new InputError("usage: slipway repo add OWNER/NAME URL [--webhook-secret SECRET]");
  const abs = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : path.resolve(url);
  const repo = (await call("POST", "/api/slipway/repos", { full_name: name, url: abs, webhook_secret: values["webhook-secret"] })) as { full_name: string; default_branch: string };
  process.stdout.write(`registered ${repo.full_name} (default branch ${repo.default_branch})\n`);
  return 0;
}

/** `secret set NAME [--repo OWNER/NAME]` and `var set …`: the value comes from stdin. */
export function namedValueCommand(kind: "secret" | "var") {
  return async (argv: string[]): Promise<number> => {
    const { values, positionals } = parse(argv, { repo: { type: "string" } }, kind);
    const [sub, name] = positionals;
    if (sub !== "set" || !name || positionals.length !== 2) throw new InputError(`usage: slipway ${kind} set NAME [--repo OWNER/NAME]  (value on standard input)`);
    const value = await readStdin();
    const repo = values.repo as string | undefined;
    if (kind === "secret") {
      await call("PUT", repo ? `/api/slipway/repos/${repo}/secrets/${encodeURIComponent(name)}` : `/api/slipway/secrets/${encodeURIComponent(name)}`, { value });
    } else {
      const base = repo ? `/api/v3/repos/${repo}/actions/variables` : "/api/slipway/variables";
      // GitHub's API creates and updates variables apart: create, and update the one that exists (409).
      try {
        await call("POST", base, { name, value });
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        await call("PATCH", `${base}/${encodeURIComponent(name)}`, { value });
      }
    }
    process.stdout.write(`${kind === "secret" ? "secret" : "variable"} ${name.toUpperCase()} set${repo ? ` for ${repo}` : " for every repository"}\n`);
    return 0;
  };
}

export async function notifyCommand(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {}, "notify");
  const [repo, ref, before, after] = positionals;
  if (!repo || !ref || !before || !after || positionals.length !== 4) throw new InputError("usage: slipway notify OWNER/NAME REF OLD_SHA NEW_SHA");
  const r = (await call("POST", `/api/slipway/repos/${repo}/notify`, { ref, before, after })) as { message: string };
  process.stdout.write(`${r.message}\n`);
  return 0;
}
