/**
 * Branch protection (GitHub's `…/branches/{branch}/protection` for required status checks) and the merge
 * gate's answers (`/api/slipway/…/merge-check`). `{branch}` may be a pattern (`release%2F*`), URL-encoded.
 */
import { InputError, NotFoundError } from "../../common/errors.ts";
import { patternProblem, type ProtectionRule } from "../../store/protection-store.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import { resolveCommit } from "../gate/commits.ts";
import { ruleFor, ruleFromBody } from "../gate/rules.ts";
import { mergeCheck } from "../gate/service.ts";
import { readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { repoOf } from "./lookup.ts";

const BRANCH = "/api/v3/repos/:owner/:repo/branches/:branch/protection";
const SLIPWAY = "/api/slipway/repos/:owner/:repo";

export function protectionRoutes(app: App, r: Router): void {
  r.add("PUT", BRANCH, "maintainer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const pattern = params.branch as string;
    const problem = patternProblem(pattern);
    if (problem) throw new InputError(problem);
    const { rule, created } = await app.store.protection.putRule(repo.fullName, ruleFromBody(pattern, await readJsonObject(req)));
    await audit(app, caller, "protection.update", repo.fullName, pattern, { created, strict: rule.strict, checks: rule.checks, filtered_checks_pass: rule.filteredChecksPass });
    return { status: 200, json: protectionShape(app, repo, rule) };
  });
  r.add("GET", BRANCH, "viewer", async ({ params }) => {
    const { repo, rule } = await ruleAt(app, params);
    return { status: 200, json: protectionShape(app, repo, rule) };
  });
  r.add("GET", `${BRANCH}/required_status_checks`, "viewer", async ({ params }) => {
    const { repo, rule } = await ruleAt(app, params);
    if (!rule.requiresChecks) throw new NotFoundError("Required status checks not enabled");
    return { status: 200, json: statusChecksShape(app, repo, rule) };
  });
  r.add("DELETE", BRANCH, "maintainer", async ({ params, caller }) => {
    const repo = await repoOf(app, params);
    if (!(await app.store.protection.deleteRule(repo.fullName, params.branch as string))) throw new NotFoundError("Branch not protected");
    await audit(app, caller, "protection.delete", repo.fullName, params.branch as string);
    return { status: 204 };
  });
  r.add("GET", `${SLIPWAY}/protection`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const rules = await app.store.protection.listRules(repo.fullName);
    return { status: 200, json: { total_count: rules.length, rules: rules.map((x) => ruleListShape(app, repo, x)) } };
  });
  r.add("GET", `${SLIPWAY}/commits/:sha/merge-check`, "viewer", async ({ params, url }) => {
    const repo = await repoOf(app, params);
    const branch = url.searchParams.get("branch");
    if (!branch) throw new InputError("give the target branch: ?branch=NAME");
    return { status: 200, json: await mergeCheck(app, repo, await resolveCommit(app, repo, params.sha as string), branch) };
  });
  r.add("GET", `${SLIPWAY}/pulls/:number/merge-check`, "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const number = Number(params.number);
    const pr = Number.isInteger(number) && number > 0 ? await app.store.protection.pullRequest(repo.fullName, number) : null;
    if (!pr) throw new NotFoundError(`no pull request #${params.number} of ${repo.fullName} has reached Slipway`);
    return { status: 200, json: { ...(await mergeCheck(app, repo, pr.sha, pr.baseRef)), pull_number: pr.number } };
  });
}

/** The rule with exactly this pattern, or else the one GitHub would apply to a branch of that name. */
async function ruleAt(app: App, params: Record<string, string>): Promise<{ repo: RepoRecord; rule: ProtectionRule }> {
  const repo = await repoOf(app, params);
  const name = params.branch as string;
  const rule = (await app.store.protection.getRule(repo.fullName, name)) ?? ruleFor(await app.store.protection.listRules(repo.fullName), name);
  if (!rule) throw new NotFoundError("Branch not protected");
  return { repo, rule };
}

function protectionUrl(app: App, repo: RepoRecord, rule: ProtectionRule): string {
  return `${app.baseUrl()}/api/v3/repos/${repo.fullName}/branches/${encodeURIComponent(rule.pattern)}/protection`;
}

function statusChecksShape(app: App, repo: RepoRecord, rule: ProtectionRule) {
  const url = `${protectionUrl(app, repo, rule)}/required_status_checks`;
  return { url, strict: rule.strict, contexts: rule.checks, contexts_url: `${url}/contexts`, checks: rule.checks.map((context) => ({ context, app_id: null })) };
}

/** GitHub's protected-branch answer, with only what Slipway enforces, plus Slipway's own fields. */
function protectionShape(app: App, repo: RepoRecord, rule: ProtectionRule) {
  return {
    url: protectionUrl(app, repo, rule),
    ...(rule.requiresChecks ? { required_status_checks: statusChecksShape(app, repo, rule) } : {}),
    slipway_pattern: rule.pattern,
    slipway_filtered_checks_pass: rule.filteredChecksPass,
  };
}

function ruleListShape(app: App, repo: RepoRecord, rule: ProtectionRule) {
  return {
    pattern: rule.pattern,
    required_status_checks: rule.requiresChecks ? { strict: rule.strict, contexts: rule.checks } : null,
    filtered_checks_pass: rule.filteredChecksPass,
    url: protectionUrl(app, repo, rule),
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
  };
}
