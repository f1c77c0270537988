/**
 * Slack incoming-webhook messages in Block Kit: a header, a linked summary, the fields (repository,
 * workflow, branch, commit, actor, result, duration, and per event its own), and link buttons. `text` is
 * the fallback Slack shows in notifications. Pure: the same facts always make the same message.
 */
import { InternalError } from "../../common/errors.ts";
import type { ApprovalLinks, NotifyFacts, RunFacts } from "./facts.ts";
import { humanDuration } from "./facts.ts";

type Block = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function slackMessage(f: NotifyFacts, links: ApprovalLinks | null = null): SlackMessage {
  switch (f.event) {
    case "run.failed":
    case "run.fixed":
      return runMessage(f);
    case "deployment.started":
    case "deployment.succeeded":
    case "deployment.failed":
      return deploymentMessage(f);
    case "approval.requested":
      return approvalMessage(f, links);
  }
}

function runMessage(f: NotifyFacts): SlackMessage {
  const run = f.run as RunFacts;
  const fixed = f.event === "run.fixed";
  const title = fixed ? `${run.workflow.name} is fixed` : `${run.workflow.name} failed`;
  const where = run.branch ? ` on ${run.branch}` : "";
  return {
    text: `${f.repository.fullName}: ${title}${where} (${run.sha.slice(0, 7)})`,
    blocks: [
      header(`${fixed ? ":white_check_mark:" : ":x:"} ${title}`),
      section(`${runLink(f)} ${fixed ? `succeeded after a ${f.previousConclusion ?? "failure"}` : "failed"}`),
      fields([...runFields(f), ["Result", run.conclusion ?? run.status], ["Duration", humanDuration(run.durationMs)]]),
      actions([button("View run", run.htmlUrl, "view_run")]),
    ],
  };
}

function deploymentMessage(f: NotifyFacts): SlackMessage {
  const d = f.deployment;
  if (!d) throw new InternalError(`${f.event} without a deployment`);
  const [icon, title] = f.event === "deployment.started" ? [":rocket:", `Deploying to ${d.environment}`]
    : f.event === "deployment.succeeded" ? [":white_check_mark:", `Deployed to ${d.environment}`]
    : [":x:", `Deployment to ${d.environment} failed`];
  const rows: [string, string][] = [...runFields(f, d), ["Environment", esc(d.environment)], ["Result", esc(d.state)]];
  if (f.event !== "deployment.started") rows.push(["Duration", humanDuration(d.durationMs)]);
  const buttons = [f.run ? button("View run", f.run.htmlUrl, "view_run") : null, d.environmentUrl ? button("Open environment", d.environmentUrl, "open_environment") : null];
  return {
    text: `${f.repository.fullName}: ${title} (${d.sha.slice(0, 7)})`,
    blocks: [
      header(`${icon} ${title}`),
      section(`${f.run ? runLink(f) : `*${esc(f.repository.fullName)}*`}${d.job ? ` · job *${esc(d.job)}*` : ""}`),
      fields(rows),
      ...(buttons.some(Boolean) ? [actions(buttons.filter((b): b is Block => b !== null))] : []),
    ],
  };
}

function approvalMessage(f: NotifyFacts, links: ApprovalLinks | null): SlackMessage {
  const a = f.approval;
  const run = f.run;
  if (!a || !run) throw new InternalError("approval.requested without its review and run");
  const reviewers = a.reviewers.length ? a.reviewers.map((r) => (r.type === "Team" ? `@${r.name}` : r.name)).join(", ") : "any maintainer";
  const rows: [string, string][] = [...runFields(f), ["Result", "waiting for review"], ["Environment", esc(a.environment)], ["Reviewers", esc(reviewers)]];
  if (a.jobs.length) rows.push(["Jobs", esc(a.jobs.join(", "))]);
  if (a.waitTimerMinutes > 0) rows.push(["Wait timer", `${a.waitTimerMinutes} min`]);
  const buttons = links
    ? [button("Approve", links.approve, "approve", "primary"), button("Reject", links.reject, "reject", "danger"), button("View run", run.htmlUrl, "view_run")]
    : [button("Review", run.htmlUrl, "view_run")];
  return {
    text: `${f.repository.fullName}: ${run.workflow.name} waits for approval to deploy to ${a.environment}`,
    blocks: [
      header(`:hourglass_flowing_sand: Approval needed: ${a.environment}`),
      section(`${runLink(f)} waits for a review to deploy to *${esc(a.environment)}*`),
      fields(rows),
      actions(buttons),
      ...(links ? [{ type: "context", elements: [{ type: "mrkdwn", text: "Approve and Reject open Slipway; each link works once, for a signed-in reviewer." }] }] : []),
    ],
  };
}

/** Repository, workflow, branch, commit and actor: from the run, or the deployment when there is no run. */
function runFields(f: NotifyFacts, d?: { sha: string; ref: string; creator: string }): [string, string][] {
  const run = f.run;
  const branch = run ? run.branch ?? run.ref : (d?.ref ?? "").replace(/^refs\/(heads|tags)\//, "");
  return [
    ["Repository", `<${f.repository.htmlUrl}|${esc(f.repository.fullName)}>`],
    ["Workflow", run ? esc(run.workflow.name) : "—"],
    ["Branch", branch ? esc(branch) : "—"],
    ["Commit", `\`${(run?.sha ?? d?.sha ?? "").slice(0, 7)}\``],
    ["Actor", esc(run?.actor ?? d?.creator ?? "slipway")],
  ];
}

function runLink(f: NotifyFacts): string {
  const run = f.run as RunFacts;
  const attempt = run.attempt > 1 ? ` (attempt ${run.attempt})` : "";
  return `*<${run.htmlUrl}|${esc(`${f.repository.fullName} · ${run.workflow.name} #${run.number}`)}>*${attempt}`;
}

function header(text: string): Block {
  return { type: "header", text: { type: "plain_text", text: clip(text, 150), emoji: true } };
}

function section(mrkdwn: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, 3000) } };
}

/** Slack shows fields two to a row; at most ten. */
function fields(rows: [string, string][]): Block {
  return { type: "section", fields: rows.slice(0, 10).map(([k, v]) => ({ type: "mrkdwn", text: clip(`*${k}*\n${v}`, 2000) })) };
}

function actions(elements: Block[]): Block {
  return { type: "actions", elements };
}

function button(text: string, url: string, actionId: string, style?: "primary" | "danger"): Block {
  return { type: "button", text: { type: "plain_text", text }, url, action_id: actionId, ...(style ? { style } : {}) };
}

/** Slack's mrkdwn treats &, < and > as control characters. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
