/** When to try a failed delivery again, and when to stop trying. */
import type { NotifyOptions } from "./options.ts";

/** The delay after `attempts` failed attempts: base, 2×base, 4×base… up to the cap. */
export function retryDelayMs(attempts: number, o: Pick<NotifyOptions, "backoffBaseMs" | "backoffCapMs">): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(o.backoffCapMs, o.backoffBaseMs * 2 ** exp);
}

/**
 * The next attempt's time after a failure, or null to give up: after `maxAttempts` attempts, or when
 * the next attempt would come after the delivery is `maxAgeMs` old. A receiver's `Retry-After` (a 429
 * or 503) can only push the next attempt later.
 */
export function nextAttemptAt(p: { attempts: number; createdAt: string; now: number; retryAfterMs: number | null }, o: Pick<NotifyOptions, "backoffBaseMs" | "backoffCapMs" | "maxAttempts" | "maxAgeMs">): number | null {
  if (p.attempts >= o.maxAttempts) return null;
  const at = p.now + Math.max(retryDelayMs(p.attempts, o), Math.min(p.retryAfterMs ?? 0, o.backoffCapMs));
  return at - Date.parse(p.createdAt) > o.maxAgeMs ? null : at;
}
