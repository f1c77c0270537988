/**
 * Slipway's own copy of each registered repository: a bare mirror fetched when an event names a commit
 * it lacks, and a checkout per commit that runs read their workflows from (and actions/checkout fetches
 * from). One queue per repository keeps git's lock files out of each other's way.
 */
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gitAsync, GitError } from "./git.ts";

export class Mirrors {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  mirrorDir(fullName: string): string {
    return path.join(this.root, "mirrors", `${fullName.toLowerCase()}.git`);
  }

  /** Clones the mirror when missing; answers the default branch the remote's HEAD names. */
  async ensure(fullName: string, url: string): Promise<string> {
    return this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      if (!existsSync(dir)) {
        await mkdir(path.dirname(dir), { recursive: true });
        await gitAsync(["clone", "--mirror", "--quiet", url, dir]);
      }
      const head = await gitAsync(["symbolic-ref", "--short", "HEAD"], dir).catch(() => "main\n");
      return head.trim() || "main";
    });
  }

  /** Makes sure `sha` is in the mirror, fetching everything first and the commit itself if still missing. */
  async fetchCommit(fullName: string, url: string, sha: string): Promise<void> {
    await this.ensure(fullName, url);
    await this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      if (await hasCommit(dir, sha)) return;
      await gitAsync(["fetch", "--quiet", "--prune", "origin"], dir);
      if (await hasCommit(dir, sha)) return;
      await gitAsync(["fetch", "--quiet", "origin", sha], dir).catch(() => undefined);
      if (!(await hasCommit(dir, sha))) throw new GitError(`commit ${sha} is not in ${url}`);
    });
  }

  /** The commit a branch (short name) or full ref points at, after a fetch. */
  async branchHead(fullName: string, url: string, ref: string): Promise<string | null> {
    const full = ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
    await this.ensure(fullName, url);
    return this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      await gitAsync(["fetch", "--quiet", "--prune", "origin"], dir).catch(() => undefined);
      const out = await gitAsync(["rev-parse", "-q", "--verify", `${full}^{commit}`], dir).catch(() => "");
      return out.trim() || null;
    });
  }

  /** A checkout of `sha` (shared objects, so it is cheap); made once per commit. */
  async checkout(fullName: string, sha: string): Promise<string> {
    const dir = path.join(this.root, "checkouts", fullName.toLowerCase(), sha);
    return this.serial(fullName, async () => {
      if (existsSync(path.join(dir, ".git", "slipway-ready"))) return dir;
      await rm(dir, { recursive: true, force: true });
      await mkdir(path.dirname(dir), { recursive: true });
      await gitAsync(["clone", "--quiet", "--shared", "--no-checkout", this.mirrorDir(fullName), dir]);
      await gitAsync(["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", sha], dir);
      await writeFile(path.join(dir, ".git", "slipway-ready"), sha);
      return dir;
    });
  }

  /** Files changed between two commits; null when either is unknown (path filters then pass). */
  async changedFiles(fullName: string, base: string, head: string, threeDot = false): Promise<string[] | null> {
    const dir = this.mirrorDir(fullName);
    try {
      const out = await gitAsync(["diff", "--name-only", "--no-renames", threeDot ? `${base}...${head}` : `${base}..${head}`], dir);
      return out.split("\n").filter(Boolean);
    } catch {
      return null;
    }
  }

  /** Every file of a commit: what a push that creates a branch counts as changed. */
  async allFiles(fullName: string, sha: string): Promise<string[] | null> {
    try {
      const out = await gitAsync(["ls-tree", "-r", "--name-only", sha], this.mirrorDir(fullName));
      return out.split("\n").filter(Boolean);
    } catch {
      return null;
    }
  }

  async commitMessage(fullName: string, sha: string): Promise<string> {
    return gitAsync(["log", "-1", "--format=%B", sha], this.mirrorDir(fullName)).catch(() => "");
  }

  private serial<T>(key: string, f: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(f, f);
    this.queues.set(key, next.catch(() => undefined));
    return next;
  }
}

async function hasCommit(dir: string, sha: string): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/i.test(sha)) return false;
  return gitAsync(["cat-file", "-e", `${sha}^{commit}`], dir).then(() => true, () => false);
}
