/**
 * `hashFiles(patterns…)` as GitHub's runner computes it: the files matching the patterns (glob syntax
 * of @actions/glob, `!` lines exclude, relative to the workspace, dot files included), each hashed with
 * sha256, and the digests hashed again in order; '' when nothing matches. Files are visited in sorted
 * order, so the result does not depend on the file system's directory order.
 */
import { sha256 } from "./sha256.ts";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export function hashFiles(workspace: string, patterns: string[]): string {
  const lines = patterns.flatMap((p) => p.split("\n")).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const include = lines.filter((l) => !l.startsWith("!")).map((l) => toRegex(workspace, l));
  const exclude = lines.filter((l) => l.startsWith("!")).map((l) => toRegex(workspace, l.slice(1)));
  if (!include.length) return "";
  const outer = sha256();
  let matched = 0;
  for (const file of walk(workspace)) {
    if (!include.some((re) => re.test(file)) || exclude.some((re) => re.test(file))) continue;
    outer.update(sha256().update(readFileSync(file)).digest());
    matched++;
  }
  return matched ? outer.digest("hex") : "";
}

function* walk(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

function toRegex(workspace: string, pattern: string): RegExp {
  const abs = path.isAbsolute(pattern) ? pattern : path.join(workspace, pattern);
  let re = "";
  for (let i = 0; i < abs.length; i++) {
    const c = abs[i] as string;
    if (c === "*" && abs[i + 1] === "*") {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      const slash = abs[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = abs.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${abs.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  // A pattern naming a directory matches everything in it, as @actions/glob does.
  return new RegExp(`^${re}(?:/.*)?$`);
}
