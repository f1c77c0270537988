/** Records an action in the audit log; every state-changing endpoint calls this once it has acted. */
import type { App } from "./app.ts";
import type { Caller } from "./auth/caller.ts";

export async function audit(app: App, caller: Caller | null, action: string, repo: string | null, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await app.store.audit.record({ actor: caller?.name ?? "slipway", action, repo, target, details });
}
