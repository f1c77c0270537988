/**
 * The restore half of actions/cache and actions/cache/restore, with their inputs and messages.
 * `cache-hit` is "true" for the primary key, "false" for a restore-key match, and left unset on a miss
 * (actions/cache#1466 keeps it unset). Failed copies only warn and count as a miss, as on GitHub.
 */
import path from "node:path";
import { failWith } from "../artifacts/types.ts";
import { copyTree } from "../artifacts/fs-tree.ts";
import { InputReader } from "../artifacts/inputs.ts";
import { rootPath } from "./cache-paths.ts";
import { findCache, listCacheEntries, touchCache, type StoredCache } from "./cache-store.ts";
import type { CacheContext, CacheRestoreResult } from "./types.ts";
import { cacheVersion, isExactKeyMatch, keysError } from "./version.ts";

export interface RestoreOptions {
  /** Overrides the `fail-on-cache-miss` input. */
  failOnMiss?: boolean;
  /**
   * Set the cache-primary-key and cache-matched-key outputs, as actions/cache/restore does; default true.
   * actions/cache itself keeps them as state only, so pass false for it.
   */
  keyOutputs?: boolean;
}

export async function restoreCache(ctx: CacheContext, opts: RestoreOptions): Promise<CacheRestoreResult> {
  const r = new InputReader(ctx.inputs);
  const primaryKey = r.required("key");
  const state = { primaryKey, matchedKey: null as string | null };
  const keyOutputs = opts.keyOutputs !== false;
  const outputs: Record<string, string> = keyOutputs && primaryKey ? { "cache-primary-key": primaryKey } : {};
  const fail = (msg: string): CacheRestoreResult => ({ ...failWith(ctx, msg, outputs), state });
  const paths = r.lines("path");
  if (primaryKey && !paths.length) r.required("path");
  if (r.errors.length) return fail(r.errors.join("\n"));
  const restoreKeys = r.lines("restore-keys");
  const failOnMiss = opts.failOnMiss ?? isTrue(ctx.inputs["fail-on-cache-miss"]);
  const lookupOnly = isTrue(ctx.inputs["lookup-only"]);
  const keys = [primaryKey, ...restoreKeys];
  const invalid = keysError(keys);
  if (invalid) return fail(invalid);

  const version = cacheVersion(paths, isTrue(ctx.inputs["enableCrossOsArchive"]));
  const found = findCache(await listCacheEntries(ctx.dataDir), keys, version);
  if (found && lookupOnly) ctx.log("Lookup only - skipping download");
  const restored = found && (lookupOnly || (await extract(ctx, found)));
  if (!found || !restored) {
    if (failOnMiss) return fail(`Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${primaryKey}`);
    ctx.log(`Cache not found for input keys: ${keys.join(", ")}`);
    return { ok: true, outputs, state };
  }
  state.matchedKey = found.key;
  if (keyOutputs) outputs["cache-matched-key"] = found.key;
  outputs["cache-hit"] = String(isExactKeyMatch(primaryKey, found.key));
  ctx.log(lookupOnly ? `Cache found and can be restored from key: ${found.key}` : `Cache restored from key: ${found.key}`);
  return { ok: true, outputs, state };
}

/** Copies the entry back into place; false (after a warning) when that fails part way. */
async function extract(ctx: CacheContext, e: StoredCache): Promise<boolean> {
  ctx.log(e.key === ctx.inputs["key"]?.trim() ? `Cache hit for: ${e.key}` : `Cache hit for restore-key: ${e.key}`);
  ctx.log(`Cache Size: ~${Math.round(e.size / (1024 * 1024))} MB (${e.size} B)`);
  try {
    for (const item of e.items) {
      await copyTree(path.join(e.dir, "files", item.root, item.rel), path.join(rootPath(item.root, ctx.workspace, ctx.home), item.rel));
    }
  } catch (err) {
    ctx.warn(`Failed to restore: ${(err as Error).message}`);
    return false;
  }
  await touchCache(e);
  ctx.log("Cache restored successfully");
  return true;
}

/** actions/cache reads its boolean inputs leniently: only "true" in any case is true. */
function isTrue(v: string | undefined): boolean {
  return (v ?? "").trim().toLowerCase() === "true";
}
