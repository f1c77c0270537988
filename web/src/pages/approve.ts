// A one-time approval link from a notification (`/approve/TOKEN`): what it decides (environment, run,
// commit, who triggered it), one button for the link's decision with a comment, and the result.
// Signing in comes first: the router sends a signed-out visitor to sign-in and back here. The server
// decides as the signed-in user, so only a reviewer can use the link, and only once.
import { api, get, v3 } from "../api.ts";
import type { ApprovalLink } from "../gov-types.ts";
import { runHref, splitFullName, workflowFile } from "../routes.ts";
import type { Run } from "../types.ts";
import { clear, errorText, h, notice } from "../ui/dom.ts";
import { timeEl } from "../ui/format.ts";
import type { PageContext } from "./page.ts";

interface ApproveRoute {
  token: string;
}

interface Decided {
  run_id: number;
  environment: string;
  decision: "approve" | "reject";
  reviews: { environment: string; state: string; reviewer: string | null; comment: string | null }[];
}

export function mountApprove(ctx: PageContext, route: ApproveRoute): void {
  const path = `/api/slipway/approval-links/${encodeURIComponent(route.token)}`;
  const body = h("div", null, h("div", { class: "muted" }, "Loading…"));
  ctx.root.append(h("section", { class: "card approve-link", "data-testid": "approve-link" }, h("h1", null, "Deployment review"), body));

  void (async () => {
    let link: ApprovalLink;
    try {
      link = await get<ApprovalLink>(path, ctx.signal);
    } catch (e) {
      // Not valid, already used, expired, or its review was decided some other way.
      if (!ctx.signal.aborted) clear(body, notice("error", errorText(e), "approve-link-error"));
      return;
    }
    const [owner, repo] = splitFullName(repoOf(link));
    const run = await get<Run>(`${v3(owner, repo)}/actions/runs/${link.run_id}`, ctx.signal).catch(() => null);
    const spent = unusable(link);
    clear(body, about(link, run), spent ? notice("error", spent, "approve-link-error") : form(link));
  })();

  function form(link: ApprovalLink): HTMLElement {
    const approving = link.decision === "approve";
    const comment = h("textarea", { rows: 3, placeholder: approving ? "Comment (optional)" : "Why not? (shown in the job's log)", "data-testid": "approve-link-comment", "aria-label": "Comment" });
    const button = h(
      "button",
      { type: "button", class: approving ? "btn primary" : "btn danger", "data-testid": approving ? "approve-link-approve" : "approve-link-reject" },
      approving ? `Approve deployment to ${link.environment}` : `Reject deployment to ${link.environment}`,
    );
    const result = h("div");
    const controls = h("div", { class: "review-form" }, comment, h("div", { class: "actions" }, button));
    button.addEventListener("click", async () => {
      button.disabled = true;
      result.replaceChildren();
      try {
        const res = await api<Decided>("POST", path, { decision: link.decision, comment: comment.value.trim() }, ctx.signal);
        controls.hidden = true;
        result.append(outcome(link, res));
      } catch (e) {
        // Not a reviewer, self-review refused, used meanwhile: the server's words.
        result.append(notice("error", errorText(e), "approve-link-error"));
        button.disabled = false;
      }
    });
    return h("div", null, controls, result);
  }
}

const repoOf = (link: ApprovalLink): string => link.repo ?? link.repository ?? "";

/** Why the link cannot be used any more, or null. */
function unusable(link: ApprovalLink): string | null {
  if (link.used) return `This link was already used${link.used_by ? ` by ${link.used_by}` : ""}: each link works once.`;
  if (link.review_state && link.review_state !== "waiting") return `This deployment is no longer waiting for review (${link.review_state.replace("_", " ")}).`;
  if (link.expires_at && Date.parse(link.expires_at) <= Date.now()) return "This link has expired.";
  return null;
}

function about(link: ApprovalLink, run: Run | null): HTMLElement {
  const full = repoOf(link);
  const [owner, repo] = splitFullName(full);
  const sha = link.sha ?? run?.head_sha ?? null;
  const branch = link.ref ? link.ref.replace(/^refs\/(heads|tags)\//, "") : run?.head_branch;
  const actor = link.actor ?? run?.actor?.login;
  const runLabel = run ? `${run.name || workflowFile(run.path)} #${run.run_number}` : `${link.workflow ?? "run"} (${link.run_id})`;
  return h(
    "div",
    null,
    h("p", null, link.decision === "approve" ? "Approve" : "Reject", " the deployment to ", h("strong", { class: "env-name", "data-testid": "approve-link-environment" }, link.environment), " of ", h("a", { href: runHref(owner, repo, link.run_id), "data-testid": "approve-link-run" }, runLabel), ` in ${full}?`),
    h(
      "dl",
      { class: "meta" },
      branch ? item("Branch", h("span", { class: "branch" }, branch)) : null,
      sha ? item("Commit", h("code", { title: sha }, sha.slice(0, 7))) : null,
      run?.display_title ? item("Title", run.display_title) : null,
      actor ? item("Triggered by", actor) : null,
      link.requested_at ? item("Waiting since", timeEl(link.requested_at)) : null,
      link.expires_at ? item("Link expires", timeEl(link.expires_at)) : null,
    ),
  );
}

function outcome(link: ApprovalLink, res: Decided): HTMLElement {
  const state = link.decision === "approve" ? "approved" : "rejected";
  const [owner, repo] = splitFullName(repoOf(link));
  return h(
    "div",
    { class: "notice notice-ok", role: "status", "data-testid": "approve-link-result", "data-state": state },
    `You ${state} the deployment to ${res.environment ?? link.environment}. `,
    state === "approved" ? "The job starts once its other rules pass. " : "The job fails with your comment as the reason. ",
    h("a", { href: runHref(owner, repo, link.run_id) }, "Open the run"),
  );
}

function item(term: string, ...value: (Node | string)[]): HTMLElement {
  return h("div", null, h("dt", null, term), h("dd", null, ...value));
}
