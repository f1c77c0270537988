/** The shapes shared by the webhook receiver's pure parts: what arrives, what verification answers. */

export type Forge = "github" | "gitea" | "forgejo";

/** One HTTP delivery as the server received it; `body` should be the raw bytes the forge signed. */
export interface Delivery {
  forge: Forge;
  headers: Record<string, string | undefined>;
  body: Buffer | string;
}

export type Verified =
  | { ok: true; forge: Forge; event: string; deliveryId: string; payload: Record<string, unknown>; repository: string }
  | {
      ok: false;
      status: 400 | 401;
      /** Safe to send back to the caller (the forge shows it in its delivery log). */
      reason: string;
      /** The exact cause, for the server's own log only: it may reveal whether a repository is registered. */
      detail?: string;
    };

export type VerifiedDelivery = Extract<Verified, { ok: true }>;

/** An event in GitHub's words, whatever forge sent it; the fields `TriggerEvent` and `EventFacts` need. */
export interface NormalizedEvent {
  name: string;
  action?: string;
  /** The full ref GitHub would put in GITHUB_REF ("refs/heads/main", "refs/pull/7/merge", "refs/tags/v1"). */
  ref?: string;
  sha?: string;
  before?: string;
  /** Short branch names, pull requests only. */
  baseRef?: string;
  headRef?: string;
  /** Pull request whose head lives in another repository; unknown counts as a fork (the safe side). */
  fork: boolean;
  /**
   * Activity types GitHub would have sent as separate deliveries for the same change but this forge folds
   * into one (Gitea's release `published` is also GitHub's `released` or `prereleased`).
   */
  alsoActions?: string[];
  payload: Record<string, unknown>;
}
