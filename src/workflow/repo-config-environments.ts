/**
 * `.slipway.yml` `environments:`: protection rules `slipway run` honours without a server, in the
 * server's terms (reviewers, wait timer, branch policy).
 */
import type { Node } from "yaml";

export interface LocalEnvironment {
  reviewers: string[];
  waitTimer: number;
  branches: string[] | null;
}

export function readEnvironments(_node: Node | null, _problem: (n: Node | null | undefined, m: string) => void): Record<string, LocalEnvironment> {
  return {};
}
