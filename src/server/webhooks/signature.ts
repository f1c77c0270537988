/**
 * Webhook signatures: all three forges send hex(HMAC-SHA256(secret, raw body)). GitHub prefixes it with
 * `sha256=` in X-Hub-Signature-256; Gitea and Forgejo send it bare in their own header and also GitHub's.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { HeaderGet } from "./headers.ts";
import type { Forge } from "./types.ts";

export function hmacHex(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** The forge's own header first; the GitHub-style one only when it is absent. */
const SIGNATURE_HEADERS: Record<Forge, string[]> = {
  github: ["x-hub-signature-256"],
  gitea: ["x-gitea-signature", "x-hub-signature-256"],
  forgejo: ["x-forgejo-signature", "x-gitea-signature", "x-hub-signature-256"],
};

export type SignatureHeader =
  | { kind: "digest"; header: string; digest: Buffer }
  | { kind: "missing" | "empty" | "sha1-only" | "malformed"; header: string };

/**
 * Picks the one header to check. A wrong value in the preferred header is not retried against another:
 * they carry the same digest, so a second try could only help a forger.
 */
export function readSignature(get: HeaderGet, forge: Forge): SignatureHeader {
  const names = SIGNATURE_HEADERS[forge];
  const header = names.find((n) => get(n) !== undefined);
  if (header === undefined) {
    return { kind: get("x-hub-signature") !== undefined ? "sha1-only" : "missing", header: names[0] ?? "" };
  }
  let value = (get(header) ?? "").trim();
  if (header === "x-hub-signature-256") {
    if (!value.startsWith("sha256=")) return { kind: "malformed", header };
    value = value.slice("sha256=".length);
  }
  // Gitea and Forgejo send an empty digest when the hook has no secret.
  if (value === "") return { kind: "empty", header };
  if (!/^[0-9a-f]{64}$/i.test(value)) return { kind: "malformed", header };
  return { kind: "digest", header, digest: Buffer.from(value, "hex") };
}

/** Constant-time: both sides are 32 bytes, so timingSafeEqual never sees a length difference. */
export function digestMatches(expected: Buffer, secret: string, body: Buffer): boolean {
  const actual = createHmac("sha256", secret).update(body).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
