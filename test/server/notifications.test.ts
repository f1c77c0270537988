/**
 * Notifications end to end: a real server, real Git repositories and runs triggered by signed push
 * webhooks, and a recording HTTP receiver on 127.0.0.1 standing in for Slack and a generic webhook.
 * Covers the documented message shapes, signatures, run.failed / run.fixed, retries while the receiver
 * is down, a SIGKILL with deliveries pending and in flight, `.slipway.yml` rules, and one-time
 * approval links.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { commitAll, gitRepo } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const REPO = "acme/app";
const NOTIFY = `/api/slipway/repos/${REPO}/notifications`;
const ENV = { SLIPWAY_NOTIFY_BACKOFF_MS: "50", SLIPWAY_NOTIFY_BACKOFF_CAP_MS: "300", SLIPWAY_NOTIFY_MAX_ATTEMPTS: "1000" };
const SLACK_PATH = "/slack/T000/B000/slack-url-token";
const HOOK_SECRET = "hook-signing-secret";

/** Fails when the pushed commit's message starts with "fail". */
const CI = `name: CI
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: case "$MSG" in fail*) exit 1;; esac
        env:
          MSG: \${{ github.event.head_commit.message }}
`;

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** What the recorder answered; 0 while it holds the request open. */
  status: number;
}

/** Answers by path prefix: a status code, or "hang" to hold the request open. */
type Mode = (path: string) => number | "hang";

/** The recording receiver: every request with what it was answered; can stop listening and come back on its port. */
class Recorder {
  hits: Hit[] = [];
  mode: Mode = () => 200;
  private server: Server | null = null;
  port = 0;

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => this.answer(req.url ?? "/", req.headers, body, res));
    });
    await new Promise<void>((ok, fail) => server.once("error", fail).listen(this.port, "127.0.0.1", () => ok()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  /** Requests answered 2xx, for a path prefix and an event. */
  acked(prefix: string, event?: string): Hit[] {
    return this.hits.filter((h) => h.path.startsWith(prefix) && h.status >= 200 && h.status < 300 && (event === undefined || h.headers["x-slipway-event"] === event));
  }

  private answer(p: string, headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    let json: any = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    const hit: Hit = { path: p, headers, body, json, status: 0 };
    this.hits.push(hit);
    const m = this.mode(p);
    if (m === "hang") return;
    hit.status = m;
    res.writeHead(m, { "content-type": "text/plain" }).end(m >= 300 ? "receiver is down" : "ok");
  }
}

/** Every delivery id was acknowledged exactly once, however often it was tried. */
function assertEachOnce(rec: Recorder): void {
  const acks = new Map<string, number>();
  for (const h of rec.hits) if (h.status >= 200 && h.status < 300) acks.set(String(h.headers["x-slipway-delivery"]), (acks.get(String(h.headers["x-slipway-delivery"])) ?? 0) + 1);
  const ids = new Set(rec.hits.map((h) => String(h.headers["x-slipway-delivery"])));
  for (const id of ids) assert.equal(acks.get(id), 1, `delivery ${id} acknowledged ${acks.get(id) ?? 0} times`);
}

const rev = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
const fieldsOf = (blocks: any[]) => Object.fromEntries(blocks.find((b) => b.fields).fields.map((f: any) => (f.text as string).split("\n")).map(([k, v]: string[]) => [k?.replace(/\*/g, ""), v]));
const hmac = (body: string, secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A repository whose CI passes or fails by the commit message, pushed to the server by webhook. */
class Pusher {
  private before: string;
  private n = 0;
  runs = 0;

  constructor(private readonly server: () => TestServer, readonly dir: string) {
    this.before = rev(dir);
  }

  async push(result: "pass" | "fail", files: Record<string, string> = {}): Promise<{ sha: string; runs: any[] }> {
    writeFileSync(path.join(this.dir, "result.txt"), result);
    for (const [f, content] of Object.entries(files)) writeFileSync(path.join(this.dir, f), content);
    const message = `${result} ${++this.n}`;
    commitAll(this.dir, "main", message);
    const after = rev(this.dir);
    const res = await sendHook(this.server(), pushDelivery(REPO, { before: this.before, after, message, deliveryId: `push-${after}`, sender: "alice" }, "hook-secret"));
    assert.equal(res.status, 202, await res.text());
    this.before = after;
    this.runs++;
    return { sha: after, runs: await settledRuns(this.server(), REPO, this.runs) };
  }
}

async function addUser(s: TestServer, name: string, role: string): Promise<string> {
  return (await s.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name, roles: [{ repo: REPO, role }] }) })).token as string;
}

async function deliveries(s: TestServer, channel: string): Promise<any[]> {
  return (await s.json(`${NOTIFY}/channels/${channel}/deliveries?per_page=100`)).deliveries as any[];
}

async function setUpChannels(s: TestServer, rec: Recorder): Promise<void> {
  await s.json(`${NOTIFY}/channels`, { method: "POST", body: JSON.stringify({ name: "team-slack", kind: "slack", url: rec.url(SLACK_PATH) }) });
  await s.json(`${NOTIFY}/channels`, { method: "POST", body: JSON.stringify({ name: "ci-hook", kind: "webhook", url: rec.url("/hook"), secret: HOOK_SECRET }) });
  await s.json(`${NOTIFY}/rules`, { method: "PUT", body: JSON.stringify({ rules: [{ channel: "team-slack", events: ["run.failed", "run.fixed"] }, { channel: "ci-hook", events: ["run.failed", "run.fixed"], branches: ["main"] }] }) });
}

void describe("notifications from runs", () => {
  let server: TestServer;
  let repo: Pusher;
  const rec = new Recorder();
  const tokens: Record<string, string> = {};

  before(async () => {
    await rec.up();
    server = await startTestServer({ env: ENV });
    repo = new Pusher(() => server, gitRepo({ ".github/workflows/ci.yml": CI, "result.txt": "pass" }));
    await registerRepo(server, REPO, repo.dir);
    tokens.dev = await addUser(server, "dev", "developer");
    tokens.vic = await addUser(server, "vic", "viewer");
    await setUpChannels(server, rec);
  });
  after(async () => {
    await server?.stop();
    await rec.down();
  });

  void it("keeps channel URLs and secrets write-only, out of the audit log, and checks roles and rules", async () => {
    const listed = await server.json(`${NOTIFY}/channels`, { token: tokens.vic });
    assert.deepEqual(listed.channels.map((c: any) => [c.name, c.kind, c.url, c.has_secret]), [["ci-hook", "webhook", `http://127.0.0.1:${rec.port}/***`, true], ["team-slack", "slack", `http://127.0.0.1:${rec.port}/***`, false]]);
    const refused = await server.api(`${NOTIFY}/channels`, { method: "POST", token: tokens.dev, body: JSON.stringify({ name: "x", kind: "slack", url: rec.url("/x") }) });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).message, /Must have maintainer role on acme\/app \(you have developer\)/);
    assert.equal((await server.api(`${NOTIFY}/rules`, { method: "PUT", token: tokens.vic, body: "{}" })).status, 403);
    const bad = await server.api(`${NOTIFY}/rules`, { method: "PUT", body: JSON.stringify({ rules: [{ channel: "nope", events: ["run.failed"] }, { channel: "ci-hook", events: ["run.exploded"] }] }) });
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).message, /rules\[0\]\.channel: rule names channel 'nope', which is not defined; rules\[1\]\.events: unknown event 'run.exploded'/);
    const audit = await server.json(`/api/slipway/repos/${REPO}/audit`);
    const actions = (audit.entries ?? audit) as any[];
    assert.deepEqual(actions.map((e) => e.action).filter((a: string) => a.startsWith("notification.")).sort(), ["notification.channel.create", "notification.channel.create", "notification.rules.update"]);
    const text = JSON.stringify(audit) + JSON.stringify(listed);
    assert.ok(!text.includes("slack-url-token") && !text.includes(HOOK_SECRET), "no channel URL token or secret in answers or the audit log");
  });

  void it("sends a failed run to Slack as documented and to the webhook with a verifiable signature", async () => {
    const { sha, runs } = await repo.push("fail");
    const [slack] = await waitFor("run.failed in Slack", async () => rec.acked(SLACK_PATH, "run.failed").length ? rec.acked(SLACK_PATH, "run.failed") : null);
    const [hook] = await waitFor("run.failed at the webhook", async () => rec.acked("/hook", "run.failed").length ? rec.acked("/hook", "run.failed") : null);
    const run = runs[0];
    assert.equal(run.conclusion, "failure");
    const m = slack?.json;
    assert.equal(m.text, `acme/app: CI failed on main (${sha.slice(0, 7)})`);
    assert.deepEqual(m.blocks.map((b: any) => b.type), ["header", "section", "section", "actions"]);
    assert.equal(m.blocks[0].text.text, ":x: CI failed");
    const f = fieldsOf(m.blocks);
    assert.deepEqual([f.Repository, f.Workflow, f.Branch, f.Commit, f.Actor, f.Result], [`<${server.url}/#/repos/acme/app|acme/app>`, "CI", "main", `\`${sha.slice(0, 7)}\``, "alice", "failure"]);
    assert.match(f.Duration, /^\d+s$|^\d+m \d+s$/);
    assert.equal(m.blocks[3].elements[0].url, `${server.url}/#/repos/acme/app/runs/${run.id}`);

    const body = hook?.body as string;
    assert.equal(hook?.headers["x-slipway-signature-256"], hmac(body, HOOK_SECRET));
    assert.equal(hook?.headers["x-slipway-event"], "run.failed");
    assert.equal(hook?.headers["content-type"], "application/json");
    const j = JSON.parse(body);
    assert.equal(j.id, hook?.headers["x-slipway-delivery"]);
    assert.deepEqual([j.event, j.repository.full_name, j.run.id, j.run.head_sha, j.run.head_branch, j.run.conclusion, j.run.actor, j.run.workflow.path], ["run.failed", REPO, run.id, sha, "main", "failure", "alice", ".github/workflows/ci.yml"]);
  });

  void it("sends run.fixed for the next success, and nothing for a success after a success", async () => {
    await repo.push("pass");
    await waitFor("run.fixed to both", async () => rec.acked(SLACK_PATH, "run.fixed").length === 1 && rec.acked("/hook", "run.fixed").length === 1);
    const fixed = rec.acked(SLACK_PATH, "run.fixed")[0]?.json;
    assert.equal(fixed.blocks[0].text.text, ":white_check_mark: CI is fixed");
    assert.equal(JSON.parse(rec.acked("/hook", "run.fixed")[0]?.body as string).previous_conclusion, "failure");
    await repo.push("pass");
    await repo.push("fail");
    // The failure after it arrives; the success before it sent nothing.
    await waitFor("the second run.failed", async () => rec.acked(SLACK_PATH, "run.failed").length === 2 && rec.acked("/hook", "run.failed").length === 2);
    assert.equal(rec.acked(SLACK_PATH, "run.fixed").length, 1);
    assert.equal(rec.acked("/hook", "run.fixed").length, 1);
  });

  void it("delivers every event exactly once after the receiver answered 500 and then stopped listening", async () => {
    rec.mode = () => 500;
    await repo.push("fail");
    const failed = await waitFor("two 500s in the log", async () => {
      const d = (await deliveries(server, "ci-hook")).find((x) => x.status === "pending" && x.event === "run.failed");
      return d && d.history.filter((a: any) => a.response_code === 500).length >= 2 ? d : null;
    });
    assert.equal(failed.response_code, 500);
    assert.equal(failed.error, "HTTP 500: receiver is down");
    await rec.down();
    await repo.push("pass");
    const refused = await waitFor("a refused attempt in the log", async () => {
      const d = (await deliveries(server, "ci-hook")).find((x) => x.event === "run.fixed" && x.status === "pending");
      return d && d.history.some((a: any) => a.response_code === null) ? d : null;
    });
    assert.match(refused.history.find((a: any) => a.response_code === null).error, /ECONNREFUSED|fetch failed/);
    rec.mode = () => 200;
    await rec.up();
    await waitFor("everything delivered", async () => {
      const all = [...(await deliveries(server, "ci-hook")), ...(await deliveries(server, "team-slack"))];
      return all.every((d) => d.status === "delivered") ? all : null;
    });
    const log = await deliveries(server, "ci-hook");
    const again = log.find((d) => d.id === failed.id);
    assert.deepEqual([again.status, again.response_code, again.history.at(-1).response_code], ["delivered", 200, 200]);
    assert.ok(again.history.slice(0, -1).every((a: any) => a.response_code === 500 || a.response_code === null), JSON.stringify(again.history));
    assert.equal(rec.acked(SLACK_PATH, "run.failed").length, 3);
    assert.equal(rec.acked("/hook", "run.fixed").length, 2);
    assertEachOnce(rec);
  });

  void it("follows a rule the commit's .slipway.yml declares, with the URL and signing secret from repository secrets", async () => {
    await server.json(`/api/slipway/repos/${REPO}/secrets/TEAM_HOOK`, { method: "PUT", body: JSON.stringify({ value: rec.url("/team/hook-url-token") }) });
    await server.json(`/api/slipway/repos/${REPO}/secrets/TEAM_SECRET`, { method: "PUT", body: JSON.stringify({ value: "team-secret" }) });
    const config = `notifications:
  channels:
    team: { kind: webhook, url_secret: TEAM_HOOK, signing_secret: TEAM_SECRET }
  rules:
    - { channel: team, events: [run.failed], workflows: [ci.yml] }
`;
    const { runs } = await repo.push("fail", { ".slipway.yml": config });
    const [hit] = await waitFor("the .slipway.yml channel", async () => (rec.acked("/team/").length ? rec.acked("/team/") : null));
    assert.equal(hit?.headers["x-slipway-signature-256"], hmac(hit?.body as string, "team-secret"));
    assert.equal(hit?.json.run.id, runs[0].id);
    const [d] = await deliveries(server, "team");
    assert.deepEqual([d.source, d.status, d.event, d.response_code], ["config", "delivered", "run.failed", 200]);
    assertEachOnce(rec);
  });
});

void describe("notifications across a SIGKILL", () => {
  let server: TestServer;
  const rec = new Recorder();
  after(async () => {
    await server?.stop();
    await rec.down();
  });

  void it("sends the pending and the in-flight deliveries after a restart, each acknowledged once", async () => {
    await rec.up();
    // Slack holds the request open (in flight at the kill); the webhook answers 500 (pending, backing off).
    rec.mode = (p) => (p.startsWith("/slack") ? "hang" : 500);
    server = await startTestServer({ env: ENV });
    const dataDir = server.dataDir;
    const repo = new Pusher(() => server, gitRepo({ ".github/workflows/ci.yml": CI, "result.txt": "pass" }));
    await registerRepo(server, REPO, repo.dir);
    await setUpChannels(server, rec);
    await repo.push("fail");
    await waitFor("an open Slack request and a failed webhook attempt in the log", async () => rec.hits.some((h) => h.path.startsWith("/slack")) && (await deliveries(server, "ci-hook")).some((d) => d.status === "pending" && d.response_code === 500));
    await server.kill();
    rec.mode = () => 200;
    server = await startTestServer({ dataDir, env: ENV });
    await waitFor("both delivered after the restart", async () => rec.acked(SLACK_PATH, "run.failed").length === 1 && rec.acked("/hook", "run.failed").length === 1);
    const [hook] = await deliveries(server, "ci-hook");
    assert.equal(hook.status, "delivered");
    assert.ok(hook.history.some((a: any) => a.response_code === 500) && hook.history.at(-1).response_code === 200, JSON.stringify(hook.history));
    const [slack] = await deliveries(server, "team-slack");
    assert.equal(slack.status, "delivered");
    // The Slack attempt cut short by the kill got no answer: the same delivery was sent again.
    const slackIds = rec.hits.filter((h) => h.path.startsWith("/slack")).map((h) => h.headers["x-slipway-delivery"]);
    assert.ok(slackIds.length >= 2 && slackIds.every((id) => id === slack.id), JSON.stringify(slackIds));
    assertEachOnce(rec);
  });
});

const DEPLOY = `name: Deploy
on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo deploying
`;

void describe("one-time approval links", () => {
  let server: TestServer;
  const rec = new Recorder();
  const tokens: Record<string, string> = {};
  before(async () => {
    await rec.up();
    server = await startTestServer({ env: ENV });
    const dir = gitRepo({ ".github/workflows/deploy.yml": DEPLOY });
    await registerRepo(server, REPO, dir);
    tokens.carol = await addUser(server, "carol", "developer");
    tokens.dave = await addUser(server, "dave", "developer");
    await server.json(`/api/v3/repos/${REPO}/environments/production`, { method: "PUT", body: JSON.stringify({ reviewers: [{ type: "User", name: "carol" }] }) });
    await server.json(`${NOTIFY}/channels`, { method: "POST", body: JSON.stringify({ name: "team-slack", kind: "slack", url: rec.url(SLACK_PATH) }) });
    await server.json(`${NOTIFY}/rules`, { method: "PUT", body: JSON.stringify({ rules: [{ channel: "team-slack", events: ["approval.requested", "deployment.started", "deployment.succeeded"] }] }) });
  });
  after(async () => {
    await server?.stop();
    await rec.down();
  });

  void it("lets a reviewer decide once; refuses a non-reviewer without burning the link, and a second use", async () => {
    const res = await server.api(`/api/v3/repos/${REPO}/actions/workflows/deploy.yml/dispatches`, { method: "POST", body: JSON.stringify({ ref: "main" }), token: tokens.dave });
    assert.equal(res.status, 204, await res.text());
    const [msg] = await waitFor("the approval request in Slack", async () => (rec.acked(SLACK_PATH, "approval.requested").length ? rec.acked(SLACK_PATH, "approval.requested") : null));
    const m = msg?.json;
    assert.equal(m.blocks[0].text.text, ":hourglass_flowing_sand: Approval needed: production");
    assert.equal(fieldsOf(m.blocks).Reviewers, "carol");
    const buttons = m.blocks.find((b: any) => b.type === "actions").elements;
    const link = (name: string) => buttons.find((b: any) => b.text.text === name).url as string;
    assert.match(link("Approve"), new RegExp(`^${server.url.replace(/[.]/g, "\\.")}/#/approve/slwa_`));
    const approve = `/api/slipway/approval-links/${link("Approve").split("/approve/")[1]}`;
    const reject = `/api/slipway/approval-links/${link("Reject").split("/approve/")[1]}`;

    const about = await server.json(approve, { token: tokens.carol });
    assert.deepEqual([about.repo, about.environment, about.decision, about.used, about.review_state, about.actor], [REPO, "production", "approve", false, "waiting", "dave"]);
    const wrong = await server.api(approve, { method: "POST", token: tokens.carol, body: JSON.stringify({ decision: "reject" }) });
    assert.equal(wrong.status, 422);
    const notReviewer = await server.api(approve, { method: "POST", token: tokens.dave, body: JSON.stringify({ decision: "approve" }) });
    assert.equal(notReviewer.status, 403, await notReviewer.text());
    const ok = await server.api(approve, { method: "POST", token: tokens.carol, body: JSON.stringify({ decision: "approve", comment: "ship it" }) });
    const decided = await ok.text();
    assert.equal(ok.status, 200, decided);
    assert.deepEqual(JSON.parse(decided).reviews.map((r: any) => [r.environment, r.state, r.reviewer, r.comment]), [["production", "approved", "carol", "ship it"]]);

    const second = await server.api(approve, { method: "POST", token: tokens.carol, body: JSON.stringify({ decision: "approve" }) });
    assert.equal(second.status, 409);
    assert.match((await second.json()).message, /already used \(by carol\)/);
    assert.equal((await server.api(reject, { method: "POST", token: tokens.carol, body: JSON.stringify({ decision: "reject" }) })).status, 409);
    assert.equal((await server.json(approve, { token: tokens.carol })).used, true);

    const [run] = await settledRuns(server, REPO, 1);
    assert.equal(run.conclusion, "success");
    await waitFor("deployment messages", async () => rec.acked(SLACK_PATH, "deployment.started").length === 1 && rec.acked(SLACK_PATH, "deployment.succeeded").length === 1);
    assert.equal(rec.acked(SLACK_PATH, "deployment.succeeded")[0]?.json.blocks[0].text.text, ":white_check_mark: Deployed to production");
    assertEachOnce(rec);
  });
});
