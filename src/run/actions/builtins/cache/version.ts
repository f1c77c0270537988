/** The rules @actions/cache applies to keys and the `version` that ties an entry to its paths. */
import { createHash } from "node:crypto";

/** How Slipway stores entries (plain files), standing where the real version has the compression method. */
const STORAGE = "slipway-files";
const VERSION_SALT = "1.0";

/** Same paths, same storage, same OS rule: only then can an entry be restored. */
export function cacheVersion(paths: string[], enableCrossOsArchive: boolean): string {
  const parts = [...paths, STORAGE];
  if (process.platform === "win32" && !enableCrossOsArchive) parts.push("windows-only");
  parts.push(VERSION_SALT);
  return createHash("sha256").update(parts.join("|")).digest("hex");
}

export function keyError(key: string): string | null {
  if (key.length > 512) return `Key Validation Error: ${key} cannot be larger than 512 characters.`;
  if (key.includes(",")) return `Key Validation Error: ${key} cannot contain commas.`;
  return null;
}

export function keysError(keys: string[]): string | null {
  if (keys.length > 10) return "Key Validation Error: Keys are limited to a maximum of 10.";
  for (const k of keys) {
    const e = keyError(k);
    if (e) return e;
  }
  return null;
}

/** actions/cache compares case-insensitively (but not accent-insensitively) for `cache-hit`. */
export function isExactKeyMatch(key: string, matched: string | null | undefined): boolean {
  return !!matched && matched.localeCompare(key, undefined, { sensitivity: "accent" }) === 0;
}
