// The run page's environment panels: for each environment the run waits on, who may review it, the
// wait timer and Approve / Reject with a comment; once decided, who decided and what they said, and the
// deployment's url. Panels are redrawn only when their data changes, so a comment being typed survives
// the page's refresh.
import { api, get, v3 } from "../api.ts";
import type { PendingDeployment, RunEnvironment } from "../gov-types.ts";
import { errorText, h, notice } from "../ui/dom.ts";
import { localTime, timeEl } from "../ui/format.ts";
import { externalLink } from "../ui/links.ts";
import { reconcileRows } from "../ui/table.ts";

export interface ReviewPanels {
  el: HTMLElement;
  update(envs: RunEnvironment[]): void;
}

export function reviewPanels(owner: string, repo: string, runId: number, signal: AbortSignal, onDecided: () => void): ReviewPanels {
  const el = h("div", { class: "reviews", "data-testid": "run-environments" });
  const base = `${v3(owner, repo)}/actions/runs/${runId}`;

  async function decide(env: RunEnvironment, state: "approved" | "rejected", comment: string): Promise<void> {
    // GitHub's endpoint takes environment ids; the run's pending list is where they come from.
    const pending = await get<PendingDeployment[]>(`${base}/pending_deployments`, signal);
    const match = pending.find((p) => p.environment.name.toLowerCase() === env.environment.toLowerCase());
    if (!match) throw new Error(`${env.environment} is no longer waiting for review.`);
    await api("POST", `${base}/pending_deployments`, { environment_ids: [match.environment.id], state, comment }, signal);
  }

  const panel = (env: RunEnvironment): HTMLElement => (env.state === "waiting" ? waitingPanel(env, decide, onDecided) : decidedPanel(env));
  return {
    el,
    update(envs) {
      reconcileRows(el, envs, (e) => e.environment, signature, panel);
    },
  };
}

const signature = (e: RunEnvironment): string =>
  JSON.stringify([e.state, e.reviewers, e.wait_timer, e.wait_timer_ends_at, e.current_user_can_approve, e.reviewer, e.comment, e.jobs, e.deployments.map((d) => [d.url, d.state])]);

const reviewerName = (r: { type: string; name: string }): string => (r.type === "Team" ? `@${r.name}` : r.name);

type Decide = (env: RunEnvironment, state: "approved" | "rejected", comment: string) => Promise<void>;

function waitingPanel(env: RunEnvironment, decide: Decide, onDecided: () => void): HTMLElement {
  const comment = h("textarea", { rows: 2, placeholder: "Leave a comment (optional)", "aria-label": `Comment on ${env.environment}`, "data-testid": "review-comment" });
  const approve = h("button", { type: "button", class: "btn primary", "data-testid": "review-approve" }, "Approve and deploy");
  const reject = h("button", { type: "button", class: "btn danger", "data-testid": "review-reject" }, "Reject");
  const msg = h("div");
  const reviewers = env.reviewers.length > 0;
  if (!env.current_user_can_approve) {
    const why = reviewers ? `Only ${env.reviewers.map(reviewerName).join(", ")} can review deployments to ${env.environment}.` : "Nothing to review: the job waits for the timer.";
    for (const b of [approve, reject]) {
      b.disabled = true;
      b.title = why;
    }
  }
  const act = async (state: "approved" | "rejected"): Promise<void> => {
    approve.disabled = reject.disabled = true;
    msg.replaceChildren();
    try {
      await decide(env, state, comment.value.trim());
      msg.append(notice("ok", state === "approved" ? `Approved ${env.environment}.` : `Rejected ${env.environment}.`, "review-ok"));
      onDecided();
    } catch (e) {
      msg.append(notice("error", errorText(e), "review-error"));
      approve.disabled = reject.disabled = false;
    }
  };
  approve.addEventListener("click", () => void act("approved"));
  reject.addEventListener("click", () => void act("rejected"));

  return h(
    "section",
    { class: "card review waiting", "data-testid": "review-panel", "data-environment": env.environment, "data-state": env.state ?? "" },
    h("h2", null, reviewers ? "Waiting for review" : "Waiting for the wait timer", ": ", h("span", { class: "env-name" }, env.environment)),
    jobsLine(env),
    reviewers
      ? h("p", { "data-testid": "review-reviewers" }, h("span", { class: "muted" }, "Reviewers: "), env.reviewers.map((r) => h("span", { class: "chip", "data-reviewer": r.name }, reviewerName(r))))
      : null,
    timerLine(env),
    reviewers ? h("div", { class: "review-form" }, comment, h("div", { class: "actions" }, approve, reject), msg) : null,
  );
}

function decidedPanel(env: RunEnvironment): HTMLElement {
  const verb: Record<string, string> = { approved: "Approved", rejected: "Rejected", timed_out: "Review timed out", cancelled: "Review cancelled" };
  const state = env.state ?? "none";
  const latest = env.deployments[env.deployments.length - 1]?.state;
  const head = env.state ? (verb[env.state] ?? env.state) : `deployment ${(latest ?? "queued").replace("_", " ")}`;
  return h(
    "section",
    { class: `card review ${state}`, "data-testid": "review-panel", "data-environment": env.environment, "data-state": state },
    h(
      "h2",
      { "data-testid": "review-decision", "data-state": state },
      h("span", { class: "env-name" }, env.environment),
      ": ",
      head,
      env.reviewer ? [" by ", h("strong", { "data-testid": "review-reviewer" }, env.reviewer)] : null,
    ),
    env.comment ? h("blockquote", { class: "review-quote", "data-testid": "review-decision-comment" }, env.comment) : null,
    jobsLine(env),
    env.state === "approved" ? timerLine(env) : null,
    deploymentsLine(env),
  );
}

function jobsLine(env: RunEnvironment): HTMLElement | null {
  if (!env.jobs.length) return null;
  return h("p", { class: "muted small" }, env.jobs.length === 1 ? "Job: " : "Jobs: ", env.jobs.map((j, i) => [i ? ", " : "", h("strong", null, j)]));
}

/** The timer counts from when the job was triggered; it is only shown while it matters. */
function timerLine(env: RunEnvironment): HTMLElement | null {
  if (!env.wait_timer) return null;
  const ends = env.wait_timer_ends_at;
  const over = !!ends && new Date(ends).getTime() <= Date.now();
  return h(
    "p",
    { "data-testid": "review-wait-timer", "data-ends": ends ?? "" },
    h("span", { class: "muted" }, "Wait timer: "),
    `${env.wait_timer} minute${env.wait_timer === 1 ? "" : "s"}`,
    ends ? [over ? ", ran out " : ", ends ", timeEl(ends), h("span", { class: "muted small" }, ` (${localTime(ends)})`)] : null,
  );
}

function deploymentsLine(env: RunEnvironment): HTMLElement | null {
  const withUrl = env.deployments.filter((d) => d.url);
  if (!withUrl.length) return null;
  return h(
    "p",
    null,
    h("span", { class: "muted" }, "Deployed to "),
    withUrl.map((d, i) => [i ? ", " : "", externalLink(d.url as string, { "data-testid": "deployment-url", "data-job": d.job ?? "" })]),
  );
}
