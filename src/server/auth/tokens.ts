/** API tokens: random, shown once, stored only as a SHA-256 hash. */
import { createHash, randomBytes } from "node:crypto";
import type { ServerStore, TokenRecord } from "../../store/server-store.ts";

export function newToken(): string {
  return `slw_${randomBytes(30).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * On a store without tokens, creates the admin token: `SLIPWAY_ADMIN_TOKEN` when set, otherwise a new
 * one, returned so the caller prints it once. Null when an admin token already exists.
 */
export async function bootstrapAdmin(store: ServerStore, fromEnv: string | undefined): Promise<{ token: string; generated: boolean } | null> {
  if ((await store.countTokens()) > 0) return null;
  const given = fromEnv?.trim();
  const token = given || newToken();
  const user = (await store.users.findUser("admin")) ?? (await store.users.addUser("admin", true));
  await store.addToken({ name: "admin", hash: hashToken(token), scope: "admin", userId: user.id });
  return { token, generated: !given };
}

/** GitHub's clients send `Bearer TOKEN` or `token TOKEN`. */
export function tokenFromHeader(header: string | undefined): string | null {
  const m = /^\s*(?:bearer|token)\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? (m[1] as string) : null;
}

export async function authenticate(store: ServerStore, header: string | undefined): Promise<TokenRecord | null> {
  const token = tokenFromHeader(header);
  return token ? store.findToken(hashToken(token)) : null;
}

