/**
 * Reading GitHub's `PUT …/environments/{name}` body into rules. Reviewers are `{type, id}` on GitHub;
 * Slipway also takes `{type, name}`, since its users are known by name. Mistakes name the field.
 */
import { InputError } from "../../common/errors.ts";
import type { BranchPolicy, EnvironmentRecord, EnvironmentRules, Reviewer } from "../../store/environment-store.ts";
import type { App } from "../app.ts";
import { validateGlob } from "../../workflow/glob.ts";

const MAX_WAIT_MINUTES = 43_200;
const MAX_REVIEWERS = 6;

export async function rulesFromBody(app: App, repo: string, body: Record<string, unknown>, old: EnvironmentRecord | null): Promise<EnvironmentRules> {
  return {
    waitTimer: body.wait_timer === undefined ? (old?.waitTimer ?? 0) : waitTimer(body.wait_timer),
    preventSelfReview: body.prevent_self_review === undefined ? (old?.preventSelfReview ?? false) : bool(body.prevent_self_review, "prevent_self_review"),
    reviewers: body.reviewers === undefined ? (old?.reviewers ?? []) : await reviewers(app, repo, body.reviewers),
    branchPolicy: body.slipway_branch_patterns !== undefined ? patternPolicy(body.slipway_branch_patterns) : body.deployment_branch_policy === undefined ? (old?.branchPolicy ?? null) : branchPolicy(body.deployment_branch_policy, old?.branchPolicy ?? null),
    adminBypass: body.can_admins_bypass === undefined ? (old?.adminBypass ?? true) : bool(body.can_admins_bypass, "can_admins_bypass"),
  };
}

function waitTimer(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_WAIT_MINUTES) throw new InputError(`wait_timer must be a whole number of minutes from 0 to ${MAX_WAIT_MINUTES}`);
  return v;
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== "boolean") throw new InputError(`${name} must be true or false`);
  return v;
}

async function reviewers(app: App, repo: string, v: unknown): Promise<Reviewer[]> {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new InputError("reviewers must be a list of {type, id} or {type, name}");
  if (v.length > MAX_REVIEWERS) throw new InputError(`reviewers: at most ${MAX_REVIEWERS} users or teams`);
  const out: Reviewer[] = [];
  for (const [i, r] of v.entries()) out.push(await reviewer(app, r as Record<string, unknown>, i));
  // As on GitHub, a reviewer must be able to read the repository, or the job could never be approved.
  for (const [i, r] of out.entries()) {
    const user = r.type === "User" ? await app.store.users.findUser(r.name) : null;
    if (user && !user.siteAdmin && (await app.store.users.roleOf(user.id, repo)) === null) throw new InputError(`reviewers[${i}]: ${r.name} has no role on ${repo}`);
  }
  return out;
}

async function reviewer(app: App, r: Record<string, unknown>, i: number): Promise<Reviewer> {
  const type = r?.type;
  if (type !== "User" && type !== "Team") throw new InputError(`reviewers[${i}].type must be "User" or "Team"`);
  const users = app.store.users;
  if (typeof r.name === "string" && r.name) {
    const found = type === "User" ? await users.findUser(r.name) : await users.findTeam(r.name);
    if (!found) throw new InputError(`reviewers[${i}]: no ${type === "User" ? "user" : "team"} named ${r.name}`);
    return { type, name: found.name };
  }
  if (typeof r.id === "number") {
    const found = type === "User" ? await users.getUser(r.id) : (await users.listTeams()).find((t) => t.id === r.id);
    if (!found) throw new InputError(`reviewers[${i}]: no ${type === "User" ? "user" : "team"} with id ${r.id}`);
    return { type, name: found.name };
  }
  throw new InputError(`reviewers[${i}] needs an id or a name`);
}

/** Slipway's shortcut: the whole list of custom name patterns at once. */
function patternPolicy(v: unknown): BranchPolicy {
  if (!Array.isArray(v)) throw new InputError("slipway_branch_patterns must be a list of {name, type}");
  const patterns = v.map((p: { name?: unknown; type?: unknown }, i) => {
    const type = p?.type ?? "branch";
    if (typeof p?.name !== "string" || !p.name.trim()) throw new InputError(`slipway_branch_patterns[${i}].name must be a branch or tag name pattern`);
    if (type !== "branch" && type !== "tag") throw new InputError(`slipway_branch_patterns[${i}].type must be "branch" or "tag"`);
    const problem = validateGlob(p.name);
    if (problem) throw new InputError(`slipway_branch_patterns[${i}]: ${problem}`);
    return { name: p.name.trim(), type: type as "branch" | "tag" };
  });
  return { protectedBranches: false, patterns };
}

function branchPolicy(v: unknown, old: BranchPolicy | null): BranchPolicy | null {
  if (v === null) return null;
  const p = v as { protected_branches?: unknown; custom_branch_policies?: unknown };
  if (typeof v !== "object" || typeof p.protected_branches !== "boolean" || typeof p.custom_branch_policies !== "boolean" || p.protected_branches === p.custom_branch_policies) {
    throw new InputError("deployment_branch_policy must be null or {protected_branches, custom_branch_policies} with exactly one of them true");
  }
  return p.protected_branches ? { protectedBranches: true, patterns: null } : { protectedBranches: false, patterns: old?.patterns ?? [] };
}
