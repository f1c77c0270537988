/**
 * Finding a repository's folders, HEAD and config by reading `.git` directly: each git process costs
 * `slipway run` start-up time, and these are plain files. Anything unusual (GIT_DIR set, a `.git` file
 * that names no folder) answers null, and the caller asks git itself.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Discovered {
  root: string;
  /** The folder holding HEAD (a worktree's own); `commonDir` holds refs and config. */
  gitDir: string;
  commonDir: string;
  /** refs/heads/<branch>, or "HEAD" when detached. */
  headRef: string;
  originUrl: string | undefined;
  userName: string | undefined;
  /** The text of the repository's and the user's config files, for readers that must know more. */
  configs: string[];
}

export function discover(dir: string): Discovered | null {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE || process.env.GIT_CONFIG_GLOBAL || process.env.GIT_CONFIG_NOSYSTEM) return null;
  let d: string;
  try {
    d = realpathSync(dir);
  } catch {
    return null;
  }
  for (;;) {
    const found = gitDirsAt(d);
    if (found === "odd") return null;
    if (found) {
      const head = readText(path.join(found.gitDir, "HEAD"))?.trim();
      if (!head) return null;
      const headRef = head.startsWith("ref: ") ? head.slice(5).trim() : "HEAD";
      const home = os.homedir();
      const xdg = process.env.XDG_CONFIG_HOME || path.join(home, ".config");
      const repoText = readText(path.join(found.commonDir, "config")) ?? "";
      const userTexts = [readText(path.join(xdg, "git", "config")) ?? "", readText(path.join(home, ".gitconfig")) ?? ""];
      const repo = parseConfig(repoText);
      const global: Record<string, string> = Object.assign({}, ...userTexts.map(parseConfig));
      return { root: d, ...found, headRef, originUrl: repo["remote.origin.url"], userName: repo["user.name"] ?? global["user.name"], configs: [repoText, ...userTexts] };
    }
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

function gitDirsAt(d: string): { gitDir: string; commonDir: string } | null | "odd" {
  const dotGit = path.join(d, ".git");
  let st;
  try {
    st = statSync(dotGit);
  } catch {
    return null;
  }
  if (st.isDirectory()) return { gitDir: dotGit, commonDir: dotGit };
  const m = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? "");
  if (!m?.[1]) return "odd";
  const gitDir = path.resolve(d, m[1].trim());
  const common = readText(path.join(gitDir, "commondir"))?.trim();
  return { gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
}

/**
 * The two settings Slipway reads, from git's INI format: `[remote "origin"] url` and `[user] name`.
 * Includes are not followed; a value hidden in one only changes the actor's name.
 */
function parseConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const head = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (head) {
      section = `${(head[1] as string).toLowerCase()}${head[2] !== undefined ? `.${head[2]}` : ""}`;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv || !section) continue;
    let value = (kv[2] ?? "true").replace(/\s+[#;].*$/, "");
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    out[`${section}.${(kv[1] as string).toLowerCase()}`] = value;
  }
  return out;
}

/** A file's text, or null when it cannot be read. */
export function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
