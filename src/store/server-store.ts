/**
 * What `slipway server` keeps besides runs: registered repositories, API tokens, sealed secrets,
 * variables, the persistent trigger queue, schedule ticks and settings. Same rules as `Store`: async,
 * plain records, durable once a promise resolves. Secret values arrive here already sealed
 * (`server/secrets`); the store never sees a plain secret.
 *
 * Lifecycle of a trigger (the queue): `enqueueTrigger` (a webhook delivery, a dispatch, a schedule tick,
 * a notify) → the server creates the runs it starts, each carrying `triggerId` → `finishTrigger`. A trigger
 * still `pending` after a restart is processed again; runs already created for it are not created twice
 * (they are found by `triggerId` + workflow file).
 */

import type { AuditStore } from "./audit-store.ts";
import type { EnvironmentStore } from "./environment-store.ts";
import type { NotificationStore } from "./notification-store.ts";
import type { ProtectionStore } from "./protection-store.ts";
import type { UserStore } from "./users-store.ts";

export interface RepoRecord {
  id: number;
  /** OWNER/NAME, unique. */
  fullName: string;
  /** A local path or an https Git URL. */
  url: string;
  defaultBranch: string;
  /** Sealed with the server's key; null when deliveries need no signature check. */
  webhookSecret: string | null;
  createdAt: string;
}

export type NewRepo = Omit<RepoRecord, "id" | "createdAt">;

export type TokenScope = "read" | "write" | "admin";

export interface TokenRecord {
  id: number;
  name: string;
  /** SHA-256 of the token, hex; the token itself is never stored. */
  hash: string;
  scope: TokenScope;
  /** OWNER/NAME for a run's GITHUB_TOKEN: it may touch only that repository. Null: any repository. */
  repo: string | null;
  /** The user the token acts for; null for a run's GITHUB_TOKEN. */
  userId: number | null;
  createdAt: string;
  revokedAt: string | null;
}

/** "" is the global scope; otherwise OWNER/NAME. */
export type SecretScope = string;

export interface NamedValue {
  name: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export type TriggerStatus = "pending" | "done";

export interface NewTrigger {
  repo: string;
  event: string;
  /** Dedupes redeliveries: a second trigger with the same key is refused. Null: never deduped. */
  deliveryKey: string | null;
  /** Everything needed to start the runs again after a restart: payload, sha, ref, actor, inputs... */
  data: Record<string, unknown>;
}

export interface TriggerRecord extends NewTrigger {
  id: number;
  status: TriggerStatus;
  /** What became of it, for the dashboard and debugging: "2 runs", "no workflow triggered", an error. */
  note: string | null;
  createdAt: string;
}

export interface ServerStore {
  /** Governance lives in sub-stores, each with its own interface and contract. */
  readonly users: UserStore;
  readonly audit: AuditStore;
  readonly environments: EnvironmentStore;
  readonly protection: ProtectionStore;
  readonly notifications: NotificationStore;

  /** Rejects with ConflictError when the name is taken. */
  addRepo(repo: NewRepo): Promise<RepoRecord>;
  getRepo(fullName: string): Promise<RepoRecord | null>;
  listRepos(): Promise<RepoRecord[]>;

  addToken(token: Omit<TokenRecord, "id" | "createdAt" | "revokedAt" | "repo" | "userId"> & { repo?: string | null; userId?: number | null }): Promise<TokenRecord>;
  /** A token that is not revoked, by its hash. */
  findToken(hash: string): Promise<TokenRecord | null>;
  countTokens(): Promise<number>;
  revokeToken(id: number): Promise<void>;
  /** Every token not revoked, oldest first; hashes included (they open nothing). */
  listTokens(): Promise<TokenRecord[]>;

  /** Returns whether it was created (true) or replaced (false). */
  setSecret(scope: SecretScope, name: string, sealed: string): Promise<boolean>;
  /** Sealed values, for starting a job. */
  listSecrets(scope: SecretScope): Promise<NamedValue[]>;
  deleteSecret(scope: SecretScope, name: string): Promise<boolean>;

  /** Returns whether it was created (true) or replaced (false). */
  setVariable(scope: SecretScope, name: string, value: string): Promise<boolean>;
  listVariables(scope: SecretScope): Promise<NamedValue[]>;
  deleteVariable(scope: SecretScope, name: string): Promise<boolean>;

  /** `duplicate` is true (and nothing is queued) when a trigger with the same deliveryKey exists. */
  enqueueTrigger(t: NewTrigger): Promise<{ trigger: TriggerRecord; duplicate: boolean }>;
  getTrigger(id: number): Promise<TriggerRecord | null>;
  /** Oldest first. */
  pendingTriggers(): Promise<TriggerRecord[]>;
  finishTrigger(id: number, note: string): Promise<void>;

  /**
   * Records that `tick` (ISO time) of a schedule fired, unless that tick or a later one already did.
   * Returns whether this call claimed it: the one place that makes a tick fire once, across restarts.
   */
  claimTick(key: string, tick: string): Promise<boolean>;
  lastTick(key: string): Promise<string | null>;

  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}
