/** A job context for the cache builtins, each with a fresh workspace, logging collected. */
import { mkdtempSync } from "node:fs";
import path from "node:path";
import type { CacheContext } from "../../src/run/actions/builtins/cache/index.ts";
import type { Machine } from "../artifacts/helpers.ts";

export interface CacheJob {
  ctx: CacheContext;
  lines: string[];
  warnings: string[];
  errors: string[];
}

export function cacheJob(m: Machine, inputs: Record<string, string>, extra: Partial<CacheContext> = {}): CacheJob {
  const workspace = mkdtempSync(path.join(m.root, "ws-"));
  const lines: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const ctx: CacheContext = {
    inputs,
    workspace,
    dataDir: m.dataDir,
    home: m.home,
    log: (l) => lines.push(l),
    warn: (l) => warnings.push(l),
    error: (l) => errors.push(l),
    ...extra,
  };
  return { ctx, lines, warnings, errors };
}

/** Timestamps are ISO strings with milliseconds: make the next entry strictly newer. */
export function pause(): Promise<void> {
  return new Promise((r) => setTimeout(r, 3));
}
