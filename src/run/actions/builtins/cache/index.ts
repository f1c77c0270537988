/**
 * Slipway's own actions/cache, actions/cache/restore and actions/cache/save: the published ones need
 * GitHub's cache service; these keep entries under <dataDir>/caches/, across runs.
 */
import { listCacheEntries } from "./cache-store.ts";

export type { BuiltinOutcome, CacheContext, CacheRestoreResult, CacheState } from "./types.ts";
export { restoreCache, type RestoreOptions } from "./restore.ts";
export { saveCache, cacheMaxBytes } from "./save.ts";

export interface CacheSummary {
  key: string;
  size: number;
  files: number;
  createdAt: string;
  lastAccessedAt: string;
  /** The `path` lines it was saved with. */
  paths: string[];
  path: string;
}

/** Every stored cache entry, most recently used first, for `slipway` commands. */
export async function listCaches(dataDir: string): Promise<CacheSummary[]> {
  return (await listCacheEntries(dataDir))
    .sort((a, b) => b.lastAccessedAt.localeCompare(a.lastAccessedAt))
    .map((e) => ({ key: e.key, size: e.size, files: e.files, createdAt: e.createdAt, lastAccessedAt: e.lastAccessedAt, paths: e.paths, path: e.dir }));
}
