/**
 * Slipway's records in GitHub's REST shapes (workflow-run, job, repository), so octokit and scripts
 * written for GitHub read them unchanged. Field lists follow docs/design/server-api.md.
 */
import type { RepoRecord } from "../../store/server-store.ts";
import type { JobRecord, RunRecord, StepRecord } from "../../store/store.ts";
import { shortRef } from "../../plan/event.ts";
import { workflowId } from "../queue/workflow-run-trigger.ts";
import { redactUrl } from "../repos/git.ts";

export function userShape(login: string, baseUrl: string) {
  return { login, id: 0, node_id: "", avatar_url: "", gravatar_id: null, url: `${baseUrl}/api/v3/users/${login}`, html_url: `${baseUrl}/#/users/${login}`, type: "User", site_admin: false };
}

export function repositoryShape(repo: RepoRecord, baseUrl: string) {
  const [owner = "", name = ""] = repo.fullName.split("/");
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name,
    full_name: repo.fullName,
    owner: userShape(owner, baseUrl),
    private: true,
    fork: false,
    html_url: `${baseUrl}/#/repos/${repo.fullName}`,
    url: api,
    clone_url: redactUrl(repo.url),
    default_branch: repo.defaultBranch,
    created_at: repo.createdAt,
  };
}

export function runShape(run: RunRecord, repo: RepoRecord, baseUrl: string) {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}/actions/runs/${run.id}`;
  const branch = run.ref.startsWith("refs/heads/") ? shortRef(run.ref) : run.ref.startsWith("refs/pull/") ? null : null;
  const repository = repositoryShape(repo, baseUrl);
  const actor = userShape(run.actor ?? "slipway", baseUrl);
  return {
    id: run.id,
    name: run.workflowName,
    node_id: `WFR_${run.id}`,
    head_branch: branch,
    head_sha: run.sha,
    path: run.workflowFile,
    display_title: run.workflowName,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    event: run.event,
    status: run.status,
    conclusion: run.status === "completed" ? run.result : null,
    reason: run.reason,
    workflow_id: workflowId(repo.fullName, run.workflowFile),
    url: api,
    html_url: `${baseUrl}/#/repos/${repo.fullName}/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.finishedAt ?? run.startedAt ?? run.createdAt,
    run_started_at: run.startedAt ?? run.createdAt,
    actor,
    triggering_actor: actor,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${api}/check-suite`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${baseUrl}/api/v3/repos/${repo.fullName}/actions/workflows/${workflowId(repo.fullName, run.workflowFile)}`,
    head_commit: { id: run.sha, tree_id: "", message: "", timestamp: run.createdAt, author: { name: "", email: "" }, committer: { name: "", email: "" } },
    repository,
    head_repository: repository,
  };
}

export function jobShape(job: JobRecord, steps: StepRecord[], run: RunRecord, repo: RepoRecord, baseUrl: string) {
  const api = `${baseUrl}/api/v3/repos/${repo.fullName}`;
  return {
    id: job.id,
    run_id: run.id,
    run_url: `${api}/actions/runs/${run.id}`,
    run_attempt: job.attempt,
    node_id: `CR_${job.id}`,
    head_sha: run.sha,
    head_branch: run.ref.startsWith("refs/heads/") ? shortRef(run.ref) : null,
    url: `${api}/actions/jobs/${job.id}`,
    html_url: `${baseUrl}/#/repos/${repo.fullName}/runs/${run.id}/jobs/${job.id}`,
    check_run_url: `${api}/check-runs/${job.id}`,
    status: job.status,
    conclusion: job.status === "completed" ? job.result : null,
    created_at: job.startedAt ?? run.createdAt,
    started_at: job.startedAt ?? run.createdAt,
    completed_at: job.finishedAt,
    name: job.name,
    workflow_name: run.workflowName,
    steps: stepsShape(job, steps),
    labels: [],
    runner_id: null,
    runner_name: job.status === "queued" ? null : "slipway",
    runner_group_id: null,
    runner_group_name: null,
    // Slipway's own: which YAML job and matrix values this is.
    job_id: job.jobId,
    matrix: job.matrix,
    reason: job.reason,
  };
}

/**
 * GitHub numbers a job's steps from 1 = "Set up job" and ends with "Complete job"; Slipway's step
 * indexes already start at 1 for the first real step, so the pseudo-steps fill the same places.
 */
function stepsShape(job: JobRecord, steps: StepRecord[]) {
  const started = job.status !== "queued" && job.status !== "waiting";
  const done = job.status === "completed";
  const setup = { number: 1, name: "Set up job", status: started ? "completed" : "queued", conclusion: started ? "success" : null, started_at: job.startedAt, completed_at: job.startedAt };
  const real = steps.map((s) => ({ number: s.index + 1, name: s.name, status: s.status, conclusion: s.status === "completed" ? s.conclusion : null, started_at: s.startedAt, completed_at: s.finishedAt }));
  const last = Math.max(1, ...real.map((s) => s.number));
  const complete = { number: last + 1, name: "Complete job", status: done ? "completed" : "queued", conclusion: done ? "success" : null, started_at: job.finishedAt, completed_at: job.finishedAt };
  return started && steps.every((s) => s.index >= 1) ? [setup, ...real, ...(done ? [complete] : [])] : real;
}
