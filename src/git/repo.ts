/** What `slipway run` learns from the local git repository to build the event. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { InputError } from "../common/errors.ts";

export const ZERO_SHA = "0".repeat(40);

export interface RepoInfo {
  root: string;
  sha: string;
  /** refs/heads/<branch>, or null on a detached HEAD. */
  ref: string | null;
  before: string;
  defaultBranch: string;
  /** owner/name from the origin remote, else local/<folder>. */
  repository: string;
  actor: string;
  /** Files changed by the last commit (all files for a single-commit repository). */
  changedFiles: string[];
}

export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 }).trimEnd();
}

function tryGit(cwd: string, args: string[]): string | null {
  try {
    return git(cwd, args);
  } catch {
    return null;
  }
}

export function readRepo(dir: string): RepoInfo {
  const root = tryGit(dir, ["rev-parse", "--show-toplevel"]);
  if (!root) throw new InputError(`${dir}: not a git repository (slipway run needs one: the event's commit comes from it)`);
  const sha = tryGit(root, ["rev-parse", "HEAD"]);
  if (!sha) throw new InputError(`${root}: the repository has no commits yet; commit something first`);
  const branch = tryGit(root, ["symbolic-ref", "-q", "--short", "HEAD"]);
  const parent = tryGit(root, ["rev-parse", "-q", "--verify", "HEAD~1"]);
  const changed = parent
    ? git(root, ["diff", "--name-only", "--no-renames", `${parent}`, sha])
    : git(root, ["ls-tree", "-r", "--name-only", sha]);
  return {
    root,
    sha,
    ref: branch ? `refs/heads/${branch}` : null,
    before: parent ?? ZERO_SHA,
    defaultBranch: defaultBranch(root, branch),
    repository: repositoryName(root),
    actor: tryGit(root, ["config", "user.name"]) || process.env.USER || "slipway",
    changedFiles: changed ? changed.split("\n").filter(Boolean) : [],
  };
}

function defaultBranch(root: string, current: string | null): string {
  const remoteHead = tryGit(root, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"]);
  if (remoteHead) return remoteHead.replace(/^origin\//, "");
  for (const b of ["main", "master"]) if (tryGit(root, ["rev-parse", "-q", "--verify", `refs/heads/${b}`])) return b;
  return current ?? "main";
}

function repositoryName(root: string): string {
  const url = tryGit(root, ["config", "--get", "remote.origin.url"]);
  const m = url ? /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url) : null;
  if (m) return `${m[1]}/${m[2]}`;
  return `local/${path.basename(root)}`;
}

/** Files changed between two commits, for pull request path filters. */
export function changedBetween(root: string, base: string, head: string): string[] | null {
  const out = tryGit(root, ["diff", "--name-only", "--no-renames", `${base}...${head}`]);
  return out === null ? null : out.split("\n").filter(Boolean);
}

export function resolveRef(root: string, ref: string): string | null {
  return tryGit(root, ["rev-parse", "-q", "--verify", `${ref}^{commit}`]);
}
