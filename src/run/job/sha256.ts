/**
 * sha256 with node:crypto loaded on first use: most runs hash nothing, and loading it is a few
 * milliseconds of every `slipway run`'s start-up.
 */
import type * as Crypto from "node:crypto";
import { createRequire } from "node:module";

let crypto: typeof Crypto | null = null;

export function sha256(): Crypto.Hash {
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof Crypto;
  return crypto.createHash("sha256");
}
