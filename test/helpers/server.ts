/** Starts `slipway server` as a user would (a child process on 127.0.0.1), and talks to it. */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { BIN, tmpDir } from "./cli.ts";

export const ADMIN_TOKEN = "slw_test_admin_token";

export interface TestServer {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the server printed so far. */
  output: () => string;
  /** Fetch with the admin token (or another). */
  api: (path: string, init?: RequestInit & { token?: string }) => Promise<Response>;
  json: <T = any>(path: string, init?: RequestInit & { token?: string }) => Promise<T>;
  /** SIGTERM and wait. */
  stop: () => Promise<void>;
  /** SIGKILL and wait. */
  kill: () => Promise<void>;
}

export async function startTestServer(opts: { dataDir?: string; env?: Record<string, string>; args?: string[] } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tmpDir("slipway-server-");
  const proc = spawn(process.execPath, [BIN, "server", "--port", "0", "--data-dir", dataDir, ...(opts.args ?? [])], {
    env: { ...process.env, SLIPWAY_ADMIN_TOKEN: ADMIN_TOKEN, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    proc.stdout?.on("data", check);
    proc.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  const api = (p: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization") && init.token !== "") headers.set("authorization", `Bearer ${init.token ?? ADMIN_TOKEN}`);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    // A test that blocks its event loop (a synchronous CLI call) past the server's keep-alive timeout
    // leaves fetch a pooled socket the server closed: that request never reached the server, so resend it.
    return fetch(`${url}${p}`, { ...init, headers }).catch((e: Error & { cause?: { code?: string } }) => {
      if (e.cause?.code !== "UND_ERR_SOCKET") throw e;
      return fetch(`${url}${p}`, { ...init, headers });
    });
  };
  const exited = () => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : once(proc, "exit").then(() => undefined));
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    api,
    json: async (p, init) => {
      const r = await api(p, init);
      if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${p}: ${r.status} ${await r.text()}`);
      return r.status === 204 ? null : r.json();
    },
    stop: async () => {
      proc.kill("SIGTERM");
      await exited();
    },
    kill: async () => {
      proc.kill("SIGKILL");
      await exited();
    },
  };
}

export async function registerRepo(s: TestServer, fullName: string, dir: string, webhookSecret = "hook-secret"): Promise<void> {
  await s.json("/api/slipway/repos", { method: "POST", body: JSON.stringify({ full_name: fullName, url: dir, webhook_secret: webhookSecret }) });
}

/** A GitHub push delivery, signed with `secret` (or left unsigned with secret null). */
export function pushDelivery(fullName: string, p: { ref?: string; before: string; after: string; message?: string; deliveryId: string; sender?: string }, secret: string | null) {
  const [owner, name] = fullName.split("/");
  const body = JSON.stringify({
    ref: p.ref ?? "refs/heads/main",
    before: p.before,
    after: p.after,
    repository: { full_name: fullName, name, owner: { login: owner }, default_branch: "main" },
    head_commit: { id: p.after, message: p.message ?? "change", timestamp: new Date().toISOString() },
    pusher: { name: p.sender ?? "alice" },
    sender: { login: p.sender ?? "alice" },
  });
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": p.deliveryId };
  if (secret !== null) headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return { body, headers };
}

export async function sendHook(s: TestServer, d: { body: string; headers: Record<string, string> }, forge = "github"): Promise<Response> {
  return fetch(`${s.url}/hooks/${forge}`, { method: "POST", headers: d.headers, body: d.body });
}

/** Polls until `f` returns a truthy value; fails with `what` after the deadline. */
export async function waitFor<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Every run of a repository, once none is unfinished. */
export async function settledRuns(s: TestServer, fullName: string, count: number, timeoutMs = 90_000): Promise<any[]> {
  return waitFor(`${count} completed run(s) of ${fullName}`, async () => {
    const r = await s.json(`/api/v3/repos/${fullName}/actions/runs?per_page=100`);
    const runs = r.workflow_runs as any[];
    return runs.length >= count && runs.every((x) => x.status === "completed") ? runs : null;
  }, timeoutMs);
}

/** A GitHub pull_request delivery; `fork` puts the head in another repository. */
export function pullRequestDelivery(fullName: string, p: { number: number; action?: string; baseRef?: string; baseSha: string; headRef: string; headSha: string; fork?: boolean; deliveryId: string }, secret: string) {
  const [owner, name] = fullName.split("/");
  const repository = { id: 1, full_name: fullName, name, owner: { login: owner }, default_branch: "main" };
  const headRepo = p.fork ? { id: 2, full_name: `mallory/${name}`, name, owner: { login: "mallory" } } : repository;
  const body = JSON.stringify({
    action: p.action ?? "opened",
    number: p.number,
    pull_request: { number: p.number, title: "a change", head: { ref: p.headRef, sha: p.headSha, repo: headRepo }, base: { ref: p.baseRef ?? "main", sha: p.baseSha, repo: repository } },
    repository,
    sender: { login: p.fork ? "mallory" : "alice" },
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": p.deliveryId,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  };
  return { body, headers };
}
