/**
 * A fingerprint of a build context: every entry's relative path, kind, permission bits and content
 * (a symlink's target). Mode counts because COPY keeps it: `chmod +x entrypoint.sh` must rebuild.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import path from "node:path";

/** Bump to invalidate every cached action image after a change in how images are built. */
const SCHEME = "slipway-action-image/1";

export interface ContextListing {
  /** Relative, `/`-separated paths of every file and symlink, sorted. */
  files: string[];
  hash: string;
}

export async function hashContext(dir: string, dockerfile: string): Promise<ContextListing> {
  const total = createHash("sha256").update(`${SCHEME}\0${dockerfile}\0`);
  const files: string[] = [];
  for (const rel of await walk(dir, "")) {
    const full = path.join(dir, rel);
    const st = await lstat(full);
    files.push(rel);
    if (st.isSymbolicLink()) total.update(`L\0${rel}\0${await readlink(full)}\0`);
    else total.update(`F\0${rel}\0${(st.mode & 0o777).toString(8)}\0${await fileDigest(full)}\0`);
  }
  return { files, hash: total.digest("hex") };
}

/** Files and symlinks below `dir`, depth first in name order so the hash does not depend on readdir's order. */
async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, child)));
    else if (e.isFile() || e.isSymbolicLink()) out.push(child);
  }
  return out;
}

function fileDigest(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (c) => h.update(c))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}
