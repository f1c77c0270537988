// Environments through GitHub's endpoints: the rules in one PUT, branch patterns one by one.
import { api, get, v3 } from "./api.ts";
import type { BranchPattern, Environment, EnvironmentBody } from "./gov-types.ts";

export const envPath = (owner: string, repo: string, name: string): string => `${v3(owner, repo)}/environments/${encodeURIComponent(name)}`;

export async function listEnvironments(owner: string, repo: string, signal: AbortSignal): Promise<Environment[]> {
  const res = await get<{ environments: Environment[] }>(`${v3(owner, repo)}/environments?per_page=100`, signal);
  return res.environments;
}

/** The environment's name patterns: carried in Slipway's answer, else read from GitHub's list. */
export async function patternsOf(owner: string, repo: string, env: Environment, signal: AbortSignal): Promise<BranchPattern[]> {
  if (env.slipway_branch_patterns) return env.slipway_branch_patterns;
  if (!env.deployment_branch_policy?.custom_branch_policies) return [];
  const res = await get<{ branch_policies: BranchPattern[] }>(`${envPath(owner, repo, env.name)}/deployment-branch-policies?per_page=100`, signal);
  return res.branch_policies;
}

/**
 * Creates or updates the environment, then makes its pattern list the wanted one: patterns no longer
 * wanted are deleted, new ones added, unchanged ones left alone. Pattern ids are positions in the
 * list, so deletions go from the last one back.
 */
export async function saveEnvironment(
  owner: string,
  repo: string,
  name: string,
  body: EnvironmentBody,
  wanted: Omit<BranchPattern, "id">[],
  existing: BranchPattern[],
  signal: AbortSignal,
): Promise<Environment> {
  const path = envPath(owner, repo, name);
  let env = await api<Environment>("PUT", path, body, signal);
  // Any other policy drops the patterns with it.
  if (!body.deployment_branch_policy?.custom_branch_policies) return env;
  const key = (p: Omit<BranchPattern, "id">): string => `${p.type ?? "branch"}:${p.name}`;
  const want = new Set(wanted.map(key));
  const kept = existing.filter((p) => want.has(key(p)));
  const gone = existing.filter((p) => !want.has(key(p))).sort((a, b) => b.id - a.id);
  for (const p of gone) await api("DELETE", `${path}/deployment-branch-policies/${p.id}`, undefined, signal);
  const have = new Set(kept.map(key));
  for (const p of wanted) if (!have.has(key(p))) await api("POST", `${path}/deployment-branch-policies`, { name: p.name, type: p.type ?? "branch" }, signal);
  if (gone.length || wanted.length > kept.length) env = await get<Environment>(path, signal);
  return env;
}
