/** Environments, reviews and deployments in GitHub's REST shapes (docs/design/governance-api.md). */
import type { DeploymentRecord, DeploymentStatusRecord, EnvironmentRecord } from "../../store/environment-store.ts";
import { userShape } from "../api/shapes.ts";

export function environmentShape(env: EnvironmentRecord, baseUrl: string) {
  const rules: unknown[] = [];
  if (env.waitTimer > 0) rules.push({ id: env.id * 10 + 1, node_id: "", type: "wait_timer", wait_timer: env.waitTimer });
  if (env.reviewers.length) {
    rules.push({
      id: env.id * 10 + 2, node_id: "", type: "required_reviewers", prevent_self_review: env.preventSelfReview,
      reviewers: env.reviewers.map((r) => ({ type: r.type, reviewer: r.type === "User" ? userShape(r.name, baseUrl) : { name: r.name, slug: r.name } })),
    });
  }
  if (env.branchPolicy) rules.push({ id: env.id * 10 + 3, node_id: "", type: "branch_policy" });
  return {
    id: env.id,
    node_id: `EN_${env.id}`,
    name: env.name,
    url: `${baseUrl}/api/v3/repos/${env.repo}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${baseUrl}/#/repos/${env.repo}/environments/${encodeURIComponent(env.name)}`,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    can_admins_bypass: env.adminBypass,
    protection_rules: rules,
    deployment_branch_policy: env.branchPolicy ? { protected_branches: env.branchPolicy.protectedBranches, custom_branch_policies: !env.branchPolicy.protectedBranches } : null,
    slipway_branch_patterns: (env.branchPolicy?.patterns ?? []).map((p, i) => ({ id: i + 1, name: p.name, type: p.type })),
  };
}

export function deploymentShape(d: DeploymentRecord, baseUrl: string) {
  const api = `${baseUrl}/api/v3/repos/${d.repo}/deployments/${d.id}`;
  return {
    id: d.id,
    node_id: `DE_${d.id}`,
    url: api,
    sha: d.sha,
    ref: d.ref.replace(/^refs\/(heads|tags)\//, ""),
    task: d.task,
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userShape(d.creator, baseUrl),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${api}/statuses`,
    repository_url: `${baseUrl}/api/v3/repos/${d.repo}`,
    transient_environment: false,
    production_environment: /^prod/i.test(d.environment),
    slipway: {
      run_id: d.runId, run_attempt: d.runAttempt, workflow: d.workflow, job: d.job, state: d.state, url: d.url, full_ref: d.ref,
      run_html_url: d.runId === null ? null : `${baseUrl}/#/repos/${d.repo}/runs/${d.runId}`,
    },
  };
}

export function deploymentStatusShape(s: DeploymentStatusRecord, d: DeploymentRecord, baseUrl: string) {
  return {
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: userShape(s.creator, baseUrl),
    description: s.description ?? "",
    environment: d.environment,
    environment_url: s.environmentUrl ?? "",
    log_url: s.logUrl ?? "",
    target_url: s.logUrl ?? "",
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${baseUrl}/api/v3/repos/${d.repo}/deployments/${d.id}`,
    repository_url: `${baseUrl}/api/v3/repos/${d.repo}`,
  };
}
