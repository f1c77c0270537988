/**
 * HEAD's commit and the files it changed, read from `.git` without starting git: a git process is a
 * large share of a one-step `slipway run`. Only the plain case is read here: HEAD's commit, its first
 * parent and the trees between them stored as loose objects (as a commit made in this clone since its
 * last repack is), and no setting or file that changes what `git log` prints. Anything else (a packed
 * object, a possible rename, a path git would quote, replace refs, grafts, a shallow clone, a
 * `[diff]`, `[log]`, `[i18n]`, `[color]` or `[include]` section in any config) answers null, and the
 * caller asks git itself.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { readText } from "./discover.ts";

export interface HeadLog {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** The author date as git's `%aI` prints it. */
  authorDate: string;
  committerName: string;
  committerEmail: string;
  /** The raw message, as `%B`. */
  message: string;
  /** Changed against the first parent, every file for a root commit, in git's order. */
  files: string[];
}

interface Entry {
  /** The name as bytes (latin1), so comparing keys compares bytes as git does. */
  name: string;
  isTree: boolean;
  mode: string;
  id: string;
}

const RISKY_SECTION = /\[\s*(diff|log|i18n|color|include|includeif)\b/i;
/** Where git installs look for their system config; any other prefix's is missed, so any of these counts. */
const SYSTEM_CONFIGS = ["/etc/gitconfig", "/usr/local/etc/gitconfig", "/opt/homebrew/etc/gitconfig"];
const RISKY_ENV = /^GIT_(CONFIG|OBJECT|ALTERNATE|REPLACE|NO_REPLACE|GRAFT|SHALLOW|COMMON|DIR|WORK_TREE|NAMESPACE)/;

/** `configs`: the repository's and the user's config files as text (the system's and a worktree's are read here). */
export function readLooseHead(root: string, gitDir: string, commonDir: string, headRef: string, configs: string[]): HeadLog | null {
  if (Object.keys(process.env).some((k) => RISKY_ENV.test(k))) return null;
  if (!ownedByMe(root) || !ownedByMe(gitDir)) return null; // git's safe.directory check would speak
  const allConfigs = [...configs, textOf(path.join(gitDir, "config.worktree")), ...SYSTEM_CONFIGS.map(textOf)];
  if (allConfigs.some((c) => RISKY_SECTION.test(c))) return null;
  if (["shallow", "info/grafts", "refs/replace"].some((f) => existsSync(path.join(commonDir, f)))) return null;
  const packedRefs = textOf(path.join(commonDir, "packed-refs"));
  if (packedRefs.includes(" refs/replace/")) return null;
  const sha = resolveHead(gitDir, commonDir, headRef, packedRefs);
  if (!sha) return null;
  const objects = path.join(commonDir, "objects");
  const head = readCommit(objects, sha);
  if (!head) return null;
  const parent = head.parents[0] ? readCommit(objects, head.parents[0]) : null;
  if (head.parents[0] && !parent) return null;
  const changes = diffTrees(objects, parent?.tree ?? null, head.tree, "");
  if (!changes || (changes.added && changes.deleted)) return null; // git may pair them as a rename
  const files = changes.paths.map((p) => Buffer.from(p, "latin1").toString("utf8"));
  if (files.some((f) => /[\x00-\x1f"\\\x7f]/.test(f))) return null; // git quotes these even with quotepath off
  return { ...head.log, sha, files };
}

function resolveHead(gitDir: string, commonDir: string, headRef: string, packedRefs: string): string | null {
  const value = headRef === "HEAD" ? textOf(path.join(gitDir, "HEAD")).trim() : textOf(path.join(commonDir, headRef)).trim() || packedRef(packedRefs, headRef);
  return /^[0-9a-f]{40}$/.test(value) ? value : null;
}

function packedRef(packed: string, ref: string): string {
  const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`) && !l.startsWith("#") && !l.startsWith("^"));
  return line ? line.slice(0, line.indexOf(" ")) : "";
}

interface Commit {
  tree: string;
  parents: string[];
  log: Omit<HeadLog, "sha" | "files">;
}

function readCommit(objects: string, sha: string): Commit | null {
  const body = readObject(objects, sha, "commit");
  if (!body) return null;
  const text = body.toString("utf8");
  const split = text.indexOf("\n\n");
  const headers = (split < 0 ? text : text.slice(0, split)).split("\n").filter((l) => !l.startsWith(" "));
  const message = split < 0 ? "" : text.slice(split + 2);
  const field = (name: string) => headers.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
  // git reads the headers in this order and ignores what is out of place; such a commit is left to it.
  const order = headers.map((l) => l.slice(0, l.indexOf(" ")));
  const parentsEnd = 1 + order.slice(1).findIndex((h) => h !== "parent");
  if (order[0] !== "tree" || order[parentsEnd] !== "author" || order[parentsEnd + 1] !== "committer") return null;
  if (order.filter((h) => h === "tree" || h === "parent" || h === "author" || h === "committer").length !== parentsEnd + 2) return null;
  const [tree] = field("tree");
  const author = ident(field("author")[0]);
  const committer = ident(field("committer")[0]);
  // A declared encoding is re-encoded by git; separators inside the message would confuse its output.
  if (!tree || !author || !committer || field("encoding").length || /[\x1e\x1f]/.test(message)) return null;
  const parents = field("parent");
  const log = { parents, authorName: author.name, authorEmail: author.email, authorDate: author.date, committerName: committer.name, committerEmail: committer.email, message };
  return { tree, parents, log };
}

/** `Name <email> 1700000000 +0100`, with the date as git's strict ISO 8601 in the author's zone. */
function ident(line: string | undefined): { name: string; email: string; date: string } | null {
  const m = line ? /^([^<>\n]*?)[ \t\r]*<([^<>\n]*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(line) : null;
  if (!m) return null;
  const [, name = "", email = "", seconds = "", sign = "", hh = "", mm = ""] = m;
  if (Number(seconds) > LAST_ISO_SECOND) return null; // git prints such dates its own way
  const offset = (sign === "-" ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  const local = new Date((Number(seconds) + offset * 60) * 1000).toISOString().slice(0, 19);
  return { name, email, date: `${local}${offset === 0 ? "+" : sign}${hh}:${mm}` };
}

/** 9999-12-31T23:59:59Z: later dates have no four-digit year. */
const LAST_ISO_SECOND = 253402300799;

/** Modes git writes today; an old one (100664) is normalised by git, a gitlink may be ignored by config. */
const PLAIN_MODES = new Set(["100644", "100755", "120000", "40000"]);

interface Changes {
  paths: string[];
  added: boolean;
  deleted: boolean;
}

/** Changed paths between two trees in git's order; null when an object is not loose. */
function diffTrees(objects: string, oldTree: string | null, newTree: string | null, prefix: string): Changes | null {
  const before = oldTree ? readTree(objects, oldTree) : [];
  const after = newTree ? readTree(objects, newTree) : [];
  if (!before || !after) return null;
  const out: Changes = { paths: [], added: false, deleted: false };
  const key = (e: Entry) => (e.isTree ? `${e.name}/` : e.name);
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    const order = !a ? 1 : !b ? -1 : key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    const old = order <= 0 ? a : undefined;
    const now = order >= 0 ? b : undefined;
    if (old) i++;
    if (now) j++;
    if (old && now && old.id === now.id && old.mode === now.mode) continue;
    if ((old && !PLAIN_MODES.has(old.mode)) || (now && !PLAIN_MODES.has(now.mode))) return null;
    const name = `${prefix}${(old ?? now)?.name}`;
    if (old?.isTree || now?.isTree) {
      const sub = diffTrees(objects, old?.isTree ? old.id : null, now?.isTree ? now.id : null, `${name}/`);
      if (!sub) return null;
      out.paths.push(...sub.paths);
      out.added ||= sub.added;
      out.deleted ||= sub.deleted;
    } else {
      out.paths.push(name);
    }
    out.added ||= !old;
    out.deleted ||= !now;
  }
  return out;
}

function readTree(objects: string, sha: string): Entry[] | null {
  const body = readObject(objects, sha, "tree");
  if (!body) return null;
  const entries: Entry[] = [];
  for (let at = 0; at < body.length; ) {
    const space = body.indexOf(0x20, at);
    const nul = body.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > body.length) return null;
    const mode = body.toString("latin1", at, space);
    entries.push({ mode, isTree: mode === "40000" || mode === "040000", name: body.toString("latin1", space + 1, nul), id: body.toString("hex", nul + 1, nul + 21) });
    at = nul + 21;
  }
  return entries;
}

/** A loose object's content, or null when it is packed, missing or of another type. */
function readObject(objects: string, sha: string, type: string): Buffer | null {
  let data: Buffer;
  try {
    data = inflateSync(readFileSync(path.join(objects, sha.slice(0, 2), sha.slice(2))));
  } catch {
    return null;
  }
  const nul = data.indexOf(0);
  return nul > 0 && data.toString("latin1", 0, nul).startsWith(`${type} `) ? data.subarray(nul + 1) : null;
}

function ownedByMe(p: string): boolean {
  try {
    return statSync(p).uid === process.getuid?.();
  } catch {
    return false;
  }
}

/** A file's text, or "" when it cannot be read. */
function textOf(file: string): string {
  return readText(file) ?? "";
}
