/**
 * Notification channels and rules, the persistent outbox of deliveries, and one-time approval links.
 *
 * Lifecycle of a delivery: `enqueueDelivery` (once per event and channel: a second call with the same
 * key returns the first) → the sender takes `dueDeliveries`, tries, and `recordAttempt`s the outcome:
 * `delivered` (final, never sent again), `pending` with the next time to try, or `failed` (gave up,
 * final). A delivery being sent when the process died is still `pending`, so it is sent again after a
 * restart: at-least-once, which receivers dedupe by `guid`.
 *
 * Channel URLs and secrets arrive sealed (`server/secrets`), as repository secrets do.
 */

export type ChannelKind = "slack" | "webhook";

export interface ChannelRecord {
  id: number;
  repo: string;
  name: string;
  kind: ChannelKind;
  /** Sealed. */
  url: string;
  /** Sealed; null: the body is not signed. */
  secret: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RuleRecord {
  channel: string;
  events: string[];
  branches: string[] | null;
  workflows: string[] | null;
}

/** `api`: a channel set through the API; `config`: one the commit's `.slipway.yml` declares. */
export type DeliverySource = "api" | "config";

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface NewDelivery {
  /** The delivery id receivers see (`X-Slipway-Delivery`), a UUID. */
  guid: string;
  repo: string;
  channel: string;
  source: DeliverySource;
  /** For `config` channels: how to find the URL and secret when sending (repository secret names). */
  target: Record<string, unknown> | null;
  kind: ChannelKind;
  event: string;
  /** What the event is about (`run:12:1`, `deployment:4`); one delivery per (event, key, channel). */
  eventKey: string;
  /** The exact body sent on every attempt, so its signature never changes. */
  body: string;
}

export interface DeliveryRecord extends NewDelivery {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  /** When to try next (pending), ISO. */
  nextAt: string;
  lastError: string | null;
  createdAt: string;
  /** When it was delivered or given up on. */
  finishedAt: string | null;
}

export interface AttemptRecord {
  deliveryId: number;
  /** 1, 2, 3… */
  n: number;
  at: string;
  /** The receiver's HTTP status; null when there was no answer (refused, timed out). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryFilter {
  repo: string;
  channel: string;
  status?: DeliveryStatus;
  limit?: number;
  offset?: number;
}

export interface ApprovalLinkRecord {
  /** SHA-256 of the token, hex; the token itself is never stored. */
  hash: string;
  repo: string;
  reviewId: number;
  runId: number;
  runAttempt: number;
  environment: string;
  decision: "approve" | "reject";
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  createdAt: string;
}

export interface NotificationStore {
  listChannels(repo: string): Promise<ChannelRecord[]>;
  getChannel(repo: string, name: string): Promise<ChannelRecord | null>;
  /** Rejects with ConflictError when the name is taken in that repository. */
  createChannel(c: Omit<ChannelRecord, "id" | "createdAt" | "updatedAt">): Promise<ChannelRecord>;
  updateChannel(repo: string, name: string, patch: Partial<Pick<ChannelRecord, "kind" | "url" | "secret">>): Promise<ChannelRecord | null>;
  /**
   * Deletes the channel, the rules naming it, and gives up on its pending deliveries (a channel made
   * later with the same name must not receive them). Returns how many rules went with it, or null when
   * there was no such channel.
   */
  deleteChannel(repo: string, name: string): Promise<{ rulesRemoved: number } | null>;

  /** In order. */
  getRules(repo: string): Promise<RuleRecord[]>;
  /** Replaces every rule of the repository. */
  setRules(repo: string, rules: RuleRecord[]): Promise<void>;

  /** Inserts, unless one exists for the same repo, source, channel, event and key; returns that one then. */
  enqueueDelivery(d: NewDelivery, now: string): Promise<{ delivery: DeliveryRecord; created: boolean }>;
  getDelivery(guid: string): Promise<DeliveryRecord | null>;
  /**
   * Pending deliveries due at `now`, the longest due first, at most `perChannel` of each channel: one
   * channel's backlog cannot hide another channel's deliveries.
   */
  dueDeliveries(now: string, limit: number, perChannel: number): Promise<DeliveryRecord[]>;
  /** The earliest `nextAt` of a pending delivery later than `now`, or null. */
  nextDueAfter(now: string): Promise<string | null>;
  /** Appends the attempt and sets the delivery's state in one transaction. */
  recordAttempt(a: Omit<AttemptRecord, "n">, outcome: { status: DeliveryStatus; nextAt: string; error: string | null }): Promise<DeliveryRecord>;
  /** Newest first; `total` ignores limit and offset. */
  listDeliveries(f: DeliveryFilter): Promise<{ deliveries: DeliveryRecord[]; total: number }>;
  /** Oldest first. */
  listAttempts(deliveryId: number): Promise<AttemptRecord[]>;

  /**
   * Records a completed run's result for its workflow and ref and returns the result recorded before
   * it (null: none), atomically: the one place "fixed" is decided, also when runs finish together.
   */
  swapOutcome(o: { repo: string; workflowFile: string; ref: string; result: string; runId: number; runAttempt: number }, now: string): Promise<string | null>;

  addApprovalLink(l: Omit<ApprovalLinkRecord, "usedAt" | "usedBy" | "createdAt">, now: string): Promise<void>;
  getApprovalLink(hash: string): Promise<ApprovalLinkRecord | null>;
  /** Marks the link used by `user` if it is unused and unexpired; false otherwise (the single-use check). */
  claimApprovalLink(hash: string, user: string, now: string): Promise<boolean>;
  /** Undoes a claim whose decision was refused, so a reviewer can still use the link. */
  releaseApprovalLink(hash: string): Promise<void>;
  /** Marks every other link of the review used: once a review is decided, none of its links work. */
  retireApprovalLinks(reviewId: number, now: string): Promise<void>;
}
