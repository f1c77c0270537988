/**
 * The generic webhook's JSON body: `{id, event, created_at, repository, run, ...}` plus `deployment` or
 * `approval` for those events. Field names follow GitHub's webhook payloads where one exists
 * (`head_sha`, `conclusion`, `html_url`). Pure.
 */
import type { NotifyFacts, RunFacts } from "./facts.ts";

export function webhookBody(f: NotifyFacts, delivery: { id: string; createdAt: string }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: delivery.id,
    event: f.event,
    created_at: delivery.createdAt,
    repository: { full_name: f.repository.fullName, html_url: f.repository.htmlUrl },
    run: f.run ? runJson(f.run) : null,
  };
  if (f.previousConclusion !== undefined) body.previous_conclusion = f.previousConclusion;
  if (f.deployment) {
    const d = f.deployment;
    body.deployment = { id: d.id, environment: d.environment, state: d.state, sha: d.sha, ref: d.ref, job: d.job, creator: d.creator, environment_url: d.environmentUrl, created_at: d.createdAt, updated_at: d.updatedAt, duration_seconds: seconds(d.durationMs) };
  }
  if (f.approval) {
    const a = f.approval;
    body.approval = { review_id: a.reviewId, environment: a.environment, requested_at: a.requestedAt, reviewers: a.reviewers, wait_timer: a.waitTimerMinutes, jobs: a.jobs, html_url: f.run?.htmlUrl ?? null };
  }
  return body;
}

function runJson(r: RunFacts): Record<string, unknown> {
  return {
    id: r.id,
    run_number: r.number,
    run_attempt: r.attempt,
    workflow: { name: r.workflow.name, path: r.workflow.file },
    event: r.event,
    head_branch: r.branch,
    ref: r.ref,
    head_sha: r.sha,
    actor: r.actor,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_seconds: seconds(r.durationMs),
    html_url: r.htmlUrl,
    url: r.url,
  };
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
