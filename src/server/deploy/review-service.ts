/**
 * Deciding reviews, with GitHub's rules: a required reviewer (a user, or a member of a team) may approve
 * or reject; one decision releases (or fails) every job of the run waiting for that environment; with
 * "prevent self-review" the person who triggered the run may not approve it; an administrator who is not
 * a reviewer may approve only by bypassing the rules, if the environment allows that. Every decision is
 * audited.
 */
import { ForbiddenError, NotFoundError } from "../../common/errors.ts";
import type { EnvironmentRecord, ReviewRecord } from "../../store/environment-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import type { Approvals, ReviewRequest } from "./approvals.ts";
import { isReviewer, reviewerNames } from "./reviewers.ts";

export class ReviewService implements Approvals {
  constructor(private readonly app: App) {}

  async review(req: ReviewRequest): Promise<ReviewRecord[]> {
    const run = await this.app.store.getRun(req.runId);
    if (!run) throw new NotFoundError(`run ${req.runId} not found`);
    await req.caller.require(run.repo, "viewer");
    // Approving changes what runs: a read-scope token may look, never decide.
    if (req.caller.scope === "read") throw new ForbiddenError("A read-scope token may not review deployments: use a token with write or admin scope");
    const decided: ReviewRecord[] = [];
    for (const name of req.environments) {
      const review = await this.app.store.environments.getReview(run.id, run.runAttempt, name);
      const env = await this.app.store.environments.getEnvironment(run.repo, name);
      if (!review || review.state !== "waiting" || !env) continue;
      const bypass = await decisionRights(this.app, run, env, req.caller, req.state, req.bypass === true);
      const ok = await this.app.store.environments.decideReview(review.id, { state: req.state, reviewer: req.caller.name, comment: req.comment, bypass });
      if (!ok) continue;
      const action = bypass ? "deployment.bypass" : req.state === "approved" ? "deployment.approve" : "deployment.reject";
      await audit(this.app, req.caller, action, run.repo, env.name, { run_id: run.id, run_attempt: run.runAttempt, comment: req.comment });
      decided.push((await this.app.store.environments.getReview(run.id, run.runAttempt, name)) as ReviewRecord);
    }
    if (!decided.length) throw new NotFoundError(`run ${run.id} is not waiting for a review of ${req.environments.join(", ") || "any environment"}`);
    return decided;
  }
}

/**
 * Whether the caller's decision bypasses the rules; throws (ForbiddenError, with the reason) when the
 * caller may not decide at all. The API's `current_user_can_approve` asks the same question.
 */
export async function decisionRights(app: App, run: RunRecord, env: EnvironmentRecord, caller: Caller, state: "approved" | "rejected", wantsBypass: boolean): Promise<boolean> {
  const admin = (await caller.roleOn(run.repo)) === "admin";
  const canBypass = admin && env.adminBypass && state === "approved";
  if (wantsBypass) {
    if (!canBypass) throw new ForbiddenError(`Only an administrator of ${run.repo} may bypass the protection rules of ${env.name}${admin ? " (this environment does not allow it)" : ""}`);
    return true;
  }
  if (!(await isReviewer(app, env.reviewers, caller))) {
    if (canBypass) return true;
    throw new ForbiddenError(`${caller.name} is not a required reviewer of ${env.name} (reviewers: ${reviewerNames(env.reviewers)})`);
  }
  if (env.preventSelfReview && state === "approved" && (run.actor ?? "").toLowerCase() === caller.name.toLowerCase()) {
    throw new ForbiddenError(`${env.name} prevents self-review: ${caller.name} triggered this run and may not approve it`);
  }
  return false;
}
