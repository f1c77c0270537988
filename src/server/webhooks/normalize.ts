/**
 * Maps a verified delivery onto GitHub's event names, activity types and payload shapes, so the engine's
 * filters and `github.event` see GitHub's words whichever forge sent it. The input is not modified.
 */
import { normalizePullRequest } from "./normalize-pr.ts";
import { normalizePush, normalizeRefEvent } from "./normalize-refs.ts";
import { defined, githubAction, obj, str } from "./payload.ts";
import type { Obj } from "./payload.ts";
import type { Forge, NormalizedEvent, VerifiedDelivery } from "./types.ts";

/** Gitea/Forgejo review events (X-Gitea-Event) → GitHub's pull_request_review `review.state`. */
const GITEA_REVIEWS: Record<string, string> = {
  pull_request_approved: "approved",
  pull_request_rejected: "changes_requested",
  pull_request_comment: "commented",
};

export function normalizeEvent(v: VerifiedDelivery): NormalizedEvent {
  const { forge, event, payload } = v;
  if (forge !== "github" && event in GITEA_REVIEWS) return normalizeReview(forge, GITEA_REVIEWS[event] ?? "commented", payload);
  switch (event) {
    case "push":
      return normalizePush(payload);
    case "create":
    case "delete":
      return normalizeRefEvent(event, payload);
    case "pull_request":
      return normalizePullRequest(forge, payload);
    case "release":
      return normalizeRelease(forge, payload);
    default:
      return normalizeOther(forge, event, payload);
  }
}

/**
 * Gitea's `published` is GitHub's `published` plus `released` or `prereleased` (separate deliveries on
 * GitHub); its `updated` is GitHub's `edited`.
 */
function normalizeRelease(forge: Forge, payload: Obj): NormalizedEvent {
  const release = obj(payload.release) ?? {};
  const raw = str(payload.action);
  const action = forge !== "github" && raw === "updated" ? "edited" : raw;
  const alsoActions = forge !== "github" && action === "published" ? [release.prerelease === true ? "prereleased" : "released"] : undefined;
  const tag = str(release.tag_name);
  return defined({
    name: "release",
    action,
    ref: tag === undefined ? undefined : `refs/tags/${tag}`,
    fork: false,
    alsoActions,
    payload: action === undefined ? payload : { ...payload, action },
  });
}

function normalizeReview(forge: Forge, state: string, payload: Obj): NormalizedEvent {
  const pr = normalizePullRequest(forge, payload);
  const review = obj(payload.review) ?? {};
  const reviewOut = { ...review, state, body: review.body ?? review.content ?? null };
  return { ...pr, name: "pull_request_review", action: "submitted", payload: { ...pr.payload, action: "submitted", review: reviewOut } };
}

function normalizeOther(forge: Forge, event: string, payload: Obj): NormalizedEvent {
  const action = githubAction(forge, payload.action);
  const ref = str(payload.ref);
  return defined({
    name: event,
    action,
    ref: ref?.startsWith("refs/") ? ref : undefined,
    fork: false,
    payload: action === payload.action ? payload : { ...payload, action },
  });
}
