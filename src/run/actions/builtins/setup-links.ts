/**
 * A private folder of links to one chosen tool, for PATH. Used when the tool sits in a folder
 * shared with other programs (/usr/bin): putting that whole folder first would also change which
 * python3, git, ... later steps run.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** `links` maps a name in the folder to the file it runs. Idempotent per (label, targets). */
export function linkDir(env: Record<string, string>, label: string, links: Record<string, string>): string {
  const tag = createHash("sha256").update(JSON.stringify(links)).digest("hex").slice(0, 8);
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), "slipway-tools", `${label}-${tag}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(links)) {
    const at = path.join(dir, name);
    rmSync(at, { force: true });
    symlinkSync(target, at);
  }
  return dir;
}

/** The tool itself under each of `names`, plus the companions (npm, gofmt, ...) found beside it. */
export function toolLinks(exe: string, names: string[], companions: string[]): Record<string, string> {
  const links: Record<string, string> = Object.fromEntries(names.map((n) => [n, exe]));
  for (const c of companions) {
    const file = path.join(path.dirname(exe), c);
    if (existsSync(file)) links[c] = file;
  }
  return links;
}
