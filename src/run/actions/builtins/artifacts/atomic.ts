/**
 * Crash-safe building blocks for the artifact and cache stores: everything is written into a dot-named
 * temporary folder beside its final place and renamed there in one step, so a killed process leaves
 * only a dot-named leftover that readers skip. Locks are files created exclusively, holding the pid.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

export async function makeTempDir(parent: string, prefix = ".tmp-"): Promise<string> {
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, prefix));
}

/** Renames a finished temp folder into place; false when something is already there. */
export async function commitDir(temp: string, final: string): Promise<boolean> {
  try {
    await rename(temp, final);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTEMPTY" || code === "EISDIR") return false;
    throw e;
  }
}

/** Makes a folder disappear at once (a rename), then deletes it at leisure. */
export async function discardDir(dir: string): Promise<void> {
  const trash = path.join(path.dirname(dir), `.trash-${randomBytes(6).toString("hex")}`);
  try {
    await rename(dir, trash);
  } catch {
    return;
  }
  await rm(trash, { recursive: true, force: true });
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const temp = `${path.dirname(file)}/.${path.basename(file)}.${randomBytes(6).toString("hex")}`;
  await writeFile(temp, JSON.stringify(value, null, 2) + "\n");
  await rename(temp, file);
}

export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

export type Release = () => Promise<void>;

/** Takes the lock or returns null when a live process holds it; a dead holder's lock is taken over. */
export async function tryLock(file: string): Promise<Release | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(file).catch(() => undefined);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (!(await isStale(file))) return null;
      await unlink(file).catch(() => undefined);
    }
  }
  return null;
}

/** Runs fn holding the lock, waiting for it (short critical sections only). */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    const release = await tryLock(file);
    if (release) {
      try {
        return await fn();
      } finally {
        await release();
      }
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}

async function isStale(file: string): Promise<boolean> {
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return false;
  const pid = Number(text);
  // An empty lock is one being written right now, unless it has been empty for a while.
  if (!text || !Number.isInteger(pid)) {
    const st = await stat(file).catch(() => null);
    return !st || Date.now() - st.mtimeMs > 10_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
