/** What the engine hands the cache builtins, and what restore gives back. */
import type { BuiltinOutcome } from "../artifacts/types.ts";

export type { BuiltinOutcome };

export interface CacheContext {
  /** The step's `with:` values, evaluated. */
  inputs: Record<string, string>;
  workspace: string;
  /** Slipway's data dir; caches live in <dataDir>/caches/ and are kept across runs. */
  dataDir: string;
  /** For `~` in paths. */
  home: string;
  log(line: string): void;
  warn(line: string): void;
  /** The reason a step fails; logged as a plain line when absent. */
  error?(line: string): void;
  /** Size limit of all caches together; else SLIPWAY_CACHE_MAX_BYTES, else 10 GiB. */
  maxBytes?: number;
}

export interface CacheState {
  primaryKey: string;
  matchedKey: string | null;
}

export interface CacheRestoreResult extends BuiltinOutcome {
  state: CacheState;
}
