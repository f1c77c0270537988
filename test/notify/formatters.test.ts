/** The pure parts of notifications: Slack blocks, the webhook body, rule matching, backoff, signatures. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { nextAttemptAt, retryDelayMs } from "../../src/server/notify/backoff.ts";
import { branchOf, humanDuration, type NotifyFacts, type RunFacts } from "../../src/server/notify/facts.ts";
import { maskUrl, withoutUrl } from "../../src/server/notify/mask.ts";
import { matchingChannels } from "../../src/server/notify/rules.ts";
import { deliveryHeaders } from "../../src/server/notify/send.ts";
import { slackMessage } from "../../src/server/notify/slack.ts";
import { webhookBody } from "../../src/server/notify/webhook-body.ts";

const RUN: RunFacts = {
  id: 12, number: 7, attempt: 1, workflow: { name: "CI <main>", file: ".github/workflows/ci.yml" }, event: "push", branch: "main",
  ref: "refs/heads/main", sha: "0123456789abcdef0123456789abcdef01234567", actor: "alice", status: "completed", conclusion: "failure",
  startedAt: "2026-01-01T10:00:00.000Z", finishedAt: "2026-01-01T10:01:05.000Z", durationMs: 65_000,
  htmlUrl: "http://ci.example/#/repos/acme/app/runs/12", url: "http://ci.example/api/v3/repos/acme/app/actions/runs/12",
};
const REPO = { fullName: "acme/app", htmlUrl: "http://ci.example/#/repos/acme/app" };

const fieldsOf = (blocks: any[]) => Object.fromEntries(blocks.find((b) => b.fields).fields.map((f: any) => f.text.split("\n")).map(([k, v]: string[]) => [k?.replace(/\*/g, ""), v]));

void describe("Slack messages", () => {
  void it("a failed run: header, linked summary, the seven fields and a link to the run", () => {
    const m = slackMessage({ event: "run.failed", repository: REPO, run: RUN });
    assert.equal(m.text, "acme/app: CI <main> failed on main (0123456)");
    assert.deepEqual(m.blocks.map((b) => b.type), ["header", "section", "section", "actions"]);
    assert.deepEqual(m.blocks[0], { type: "header", text: { type: "plain_text", text: ":x: CI <main> failed", emoji: true } });
    assert.equal((m.blocks[1] as any).text.text, "*<http://ci.example/#/repos/acme/app/runs/12|acme/app · CI &lt;main&gt; #7>* failed");
    assert.deepEqual(fieldsOf(m.blocks), {
      Repository: "<http://ci.example/#/repos/acme/app|acme/app>", Workflow: "CI &lt;main&gt;", Branch: "main", Commit: "`0123456`",
      Actor: "alice", Result: "failure", Duration: "1m 5s",
    });
    assert.deepEqual((m.blocks[3] as any).elements, [{ type: "button", text: { type: "plain_text", text: "View run" }, url: RUN.htmlUrl, action_id: "view_run" }]);
  });

  void it("a fixed run says what it followed", () => {
    const m = slackMessage({ event: "run.fixed", repository: REPO, run: { ...RUN, conclusion: "success", attempt: 2 }, previousConclusion: "failure" });
    assert.equal((m.blocks[0] as any).text.text, ":white_check_mark: CI <main> is fixed");
    assert.match((m.blocks[1] as any).text.text, /\(attempt 2\) succeeded after a failure$/);
    assert.equal(fieldsOf(m.blocks).Result, "success");
  });

  void it("deployments name the environment, their state and a link to the environment", () => {
    const deployment = { id: 4, environment: "production", sha: RUN.sha, ref: "refs/heads/main", state: "success", environmentUrl: "https://app.example", job: "deploy", creator: "alice", createdAt: RUN.startedAt as string, updatedAt: RUN.finishedAt as string, durationMs: 65_000 };
    const started = slackMessage({ event: "deployment.started", repository: REPO, run: RUN, deployment: { ...deployment, state: "in_progress", durationMs: null } });
    assert.equal((started.blocks[0] as any).text.text, ":rocket: Deploying to production");
    assert.equal(fieldsOf(started.blocks).Duration, undefined);
    const done = slackMessage({ event: "deployment.succeeded", repository: REPO, run: RUN, deployment });
    assert.equal((done.blocks[0] as any).text.text, ":white_check_mark: Deployed to production");
    const f = fieldsOf(done.blocks);
    assert.deepEqual([f.Environment, f.Result, f.Duration, f.Commit, f.Workflow], ["production", "success", "1m 5s", "`0123456`", "CI &lt;main&gt;"]);
    assert.deepEqual((done.blocks.at(-1) as any).elements.map((e: any) => [e.text.text, e.url]), [["View run", RUN.htmlUrl], ["Open environment", "https://app.example"]]);
    const failed = slackMessage({ event: "deployment.failed", repository: REPO, run: null, deployment: { ...deployment, state: "failure", environmentUrl: null } });
    assert.equal((failed.blocks[0] as any).text.text, ":x: Deployment to production failed");
    assert.equal(fieldsOf(failed.blocks).Branch, "main");
    assert.equal(failed.blocks.some((b) => b.type === "actions"), false);
  });

  void it("an approval request carries the one-time approve and reject links", () => {
    const facts: NotifyFacts = { event: "approval.requested", repository: REPO, run: { ...RUN, status: "in_progress", conclusion: null }, approval: { reviewId: 3, environment: "production", requestedAt: RUN.startedAt as string, reviewers: [{ type: "User", name: "carol" }, { type: "Team", name: "ops" }], waitTimerMinutes: 5, jobs: ["deploy"] } };
    const m = slackMessage(facts, { approve: "http://ci.example/#/approve/slwa_a", reject: "http://ci.example/#/approve/slwa_r" });
    assert.equal((m.blocks[0] as any).text.text, ":hourglass_flowing_sand: Approval needed: production");
    const f = fieldsOf(m.blocks);
    assert.equal(f.Reviewers, "carol, @ops");
    assert.equal(f.Jobs, "deploy");
    assert.equal(f["Wait timer"], "5 min");
    const buttons = (m.blocks.find((b) => b.type === "actions") as any).elements;
    assert.deepEqual(buttons.map((b: any) => [b.text.text, b.url, b.style]), [["Approve", "http://ci.example/#/approve/slwa_a", "primary"], ["Reject", "http://ci.example/#/approve/slwa_r", "danger"], ["View run", RUN.htmlUrl, undefined]]);
    assert.equal(m.blocks.at(-1)?.type, "context");
  });
});

void describe("the generic webhook body", () => {
  void it("has the delivery id, the event, the repository and the run", () => {
    const body = webhookBody({ event: "run.fixed", repository: REPO, run: { ...RUN, conclusion: "success" }, previousConclusion: "failure" }, { id: "d-1", createdAt: "2026-01-01T10:02:00.000Z" });
    assert.deepEqual(body, {
      id: "d-1", event: "run.fixed", created_at: "2026-01-01T10:02:00.000Z", repository: { full_name: "acme/app", html_url: REPO.htmlUrl },
      run: { id: 12, run_number: 7, run_attempt: 1, workflow: { name: "CI <main>", path: ".github/workflows/ci.yml" }, event: "push", head_branch: "main", ref: "refs/heads/main", head_sha: RUN.sha, actor: "alice", status: "completed", conclusion: "success", started_at: RUN.startedAt, finished_at: RUN.finishedAt, duration_seconds: 65, html_url: RUN.htmlUrl, url: RUN.url },
      previous_conclusion: "failure",
    });
  });

  void it("is signed so a receiver can check it with the channel's secret", () => {
    const body = JSON.stringify({ id: "d-2", event: "run.failed" });
    const h = deliveryHeaders({ event: "run.failed", guid: "d-2", body }, "s3cret");
    assert.equal(h["x-slipway-signature-256"], `sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    assert.equal(h["x-slipway-event"], "run.failed");
    assert.equal(h["x-slipway-delivery"], "d-2");
    assert.equal(deliveryHeaders({ event: "run.failed", guid: "d-2", body }, null)["x-slipway-signature-256"], undefined);
  });
});

void describe("rules", () => {
  const rules = [
    { channel: "all", events: ["run.failed"] },
    { channel: "main-only", events: ["run.failed", "run.fixed"], branches: ["main", "release/**", "!release/old"] },
    { channel: "deploys", events: ["run.failed"], workflows: ["deploy.yml"] },
    { channel: "ALL", events: ["run.failed", "run.fixed"] },
  ];
  void it("match on event, branch patterns and workflow file, each channel once", () => {
    assert.deepEqual(matchingChannels(rules, { event: "run.failed", branch: "main", workflowFile: ".github/workflows/ci.yml" }), ["all", "main-only"]);
    assert.deepEqual(matchingChannels(rules, { event: "run.failed", branch: "release/v1/x", workflowFile: ".github/workflows/deploy.yml" }), ["all", "main-only", "deploys"]);
    assert.deepEqual(matchingChannels(rules, { event: "run.failed", branch: "release/old", workflowFile: ".github/workflows/ci.yml" }), ["all"]);
    assert.deepEqual(matchingChannels(rules, { event: "run.fixed", branch: null, workflowFile: ".github/workflows/ci.yml" }), ["ALL"]);
    assert.deepEqual(matchingChannels(rules, { event: "deployment.started", branch: "main", workflowFile: null }), []);
  });

  void it("a run's branch: the branch of refs/heads, a pull request's head, none for a tag", () => {
    assert.equal(branchOf("refs/heads/feature/x"), "feature/x");
    assert.equal(branchOf("refs/pull/3/merge", "topic"), "topic");
    assert.equal(branchOf("refs/tags/v1"), null);
    assert.equal(branchOf("main"), "main");
  });
});

void describe("retries", () => {
  const o = { backoffBaseMs: 1000, backoffCapMs: 600_000, maxAttempts: 25, maxAgeMs: 24 * 3600_000 };
  void it("double from the base up to the cap", () => {
    assert.deepEqual([1, 2, 3, 4, 10, 11, 30].map((n) => retryDelayMs(n, o)), [1000, 2000, 4000, 8000, 512_000, 600_000, 600_000]);
  });

  void it("stop after the last attempt or once the delivery is too old, and honour Retry-After", () => {
    const now = Date.parse("2026-01-01T12:00:00.000Z");
    assert.equal(nextAttemptAt({ attempts: 3, createdAt: "2026-01-01T11:59:00.000Z", now, retryAfterMs: null }, o), now + 4000);
    assert.equal(nextAttemptAt({ attempts: 1, createdAt: "2026-01-01T11:59:00.000Z", now, retryAfterMs: 30_000 }, o), now + 30_000);
    assert.equal(nextAttemptAt({ attempts: 25, createdAt: "2026-01-01T11:59:00.000Z", now, retryAfterMs: null }, o), null);
    assert.equal(nextAttemptAt({ attempts: 3, createdAt: "2025-12-31T12:00:00.000Z", now, retryAfterMs: null }, o), null);
  });
});

void describe("hiding channel URLs", () => {
  void it("keeps scheme and host only, also inside error messages", () => {
    const url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    assert.equal(maskUrl(url), "https://hooks.slack.com/***");
    assert.equal(withoutUrl(`request to ${url} failed`, url), "request to https://hooks.slack.com/*** failed");
    assert.equal(withoutUrl("bad path /services/T000/B000/XXXXSECRET", url), "bad path /***");
  });

  void it("writes durations for people", () => {
    assert.deepEqual([0, 45_000, 65_000, 7_380_000, null].map(humanDuration), ["0s", "45s", "1m 5s", "2h 3m", "—"]);
  });
});
