/** File-tree copying and hashing shared by the artifact and cache stores. */
import { createHash } from "node:crypto";
import { createReadStream, constants } from "node:fs";
import { chmod, copyFile, lstat, mkdir, readdir, readlink, rm, symlink, utimes } from "node:fs/promises";
import path from "node:path";

export interface TreeSize {
  files: number;
  bytes: number;
}

/** Every regular file under dir, relative paths with `/`, sorted. */
export async function listFiles(dir: string): Promise<Array<{ rel: string; size: number }>> {
  const out: Array<{ rel: string; size: number }> = [];
  const visit = async (sub: string): Promise<void> => {
    const names = (await readdir(path.join(dir, sub)).catch(() => [] as string[])).sort();
    for (const name of names) {
      const rel = sub ? `${sub}/${name}` : name;
      const st = await lstat(path.join(dir, rel));
      if (st.isDirectory()) await visit(rel);
      else if (st.isFile()) out.push({ rel, size: st.size });
    }
  };
  await visit("");
  return out;
}

export async function treeSize(dir: string): Promise<TreeSize> {
  const files = await listFiles(dir);
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

/** sha256 over each file's path, size and content in path order: stable for the same tree. */
export async function treeDigest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const f of await listFiles(dir)) {
    hash.update(`${f.rel}\0${f.size}\0`);
    for await (const chunk of createReadStream(path.join(dir, f.rel))) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** Copies a file's content (links followed) with the given mode, replacing what is at dest. */
export async function copyContent(src: string, dest: string, mode: number): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  await replaceable(dest);
  await copyFile(src, dest, constants.COPYFILE_FICLONE);
  await chmod(dest, mode);
}

/**
 * Copies a file, link or folder as tar would: links stay links, modes and modification times are kept,
 * existing files at the destination are replaced and existing folders merged.
 */
export async function copyTree(src: string, dest: string): Promise<TreeSize> {
  const st = await lstat(src);
  if (st.isSymbolicLink()) {
    await mkdir(path.dirname(dest), { recursive: true });
    await replaceable(dest);
    await symlink(await readlink(src), dest);
    return { files: 0, bytes: 0 };
  }
  if (st.isFile()) {
    await mkdir(path.dirname(dest), { recursive: true });
    await replaceable(dest);
    await copyFile(src, dest, constants.COPYFILE_FICLONE);
    await utimes(dest, st.atime, st.mtime);
    return { files: 1, bytes: st.size };
  }
  if (!st.isDirectory()) return { files: 0, bytes: 0 };
  const existing = await lstat(dest).catch(() => null);
  if (existing && !existing.isDirectory()) await rm(dest, { force: true });
  await mkdir(dest, { recursive: true });
  const total: TreeSize = { files: 0, bytes: 0 };
  for (const name of (await readdir(src)).sort()) {
    const part = await copyTree(path.join(src, name), path.join(dest, name));
    total.files += part.files;
    total.bytes += part.bytes;
  }
  await chmod(dest, st.mode & 0o7777);
  await utimes(dest, st.atime, st.mtime);
  return total;
}

/** Clears whatever is at dest, so a file or link replaces it as tar and unzip do. */
async function replaceable(dest: string): Promise<void> {
  const st = await lstat(dest).catch(() => null);
  if (st) await rm(dest, { recursive: true, force: true });
}
