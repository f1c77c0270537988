/**
 * One-time approve/reject links for Slack approval requests. The link opens the dashboard's
 * `#/approve/<token>` page, which posts the decision with the signed-in user's token; the decision goes
 * through `app.approvals` as that user, so the reviewer rules (who may approve, self-review) still
 * decide. A token is stored only as its SHA-256, bound to its run, attempt, environment and decision,
 * works once, and dies with its review (decided, timed out) or after `LINK_TTL_MS` at the latest.
 */
import { randomBytes } from "node:crypto";
import { ConflictError, InputError, InternalError, NotFoundError } from "../../common/errors.ts";
import type { ReviewRecord } from "../../store/environment-store.ts";
import type { ApprovalLinkRecord } from "../../store/notification-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import type { Caller } from "../auth/caller.ts";
import { hashToken } from "../auth/tokens.ts";
import type { ApprovalLinks } from "./facts.ts";

/** GitHub lets a deployment review wait 30 days; a link never outlives that. */
export const LINK_TTL_MS = 30 * 24 * 3600_000;

export type Decision = ApprovalLinkRecord["decision"];

export async function createApprovalLinks(app: App, review: ReviewRecord): Promise<ApprovalLinks> {
  const now = new Date().toISOString();
  const expiresAt = new Date(Date.parse(review.requestedAt) + LINK_TTL_MS).toISOString();
  const make = async (decision: Decision) => {
    const token = `slwa_${randomBytes(32).toString("base64url")}`;
    await app.store.notifications.addApprovalLink({ hash: hashToken(token), repo: review.repo, reviewId: review.id, runId: review.runId, runAttempt: review.runAttempt, environment: review.environment, decision, expiresAt }, now);
    return `${app.baseUrl()}/#/approve/${token}`;
  };
  return { approve: await make("approve"), reject: await make("reject") };
}

/** What a token's link is about, used or not; NotFoundError for a token that never was. */
export async function describeLink(app: App, token: string): Promise<{ link: ApprovalLinkRecord; review: ReviewRecord | null; run: RunRecord | null }> {
  const link = await app.store.notifications.getApprovalLink(hashToken(token));
  if (!link) throw new NotFoundError("This approval link is not valid");
  return { link, review: await app.store.environments.getReview(link.runId, link.runAttempt, link.environment), run: await app.store.getRun(link.runId) };
}

/** The link a token names, if it could still be used; otherwise the error saying why not. */
export async function usableLink(app: App, token: string): Promise<{ link: ApprovalLinkRecord; review: ReviewRecord }> {
  const link = await app.store.notifications.getApprovalLink(hashToken(token));
  if (!link) throw new NotFoundError("This approval link is not valid");
  if (link.usedAt !== null) throw new ConflictError(`This approval link was already used${link.usedBy ? ` (by ${link.usedBy})` : ""}`);
  if (Date.parse(link.expiresAt) <= Date.now()) throw new ConflictError("This approval link has expired");
  const review = await app.store.environments.getReview(link.runId, link.runAttempt, link.environment);
  if (!review || review.state !== "waiting") {
    await app.store.notifications.retireApprovalLinks(link.reviewId, new Date().toISOString());
    throw new ConflictError(`The review this link is for is no longer waiting${review ? ` (${review.state.replace("_", " ")})` : ""}`);
  }
  return { link, review };
}

/**
 * Uses the link: claims it (so two clicks cannot both decide), asks `app.approvals` as the caller, and
 * gives the claim back when the decision is refused (a non-reviewer's click must not burn the link).
 */
export async function useApprovalLink(app: App, token: string, decision: Decision, comment: string | null, caller: Caller): Promise<{ link: ApprovalLinkRecord; reviews: ReviewRecord[] }> {
  const { link } = await usableLink(app, token);
  if (link.decision !== decision) throw new InputError(`This link is for '${link.decision}', not '${decision}'`);
  if (!app.approvals) throw new InternalError("approvals are not available on this server");
  const hash = hashToken(token);
  if (!(await app.store.notifications.claimApprovalLink(hash, caller.name, new Date().toISOString()))) throw new ConflictError("This approval link was already used");
  let reviews: ReviewRecord[];
  try {
    reviews = await app.approvals.review({ runId: link.runId, environments: [link.environment], state: decision === "approve" ? "approved" : "rejected", comment, caller });
  } catch (e) {
    await app.store.notifications.releaseApprovalLink(hash);
    throw e;
  }
  await app.store.notifications.retireApprovalLinks(link.reviewId, new Date().toISOString());
  return { link, reviews };
}
