/** What `slipway run` learns from the local git repository to build the event. */
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { existsSync } from "node:fs";
import { InputError } from "../common/errors.ts";
import { discover, readText } from "./discover.ts";
import { readLooseHead, type HeadLog } from "./loose-head.ts";

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
  headCommit: HeadCommit;
}

export interface HeadCommit {
  message: string;
  timestamp: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
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

const LOG_ARGS = ["-c", "core.quotepath=off", "log", "-1", "--first-parent", "-m", "--name-only", "--format=%H %P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%B%x1e", "HEAD"];

/**
 * One git call when `.git` can be read directly (see discover.ts), else three at once: start-up time
 * matters for `slipway run`, and each git process costs a few milliseconds even on an idle machine.
 */
export async function readRepo(dir: string): Promise<RepoInfo> {
  const found = discover(dir);
  if (found) {
    // The commit, its parents and the files it changed against its first parent (all files for a root commit).
    const head = readLooseHead(found.root, found.gitDir, found.commonDir, found.headRef, found.configs) ?? parseLog(await gitAsync(found.root, LOG_ARGS));
    if (head === null) throw new InputError(`${found.root}: the repository has no commits yet; commit something first`);
    return repoInfo(found.root, found.headRef, found.commonDir, head, found.originUrl, found.userName);
  }
  const [top, head, config] = await Promise.all([
    gitAsync(dir, ["rev-parse", "--show-toplevel", "--symbolic-full-name", "HEAD", "--git-common-dir"]),
    gitAsync(dir, LOG_ARGS),
    gitAsync(dir, ["config", "--get-regexp", "^(remote\\.origin\\.url|user\\.name)$"]),
  ]);
  if (top === null) {
    const root = await gitAsync(dir, ["rev-parse", "--show-toplevel"]);
    if (root === null) throw new InputError(`${dir}: not a git repository (slipway run needs one: the event's commit comes from it)`);
    throw new InputError(`${root}: the repository has no commits yet; commit something first`);
  }
  const [root = dir, headRef = "HEAD", commonDir = ".git"] = top.split("\n");
  const settings = new Map((config ?? "").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)] as const));
  const log = parseLog(head);
  if (log === null) throw new InputError(`${root}: the repository has no commits yet; commit something first`);
  return repoInfo(root, headRef, path.resolve(root, commonDir), log, settings.get("remote.origin.url"), settings.get("user.name"));
}

/** LOG_ARGS' output; null when git printed no commit. */
function parseLog(head: string | null): HeadLog | null {
  const [meta = "", fileList = ""] = (head ?? "").split("\x1e");
  const [commitLine = "", authorName = "", authorEmail = "", authorDate = "", committerName = "", committerEmail = "", message = ""] = meta.split("\x1f");
  const [sha, ...parents] = commitLine.split(" ").filter(Boolean);
  if (!sha) return null;
  // git 2.45 and later print a UTC date with Z; the .git reader and older gits print +00:00.
  const date = authorDate.replace(/Z$/, "+00:00");
  return { sha, parents, authorName, authorEmail, authorDate: date, committerName, committerEmail, message, files: fileList.split("\n").filter(Boolean) };
}

function repoInfo(root: string, headRef: string, commonDir: string, log: HeadLog, originUrl: string | undefined, userName: string | undefined): RepoInfo {
  const ref = headRef.startsWith("refs/heads/") ? headRef : null;
  return {
    root,
    sha: log.sha,
    ref,
    before: log.parents[0] ?? ZERO_SHA,
    defaultBranch: defaultBranch(commonDir, ref),
    repository: repositoryName(root, originUrl),
    actor: userName || process.env.USER || "slipway",
    changedFiles: log.files,
    headCommit: { message: log.message.trimEnd(), timestamp: log.authorDate, author: { name: log.authorName, email: log.authorEmail }, committer: { name: log.committerName, email: log.committerEmail } },
  };
}

function gitAsync(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 }, (err, stdout) => resolve(err ? null : stdout.trimEnd()));
  });
}

/** origin's HEAD when the repository has one, else main or master when they exist, else the current branch. */
function defaultBranch(gitDir: string, current: string | null): string {
  const remoteHead = readText(path.join(gitDir, "refs/remotes/origin/HEAD"));
  const m = remoteHead ? /^ref: refs\/remotes\/origin\/(.+)$/m.exec(remoteHead) : null;
  if (m?.[1]) return m[1];
  const packed = readText(path.join(gitDir, "packed-refs")) ?? "";
  for (const b of ["main", "master"]) {
    if (existsSync(path.join(gitDir, "refs/heads", b)) || packed.includes(` refs/heads/${b}\n`)) return b;
  }
  return current ? current.replace(/^refs\/heads\//, "") : "main";
}

function repositoryName(root: string, url: string | undefined): string {
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
