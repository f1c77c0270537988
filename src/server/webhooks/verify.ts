/**
 * Authenticates a webhook delivery and extracts what the server needs: event, delivery id, repository.
 *
 * Order: signature header present → parse JSON → look up the secret by `repository.full_name` → verify the
 * HMAC over the raw bytes → only then read event and delivery headers and hand the payload out.
 * Parsing before verifying is unavoidable (the secret depends on the repository named inside the body)
 * and safe: JSON.parse has no side effects (a `__proto__` key becomes a plain own property), the name only
 * chooses which secret to check against, so naming another repository needs that repository's secret, and
 * nothing from the payload is used or returned until the digest matches. The raw body, not a
 * re-serialization of the parsed value, is what gets verified.
 *
 * Unknown repository, repository without a secret and wrong secret all answer the same 401 reason, after
 * the same HMAC work (a throwaway key stands in), so a caller cannot probe which repositories Slipway
 * serves; `detail` tells the server's log which case it was.
 */
import { forgeHeader, headerGetter, ownHeaderName } from "./headers.ts";
import { digestMatches, readSignature } from "./signature.ts";
import type { SignatureHeader } from "./signature.ts";
import type { Delivery, Verified } from "./types.ts";

const REQUIRED = "Slipway requires a secret on every webhook";
const NO_MATCH = `signature does not match the webhook secret Slipway has for this repository (${REQUIRED})`;
const STAND_IN_KEY = "slipway: no secret for this repository";

export function verifyDelivery(d: Delivery, secretFor: (repositoryFullName: string) => string | null): Verified {
  const get = headerGetter(d.headers);
  const sig = readSignature(get, d.forge);
  if (sig.kind !== "digest") return unauthorized(signatureProblem(sig));

  const body = typeof d.body === "string" ? Buffer.from(d.body, "utf8") : d.body;
  const parsed = parseObject(body);
  if (typeof parsed === "string") return { ok: false, status: 400, reason: parsed };
  const repository = fullName(parsed);
  if (repository === undefined) return { ok: false, status: 400, reason: "payload has no repository.full_name" };

  const secret = secretFor(repository);
  const matches = digestMatches(sig.digest, secret || STAND_IN_KEY, body);
  if (!secret) {
    const detail = secret === null ? `unknown repository ${repository}` : `no webhook secret configured for ${repository}`;
    return { ok: false, status: 401, reason: NO_MATCH, detail };
  }
  if (!matches) return { ok: false, status: 401, reason: NO_MATCH, detail: `wrong signature in ${sig.header} for ${repository}` };

  const event = forgeHeader(get, d.forge, "event")?.value.trim();
  if (!event) return { ok: false, status: 400, reason: `missing ${ownHeaderName(d.forge, "event")} header` };
  const deliveryId = forgeHeader(get, d.forge, "delivery")?.value.trim();
  if (!deliveryId) return { ok: false, status: 400, reason: `missing ${ownHeaderName(d.forge, "delivery")} header` };
  return { ok: true, forge: d.forge, event, deliveryId, payload: parsed, repository };
}

function unauthorized(reason: string): Verified {
  return { ok: false, status: 401, reason };
}

function signatureProblem(sig: Exclude<SignatureHeader, { kind: "digest" }>): string {
  switch (sig.kind) {
    case "missing":
      return `missing signature header (${sig.header}): set a secret on the webhook; ${REQUIRED}`;
    case "empty":
      return `empty signature in ${sig.header}: the webhook has no secret; ${REQUIRED}`;
    case "sha1-only":
      return "only a SHA-1 signature (X-Hub-Signature) was sent; Slipway accepts SHA-256 signatures only";
    case "malformed":
      return `malformed signature in ${sig.header}: expected ${sig.header === "x-hub-signature-256" ? "sha256=" : ""}<64 hex digits>`;
  }
}

/** The payload as a JSON object, or the 400 reason. */
function parseObject(body: Buffer): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (e) {
    return `malformed JSON payload: ${(e as Error).message}`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "payload is not a JSON object";
  return value as Record<string, unknown>;
}

function fullName(payload: Record<string, unknown>): string | undefined {
  const repo = payload.repository;
  if (repo === null || typeof repo !== "object") return undefined;
  const name = (repo as Record<string, unknown>).full_name;
  return typeof name === "string" && name !== "" ? name : undefined;
}
