/**
 * Caches on disk, kept across runs: <dataDir>/caches/<sha256(version, key)>/ holds entry.json and
 * files/{ws,home,abs}/… (the saved items: paths below the workspace, below home, and anywhere else). An entry appears by
 * renaming a finished temp folder, so readers never see half of one; dot-named folders are leftovers
 * or work in progress and are skipped. Entries are immutable: the first save of a key wins.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Root } from "./cache-paths.ts";
import { commitDir, discardDir, makeTempDir, readJson, tryLock, writeJsonAtomic, type Release } from "../artifacts/atomic.ts";

export interface CacheEntry {
  key: string;
  /** See cacheVersion: the entry restores only for the same `path` lines. */
  version: string;
  paths: string[];
  /** What was saved, each copied whole on restore. */
  items: Array<{ root: Root; rel: string }>;
  size: number;
  files: number;
  createdAt: string;
  lastAccessedAt: string;
}

export interface StoredCache extends CacheEntry {
  dir: string;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 ** 3;
/** Temp folders older than this belong to a process that died mid-save. */
const LEFTOVER_AGE_MS = 24 * 3600 * 1000;

export function cachesRoot(dataDir: string): string {
  return path.join(dataDir, "caches");
}

export function entryDir(dataDir: string, key: string, version: string): string {
  return path.join(cachesRoot(dataDir), createHash("sha256").update(`${version}\n${key}`).digest("hex"));
}

export async function listCacheEntries(dataDir: string): Promise<StoredCache[]> {
  const root = cachesRoot(dataDir);
  const out: StoredCache[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (name.startsWith(".")) continue;
    const dir = path.join(root, name);
    const e = await readJson<CacheEntry>(path.join(dir, "entry.json"));
    if (e) out.push({ ...e, dir });
  }
  return out;
}

/**
 * GitHub's lookup: for the primary key and then each restore key in order, an exact match wins, else
 * the newest entry whose key starts with it. Only entries of the same version count.
 */
export function findCache(entries: StoredCache[], keys: string[], version: string): StoredCache | null {
  const same = entries.filter((e) => e.version === version);
  for (const k of keys) {
    const exact = same.find((e) => e.key === k);
    if (exact) return exact;
    const newest = same.filter((e) => e.key.startsWith(k)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (newest) return newest;
  }
  return null;
}

export async function touchCache(e: StoredCache): Promise<void> {
  const { dir, ...entry } = e;
  await writeJsonAtomic(path.join(dir, "entry.json"), { ...entry, lastAccessedAt: new Date().toISOString() }).catch(() => undefined);
}

/** The right to create an entry, or null when it exists or another save of it is under way. */
export async function reserveCache(dataDir: string, key: string, version: string): Promise<Release | null> {
  const final = entryDir(dataDir, key, version);
  if (await exists(final)) return null;
  await mkdir(cachesRoot(dataDir), { recursive: true });
  const release = await tryLock(`${path.dirname(final)}/.lock-${path.basename(final)}`);
  if (release && (await exists(final))) {
    await release();
    return null;
  }
  return release;
}

/** A temp folder to build an entry in: fill `${stage}/files`, then commitCache. */
export async function stageCache(dataDir: string): Promise<string> {
  return makeTempDir(cachesRoot(dataDir));
}

export async function commitCache(stage: string, dataDir: string, entry: CacheEntry): Promise<boolean> {
  await writeJsonAtomic(path.join(stage, "entry.json"), entry);
  const ok = await commitDir(stage, entryDir(dataDir, entry.key, entry.version));
  if (!ok) await rm(stage, { recursive: true, force: true });
  return ok;
}

/** Least recently used entries go until all fit in maxBytes; returns the evicted keys. */
export async function evictCaches(dataDir: string, maxBytes: number): Promise<string[]> {
  await sweepLeftovers(dataDir);
  const entries = (await listCacheEntries(dataDir)).sort((a, b) => a.lastAccessedAt.localeCompare(b.lastAccessedAt) || a.createdAt.localeCompare(b.createdAt));
  let total = entries.reduce((n, e) => n + e.size, 0);
  const evicted: string[] = [];
  for (const e of entries) {
    if (total <= maxBytes) break;
    await discardDir(e.dir);
    total -= e.size;
    evicted.push(e.key);
  }
  return evicted;
}

async function sweepLeftovers(dataDir: string): Promise<void> {
  const root = cachesRoot(dataDir);
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(".tmp-") && !name.startsWith(".trash-")) continue;
    const st = await stat(path.join(root, name)).catch(() => null);
    if (st && Date.now() - st.mtimeMs > LEFTOVER_AGE_MS) await rm(path.join(root, name), { recursive: true, force: true });
  }
}

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null)) !== null;
}
