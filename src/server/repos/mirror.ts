/**
 * Slipway's own copy of each registered repository: a bare mirror fetched when an event names a commit
 * it lacks, and a checkout per commit that runs read their workflows from (and actions/checkout fetches
 * from). One queue per repository keeps git's lock files out of each other's way.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { gitAsync, GitError } from "./git.ts";

const SHA = /^[0-9a-f]{40}$/i;
const KEEP_DIFFS = 64;

export class Mirrors {
  private readonly queues = new Map<string, Promise<unknown>>();
  // Each spares a git process per trigger and per run: a mirror's HEAD never moves with a fetch, and a
  // commit once fetched stays.
  private readonly heads = new Map<string, string>();
  private readonly present = new Set<string>();
  private readonly diffs = new Map<string, string[]>();
  private readonly fetchedAt = new Map<string, number>();

  constructor(private readonly root: string) {}

  mirrorDir(fullName: string): string {
    return path.join(this.root, "mirrors", `${fullName.toLowerCase()}.git`);
  }

  /** Clones the mirror when missing; answers the default branch the remote's HEAD names. */
  async ensure(fullName: string, url: string): Promise<string> {
    return this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      if (!existsSync(dir)) {
        this.heads.delete(dir);
        await mkdir(path.dirname(dir), { recursive: true });
        await gitAsync(["clone", "--mirror", "--quiet", url, dir]);
      }
      const known = this.heads.get(dir);
      if (known) return known;
      const head = (await gitAsync(["symbolic-ref", "--short", "HEAD"], dir).catch(() => "")).trim();
      if (head) this.heads.set(dir, head);
      return head || "main";
    });
  }

  /** Makes sure `sha` is in the mirror, fetching everything first and the commit itself if still missing. */
  async fetchCommit(fullName: string, url: string, sha: string): Promise<void> {
    await this.ensure(fullName, url);
    await this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      const key = `${dir}\u0000${sha}`;
      if (this.present.has(key)) return;
      const found = async () => {
        if (!(await hasCommit(dir, sha))) return false;
        this.present.add(key);
        return true;
      };
      if (await found()) return;
      await gitAsync(["fetch", "--quiet", "--prune", "origin"], dir);
      if (await found()) return;
      await gitAsync(["fetch", "--quiet", "origin", sha], dir).catch(() => undefined);
      if (!(await found())) throw new GitError(`commit ${sha} is not in ${url}`);
    });
  }

  /**
   * The commit a branch (short name) or full ref points at, after a fetch. `maxAgeMs`: a fetch that
   * recent is good enough (pages that list workflows), so reading a page does not fetch every time.
   */
  async branchHead(fullName: string, url: string, ref: string, maxAgeMs = 0): Promise<string | null> {
    const full = ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
    await this.ensure(fullName, url);
    return this.serial(fullName, async () => {
      const dir = this.mirrorDir(fullName);
      const last = this.fetchedAt.get(dir) ?? 0;
      if (Date.now() - last > maxAgeMs) {
        await gitAsync(["fetch", "--quiet", "--prune", "origin"], dir).catch(() => undefined);
        this.fetchedAt.set(dir, Date.now());
      }
      const out = await gitAsync(["rev-parse", "-q", "--verify", `${full}^{commit}`], dir).catch(() => "");
      return out.trim() || null;
    });
  }

  /** A checkout of `sha` (shared objects, so it is cheap); made once per commit. */
  async checkout(fullName: string, sha: string): Promise<string> {
    const dir = path.join(this.root, "checkouts", fullName.toLowerCase(), sha);
    return this.serial(fullName, async () => {
      if (existsSync(path.join(dir, ".git", "slipway-ready"))) {
        // The folder's time says when it was last used: pruning keeps the recently used ones.
        const now = new Date();
        await utimes(dir, now, now).catch(() => undefined);
        return dir;
      }
      await rm(dir, { recursive: true, force: true });
      await mkdir(path.dirname(dir), { recursive: true });
      await gitAsync(["clone", "--quiet", "--shared", "--no-checkout", this.mirrorDir(fullName), dir]);
      await gitAsync(["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", sha], dir);
      await writeFile(path.join(dir, ".git", "slipway-ready"), sha);
      return dir;
    });
  }

  /**
   * Removes a repository's checkouts beyond the `keep` most recently used, except those of `inUse`
   * commits (live runs). A removed one is made again if an event names its commit later.
   */
  async prune(fullName: string, keep: number, inUse: ReadonlySet<string>): Promise<number> {
    const root = path.join(this.root, "checkouts", fullName.toLowerCase());
    return this.serial(fullName, async () => {
      const names = (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
      const dated = await Promise.all(names.map(async (name) => ({ name, used: (await stat(path.join(root, name)).catch(() => null))?.mtimeMs ?? 0 })));
      dated.sort((a, b) => b.used - a.used);
      let removed = 0;
      for (const d of dated.slice(keep)) {
        if (inUse.has(d.name)) continue;
        await rm(path.join(root, d.name), { recursive: true, force: true });
        removed++;
      }
      return removed;
    });
  }

  /** Files changed between two commits; null when either is unknown (path filters then pass). */
  async changedFiles(fullName: string, base: string, head: string, threeDot = false): Promise<string[] | null> {
    const dir = this.mirrorDir(fullName);
    const range = threeDot ? `${base}...${head}` : `${base}..${head}`;
    // Two commit ids name one diff for good, and a run asks again what its trigger asked.
    const key = SHA.test(base) && SHA.test(head) ? `${dir}\u0000${range}` : null;
    const hit = key ? this.diffs.get(key) : undefined;
    if (hit) return [...hit];
    try {
      const files = (await gitAsync(["diff", "--name-only", "--no-renames", range], dir)).split("\n").filter(Boolean);
      if (key) {
        this.diffs.set(key, files);
        if (this.diffs.size > KEEP_DIFFS) this.diffs.delete(this.diffs.keys().next().value as string);
      }
      return [...files];
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
  if (!SHA.test(sha)) return false;
  return gitAsync(["cat-file", "-e", `${sha}^{commit}`], dir).then(() => true, () => false);
}
