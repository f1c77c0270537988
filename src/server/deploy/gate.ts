/**
 * The server's environment gate: a job naming an environment gets a deployment record, is held by the
 * environment's rules (branch policy, reviewers, wait timer) without a slot, and receives the
 * environment's secrets and variables only once they pass. Waiting is read from the store (a review
 * row keeps when it was requested), so a restarted server keeps waiting where the last one stopped.
 */
import { policyRef, type EnvironmentGate, type GateAnswer, type GateRequest, type GateTicket } from "../../run/environment-gate.ts";
import type { DeploymentRecord, DeploymentState, EnvironmentRecord, ReviewRecord } from "../../store/environment-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import { branchPolicyViolation } from "./branch-policy.ts";
import { environmentValues } from "./environment-values.ts";
import { reviewerNames } from "./reviewers.ts";
import { PARKED } from "./parked.ts";

export interface GateTiming {
  /** How long a minute of a wait timer lasts (tests shorten it). */
  minuteMs: number;
  /** A review not decided within this long fails the job (GitHub: 30 days). */
  reviewTimeoutMs: number;
  pollMs: number;
}

export class ServerGate implements EnvironmentGate {
  /** Reviews this run announced (approval requests go out once, not once per matrix instance). */
  private readonly announced = new Set<number>();
  /** How many of the run's jobs wait for each review now. */
  private readonly waiters = new Map<number, number>();

  /** `fork`: a pull request from a fork, which gets no environment's secrets or variables, as on GitHub. */
  constructor(private readonly app: App, private readonly run: RunRecord, private readonly timing: GateTiming, private readonly fork = false) {}

  async enter(req: GateRequest, signal: AbortSignal): Promise<GateAnswer> {
    const env = await this.app.store.environments.ensureEnvironment(this.run.repo, req.environment);
    const { deployment, resumed } = await this.deploymentFor(env.name, req);
    const violation = await branchPolicyViolation(env.name, env.branchPolicy, policyRef(req, this.fork), (b) => this.app.store.protection.isProtected(this.run.repo, b));
    if (violation) return this.refuse(deployment, violation, "error");
    if (env.reviewers.length > 0 || env.waitTimer > 0) {
      if (!resumed) await this.status(deployment, "waiting", null);
      req.waiting();
      this.app.runs.waitingChanged(this.run.id, 1);
      const verdict = await this.waitForRules(env, req, signal, resumed).finally(() => this.app.runs.waitingChanged(this.run.id, -1));
      // A parked run resumes at the next start: its review and deployment stay as they are.
      if (signal.reason === PARKED) return { ok: false, reason: PARKED, cancelled: true };
      // Refused by a rule, the job deployed nothing: `error`, so delivery metrics do not count a failed deployment.
      if (verdict !== null) return this.refuse(deployment, verdict.reason, verdict.cancelled ? "inactive" : "error", verdict.cancelled);
    }
    const values = this.fork ? { secrets: {}, vars: {} } : await environmentValues(this.app, this.run.repo, env.name);
    return { ok: true, ticket: this.ticket(deployment, values) };
  }

  /** A resumed run's job keeps the deployment it was waiting with; any other job gets a new one. */
  private async deploymentFor(environment: string, req: GateRequest): Promise<{ deployment: DeploymentRecord; resumed: boolean }> {
    const envs = this.app.store.environments;
    const mine = await envs.listDeployments(this.run.repo, { runId: this.run.id, environment, limit: 100 });
    const waiting = mine.find((d) => d.runAttempt === this.run.runAttempt && d.job === req.jobName && d.state === "waiting");
    if (waiting) return { deployment: waiting, resumed: true };
    const deployment = await envs.createDeployment({
      repo: this.run.repo, environment, sha: req.sha, ref: req.ref, task: "deploy", workflow: this.run.workflowFile,
      runId: this.run.id, runAttempt: this.run.runAttempt, job: req.jobName, creator: req.actor, url: null, description: null,
    }, req.actor);
    return { deployment, resumed: false };
  }

  private ticket(deployment: DeploymentRecord, values: { secrets: Record<string, string>; vars: Record<string, string> }): GateTicket {
    let started = false;
    return {
      ...values,
      started: async () => {
        started = true;
        await this.status(deployment, "in_progress", null);
        this.emit("deployment.started", deployment.id);
      },
      finished: async (result, url) => {
        if (url) await this.app.store.environments.setDeploymentUrl(deployment.id, url);
        // A job that never started (cancelled while queued) deployed nothing: that is not a failed deployment.
        const state: DeploymentState = !started ? "inactive" : result === "success" ? "success" : "failure";
        await this.status(deployment, state, result === "success" ? null : `the job ended: ${result}`, url);
        if (started) this.emit(result === "success" ? "deployment.succeeded" : "deployment.failed", deployment.id);
      },
    };
  }

  /** Null once the job may go; otherwise why it may not (rejected, timed out, cancelled). */
  private async waitForRules(env: EnvironmentRecord, req: GateRequest, signal: AbortSignal, resumed: boolean): Promise<{ reason: string; cancelled?: boolean } | null> {
    const envs = this.app.store.environments;
    // A resumed job goes on with the review it had (approved, its timer perhaps still running).
    const kept = resumed ? await envs.getReview(this.run.id, this.run.runAttempt, env.name) : null;
    const review = kept ?? (await envs.openReview(this.run.repo, this.run.id, this.run.runAttempt, env.name));
    if (env.reviewers.length) req.log(`Waiting for review: ${env.name} needs an approval from ${reviewerNames(env.reviewers)}`);
    if (env.waitTimer > 0) req.log(`Waiting timer: ${env.waitTimer} minute(s) from ${review.requestedAt}`);
    if (!resumed && env.reviewers.length && !this.announced.has(review.id)) {
      this.announced.add(review.id);
      this.announce(review, env, req.jobName);
    }
    this.waiters.set(review.id, (this.waiters.get(review.id) ?? 0) + 1);
    try {
      for (;;) {
        const r = (await envs.getReviewById(review.id)) ?? review;
        const outcome = this.decide(env, r, req);
        if (outcome !== "wait") return outcome === "go" ? null : outcome;
        if (signal.aborted) return this.leaveWaiting(r, signal);
        if (r.state === "waiting" && Date.now() - Date.parse(r.requestedAt) > this.timing.reviewTimeoutMs) {
          await envs.decideReview(r.id, { state: "timed_out", reviewer: null, comment: null, bypass: false });
          return { reason: `The review of ${env.name} timed out: nobody approved it in time` };
        }
        await sleep(this.timing.pollMs, signal);
      }
    } finally {
      this.waiters.set(review.id, (this.waiters.get(review.id) ?? 1) - 1);
    }
  }

  /**
   * A job stops waiting (its run was cancelled, a fail-fast sibling failed, or the server parks the run).
   * The review closes only when no other job of the run still waits for it.
   */
  private async leaveWaiting(r: ReviewRecord, signal: AbortSignal): Promise<{ reason: string; cancelled: true }> {
    if (signal.reason === PARKED) return { reason: PARKED, cancelled: true };
    if ((this.waiters.get(r.id) ?? 1) <= 1 && r.state === "waiting") await this.app.store.environments.decideReview(r.id, { state: "cancelled", reviewer: null, comment: null, bypass: false });
    return { reason: "cancelled while waiting for the environment", cancelled: true };
  }

  private decide(env: EnvironmentRecord, r: ReviewRecord, req: GateRequest): "wait" | "go" | { reason: string } {
    if (r.state === "rejected") return { reason: `Deployment to ${env.name} was rejected by ${r.reviewer ?? "a reviewer"}${r.comment ? `: ${r.comment}` : ""}` };
    if (r.state === "timed_out") return { reason: `The review of ${env.name} timed out: nobody approved it in time` };
    if (r.state === "cancelled") return { reason: `The review of ${env.name} was cancelled` };
    if (r.bypass) return this.logged(req, `${r.reviewer ?? "An administrator"} bypassed the protection rules of ${env.name}`);
    const timerEnds = Date.parse(r.requestedAt) + env.waitTimer * this.timing.minuteMs;
    const approved = env.reviewers.length === 0 || r.state === "approved";
    if (approved && Date.now() >= timerEnds) {
      if (env.reviewers.length === 0 && r.state === "waiting") {
        void this.app.store.environments.decideReview(r.id, { state: "approved", reviewer: null, comment: "the wait timer ran out", bypass: false }).catch((e: Error) => this.app.log(`review ${r.id}: ${e.message}`));
      }
      return this.logged(req, env.reviewers.length ? `Approved by ${r.reviewer ?? "a reviewer"}${r.comment ? `: ${r.comment}` : ""}` : `The wait timer of ${env.name} ran out`);
    }
    return "wait";
  }

  private logged(req: GateRequest, line: string): "go" {
    req.log(line);
    return "go";
  }

  private async refuse(d: DeploymentRecord, reason: string, state: DeploymentState, cancelled = false): Promise<GateAnswer> {
    await this.status(d, state, reason);
    return { ok: false, reason, cancelled };
  }

  private async status(d: DeploymentRecord, state: DeploymentState, description: string | null, url: string | null = null): Promise<void> {
    await this.app.store.environments.addDeploymentStatus({
      deploymentId: d.id, state, description, environmentUrl: url, logUrl: `${this.app.baseUrl()}/#/repos/${this.run.repo}/runs/${this.run.id}`, creator: d.creator,
    });
  }

  private emit(kind: "deployment.started" | "deployment.succeeded" | "deployment.failed", id: number): void {
    void this.app.store.environments.getDeployment(id).then(
      (deployment) => deployment && this.app.events.emit({ kind, deployment, run: this.run }),
      (e: Error) => this.app.log(`deployment ${id}: ${e.message}`),
    );
  }

  private announce(review: ReviewRecord, environment: EnvironmentRecord, job: string): void {
    this.app.events.emit({ kind: "approval.requested", review, environment, run: this.run, jobs: [job] });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
