/**
 * An environment's secrets and variables. They live in the secrets and variables tables under the
 * scope `OWNER/NAME/environments/ENV`, sealed like the repository's, and are opened only for a job that
 * passed the environment's rules.
 */
import type { App } from "../app.ts";
import { secretAad } from "../secrets/scoped.ts";

export function environmentScope(repo: string, env: string): string {
  return `${repo.toLowerCase()}/environments/${env.toLowerCase()}`;
}

export async function environmentValues(app: App, repo: string, env: string): Promise<{ secrets: Record<string, string>; vars: Record<string, string> }> {
  const scope = environmentScope(repo, env);
  const secrets: Record<string, string> = {};
  for (const s of await app.store.listSecrets(scope)) secrets[s.name] = app.box.open(s.value, secretAad(scope, s.name));
  const vars: Record<string, string> = {};
  for (const v of await app.store.listVariables(scope)) vars[v.name] = v.value;
  return { secrets, vars };
}
