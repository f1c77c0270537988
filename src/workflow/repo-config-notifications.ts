/**
 * `.slipway.yml` `notifications:`: rules a repository declares for itself (the server merges them with
 * the rules set through its API).
 */
import type { Node } from "yaml";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NotificationsConfig {}

export function readNotifications(_node: Node | null, _problem: (n: Node | null | undefined, m: string) => void): NotificationsConfig {
  return {};
}
