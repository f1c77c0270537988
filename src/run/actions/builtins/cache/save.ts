/**
 * The save half: actions/cache's post step (state from its restore) and actions/cache/save (state null).
 * As on GitHub a save never fails the step: problems are logged, the way the real action logs them
 * ("[warning]…" info lines, or a warning), and actions/cache/save adds "Cache save failed.".
 * After a save, least recently used entries are evicted to keep all caches under the size limit.
 */
import path from "node:path";
import { rm } from "node:fs/promises";
import { copyTree } from "../artifacts/fs-tree.ts";
import { InputReader } from "../artifacts/inputs.ts";
import { resolveCachePaths, type Placed } from "./cache-paths.ts";
import { commitCache, DEFAULT_MAX_BYTES, evictCaches, reserveCache, stageCache } from "./cache-store.ts";
import type { BuiltinOutcome, CacheContext, CacheState } from "./types.ts";
import { cacheVersion, isExactKeyMatch, keyError } from "./version.ts";

type SaveResult = "saved" | "skipped" | "failed";

export async function saveCache(ctx: CacheContext, state: CacheState | null): Promise<BuiltinOutcome> {
  const result = await trySave(ctx, state);
  if (result === "failed" && state === null) ctx.warn("Cache save failed.");
  return { ok: true, outputs: {} };
}

export function cacheMaxBytes(ctx: CacheContext): number {
  if (ctx.maxBytes !== undefined) return ctx.maxBytes;
  const env = Number(process.env["SLIPWAY_CACHE_MAX_BYTES"]);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_MAX_BYTES;
}

async function trySave(ctx: CacheContext, state: CacheState | null): Promise<SaveResult> {
  const r = new InputReader(ctx.inputs);
  const warning = (msg: string): SaveResult => (ctx.log(`[warning]${msg}`), "failed");
  const primaryKey = state?.primaryKey || r.str("key");
  if (!primaryKey) return (ctx.log("[warning]Key is not specified."), "skipped");
  if (isExactKeyMatch(primaryKey, state?.matchedKey)) {
    ctx.log(`Cache hit occurred on the primary key ${primaryKey}, not saving cache.`);
    return "skipped";
  }
  const patterns = r.lines("path");
  if (!patterns.length) return warning("Input required and not supplied: path");
  const bad = keyError(primaryKey);
  if (bad) return warning(bad);
  const resolved = await resolveCachePaths(patterns, ctx.workspace, ctx.home);
  if (!resolved.ok) return warning(resolved.error);
  if (!resolved.placed.length) return warning("Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.");

  const version = cacheVersion(patterns, r.str("enableCrossOsArchive").toLowerCase() === "true");
  const reserveFailed = (): SaveResult => (ctx.log(`Failed to save: Unable to reserve cache with key ${primaryKey}, another job may be creating this cache.`), "failed");
  const release = await reserveCache(ctx.dataDir, primaryKey, version);
  if (!release) return reserveFailed();
  try {
    return await build(ctx, { key: primaryKey, version, patterns, placed: resolved.placed }, reserveFailed);
  } finally {
    await release();
  }
}

async function build(
  ctx: CacheContext,
  what: { key: string; version: string; patterns: string[]; placed: Placed[] },
  reserveFailed: () => SaveResult,
): Promise<SaveResult> {
  const stage = await stageCache(ctx.dataDir);
  const limit = cacheMaxBytes(ctx);
  let size = 0;
  let files = 0;
  try {
    for (const p of what.placed) {
      const part = await copyTree(p.source, path.join(stage, "files", p.root, p.rel));
      size += part.bytes;
      files += part.files;
    }
    if (size > limit) throw new Error(`Cache size of ~${Math.round(size / (1024 * 1024))} MB (${size} B) is over the ${limit} B limit, not saving cache.`);
  } catch (err) {
    await rm(stage, { recursive: true, force: true });
    ctx.warn(`Failed to save: ${(err as Error).message}`);
    return "failed";
  }
  const now = new Date().toISOString();
  const items = what.placed.map((p) => ({ root: p.root, rel: p.rel }));
  if (!(await commitCache(stage, ctx.dataDir, { key: what.key, version: what.version, paths: what.patterns, items, size, files, createdAt: now, lastAccessedAt: now }))) return reserveFailed();
  ctx.log(`Cache Size: ~${Math.round(size / (1024 * 1024))} MB (${size} B)`);
  ctx.log(`Cache saved with key: ${what.key}`);
  for (const key of await evictCaches(ctx.dataDir, limit)) ctx.log(`Evicted cache entry ${key} (least recently used) to keep caches under ${limit} bytes`);
  return "saved";
}
