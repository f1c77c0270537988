/**
 * Built-in actions/checkout: puts the repository at the event's commit (or `ref`) into the
 * workspace, honouring `path` and `fetch-depth`, without any network.
 */
import { execFile } from "node:child_process";
import { mkdir, rm, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CheckoutRequest {
  repoRoot: string;
  sha: string;
  /** The event's ref (refs/heads/x, refs/tags/y, refs/pull/1/merge). */
  eventRef: string;
  inputs: Record<string, string>;
  workspace: string;
  log: (line: string) => void;
}

export async function checkout(req: CheckoutRequest): Promise<void> {
  const dest = path.resolve(req.workspace, req.inputs.path || ".");
  if (!dest.startsWith(path.resolve(req.workspace))) throw new Error(`checkout: path '${req.inputs.path}' is outside the workspace`);
  const wanted = req.inputs.ref || "";
  const target = wanted ? await resolve(req.repoRoot, wanted) : req.sha;
  const depth = Number(req.inputs["fetch-depth"] ?? "1");
  await mkdir(dest, { recursive: true });
  if (req.inputs.clean !== "false") await clearDir(dest);
  const git = (...args: string[]) => run("git", ["-C", dest, ...args], { maxBuffer: 64 << 20 });
  await git("init", "-q");
  await git("remote", "add", "origin", req.repoRoot);
  const fetchArgs = ["-c", "uploadpack.allowAnySHA1InWant=true", "fetch", "-q", "--no-tags"];
  if (depth > 0) fetchArgs.push(`--depth=${depth}`);
  const url = `file://${req.repoRoot}`;
  req.log(`Fetching ${target.slice(0, 12)} from ${req.repoRoot}${depth > 0 ? ` (depth ${depth})` : ""}`);
  await git(...fetchArgs, url, target);
  if (req.inputs["fetch-tags"] === "true" || depth === 0) await git("-c", "uploadpack.allowAnySHA1InWant=true", "fetch", "-q", "--tags", url).catch(() => undefined);
  const branch = branchName(wanted || req.eventRef);
  if (branch) await git("checkout", "-q", "-B", branch, "FETCH_HEAD");
  else await git("checkout", "-q", "--detach", "FETCH_HEAD");
  req.log(`Checked out ${target} into ${dest}`);
}

async function resolve(repoRoot: string, ref: string): Promise<string> {
  for (const candidate of [ref, `refs/remotes/origin/${ref}`, `refs/tags/${ref}`]) {
    try {
      const { stdout } = await run("git", ["-C", repoRoot, "rev-parse", "-q", "--verify", `${candidate}^{commit}`]);
      return stdout.trim();
    } catch {
      /* try the next spelling */
    }
  }
  throw new Error(`checkout: ref '${ref}' does not exist in ${repoRoot}`);
}

function branchName(ref: string): string | null {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  if (ref.startsWith("refs/")) return null;
  return /^[0-9a-f]{40}$/.test(ref) ? null : ref || null;
}

async function clearDir(dir: string): Promise<void> {
  for (const e of await readdir(dir)) await rm(path.join(dir, e), { recursive: true, force: true });
}
