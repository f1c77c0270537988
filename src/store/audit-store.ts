/**
 * The audit log: who did what, when. Append-only; entries name secrets and variables but never hold
 * their values.
 */
export interface AuditEntry {
  id: number;
  at: string;
  /** The user (or token) that acted. */
  actor: string;
  /** e.g. `secret.set`, `environment.update`, `deployment.approve`, `deployment.bypass`, `token.create`. */
  action: string;
  /** OWNER/NAME, or null for actions outside a repository (users, tokens). */
  repo: string | null;
  /** What was acted on: a secret's name, an environment, a run id... */
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  repo?: string;
  actor?: string;
  /** A prefix: `secret` matches `secret.set` and `secret.delete`. */
  action?: string;
  since?: string;
  until?: string;
  limit?: number;
  offset?: number;
}

export interface AuditStore {
  record(e: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** How many entries match, ignoring `limit` and `offset` (for a list's last page). */
  count(filter?: AuditFilter): Promise<number>;
}
