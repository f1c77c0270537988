/**
 * Secrets and variables as a job sees them: global ones overridden by the repository's. Values are
 * sealed per (scope, name), so a sealed value copied to another scope or name does not open.
 */
import type { ServerStore } from "../../store/server-store.ts";
import type { SecretBox } from "./secret-box.ts";

export const GLOBAL_SCOPE = "";

export function secretAad(scope: string, name: string): string {
  return `secret:${scope}:${name}`;
}

export async function secretsFor(store: ServerStore, box: SecretBox, repo: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const scope of [GLOBAL_SCOPE, repo]) {
    for (const s of await store.listSecrets(scope)) out[s.name] = box.open(s.value, secretAad(scope, s.name));
  }
  return out;
}

export async function varsFor(store: ServerStore, repo: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const scope of [GLOBAL_SCOPE, repo]) for (const v of await store.listVariables(scope)) out[v.name] = v.value;
  return out;
}
