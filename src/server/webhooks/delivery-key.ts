/**
 * The key under which the server remembers a delivery to drop redeliveries (GitHub's "Redeliver", Gitea's
 * retries reuse the id). Namespaced by forge because ids are only unique within one forge.
 */
import type { Forge } from "./types.ts";

export function deliveryKey(forge: Forge, deliveryId: string): string {
  return `${forge}:${deliveryId.trim()}`;
}
