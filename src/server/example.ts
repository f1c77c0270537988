/**
 * `slipway server --example`: registers examples/hello as `example/hello` (a git repository made under
 * the data directory) and pushes its first commit through the queue, so a fresh server has a run to show.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { App } from "./app.ts";
import { registerRepo } from "./api/repos.ts";
import { repositoryShape } from "./api/shapes.ts";

export const EXAMPLE_REPO = "example/hello";

function examplesDir(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const c = path.join(dir, "examples", "hello");
    if (existsSync(c)) return c;
    dir = path.dirname(dir);
  }
  return null;
}

/** Returns the example's first run page, or null when it was registered before (or is not shipped). */
export async function registerExample(app: App): Promise<string | null> {
  if (await app.store.getRepo(EXAMPLE_REPO)) return null;
  const source = examplesDir();
  if (!source) return null;
  const dir = path.join(app.settings.dataDir, "example", "hello");
  if (!existsSync(path.join(dir, ".git"))) {
    mkdirSync(dir, { recursive: true });
    cpSync(source, dir, { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=example", "-c", "user.email=example@localhost", ...args], { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "example");
  }
  const repo = await registerRepo(app, EXAMPLE_REPO, dir, undefined);
  const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
  const head = { id: sha, message: "example", timestamp: new Date().toISOString(), author: { name: "example", email: "" }, committer: { name: "example", email: "" } };
  await app.queue.enqueue({
    repo: repo.fullName,
    event: "push",
    deliveryKey: `example:${sha}`,
    data: { payload: { ref: "refs/heads/main", before: "0".repeat(40), after: sha, created: true, deleted: false, forced: false, head_commit: head, commits: [head], repository: repositoryShape(repo, app.baseUrl()), sender: { login: "example" } }, sha, ref: "refs/heads/main", before: "0".repeat(40), actor: "example" },
  });
  return `${app.baseUrl()}/#/runs?repo=${EXAMPLE_REPO}`;
}
