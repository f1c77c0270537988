/**
 * A production deploy behind a reviewer, in Debian's Chromium against a real server: a push starts a
 * run whose `deploy` job waits for `production`; the run page shows "Waiting for review" with the
 * reviewer; signed in as that reviewer the test approves with a comment, and the job runs with the
 * environment's secret (its length printed, its value masked). On a second run the reviewer rejects,
 * and the job fails with the reason on the page. A Slack approval request's one-time link, opened signed
 * out, leads through sign-in to its page, refuses a non-reviewer, approves for the reviewer, and works
 * once. Writes docs/screenshots/review.png.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sodium from "libsodium-wrappers";
import type { Browser, Page } from "playwright-core";
import { noChromium, signedInPage } from "../helpers/browser.ts";
import { commitAll, gitRepo, ROOT } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const REPO = "acme/shop";
const KEY = "k3y-for-production-only";

const WORKFLOW = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "built"
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: production
      url: \${{ steps.ship.outputs.url }}
    steps:
      - id: ship
        run: |
          echo "len=\${#DEPLOY_KEY}"
          echo "key=$DEPLOY_KEY"
          echo "url=https://shop.example.com/v/\${{ github.run_id }}" >> "$GITHUB_OUTPUT"
        env:
          DEPLOY_KEY: \${{ secrets.DEPLOY_KEY }}
`;

const rev = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();

/** Signs in on the sign-in page the browser is on, and waits until it has left it. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.getByTestId("signin-token").fill(token);
  await page.getByTestId("signin-submit").click();
  await page.waitForURL((u) => !u.hash.startsWith("#/signin"));
}

/** Another browser context signed in with `token`. */
async function pageAs(browser: Browser, server: TestServer, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 880 } });
  await page.goto(`${server.url}/#/signin`);
  await signIn(page, token);
  return page;
}

/** A stand-in for Slack's incoming webhook: keeps every body it receives. */
async function slackRecorder(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      bodies.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/x`, bodies };
}

async function sealedSecret(server: TestServer, env: string, name: string, value: string): Promise<void> {
  await sodium.ready;
  const base = `/api/v3/repos/${REPO}/environments/${env}/secrets`;
  const key = await server.json(`${base}/public-key`);
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL));
  await server.json(`${base}/${name}`, { method: "PUT", body: JSON.stringify({ encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL), key_id: key.key_id }) });
}

void describe("deployment reviews in Chromium", { skip: noChromium }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Page;
  let carol: Page;
  let repo: string;
  let carolToken = "";
  let vicToken = "";
  let slack: Awaited<ReturnType<typeof slackRecorder>>;
  let pushes = 0;

  /** Pushes a new commit and returns the run it started, once its deploy job waits for review. */
  async function pushAndWait(): Promise<number> {
    const before = rev(repo);
    writeFileSync(path.join(repo, "VERSION"), String(++pushes));
    commitAll(repo, "main", `release ${pushes}`);
    const res = await sendHook(server, pushDelivery(REPO, { before, after: rev(repo), deliveryId: `approvals-${pushes}` }, "hook-secret"));
    assert.equal(res.status, 202);
    const run = await waitFor("the new run", async () => (await server.json(`/api/v3/repos/${REPO}/actions/runs?head_sha=${rev(repo)}`)).workflow_runs[0], 20_000);
    await waitFor("the deploy job to wait for review", async () => (await server.json(`/api/v3/repos/${REPO}/actions/runs/${run.id}/pending_deployments`)).length > 0, 20_000);
    return run.id;
  }

  async function deployJob(runId: number): Promise<any> {
    return (await server.json(`/api/v3/repos/${REPO}/actions/runs/${runId}/jobs`)).jobs.find((j: any) => j.name === "deploy");
  }

  before(async () => {
    repo = gitRepo({ ".github/workflows/release.yml": WORKFLOW });
    slack = await slackRecorder();
    server = await startTestServer({ args: ["--parallel", "2"] });
    await registerRepo(server, REPO, repo);
    const addUser = async (name: string, role: string): Promise<string> =>
      (await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name, roles: [{ repo: REPO, role }] }) })).token;
    carolToken = await addUser("carol", "developer");
    vicToken = await addUser("vic", "viewer");
    await server.json(`/api/v3/repos/${REPO}/environments/production`, { method: "PUT", body: JSON.stringify({ reviewers: [{ type: "User", name: "carol" }] }) });
    await sealedSecret(server, "production", "DEPLOY_KEY", KEY);
    ({ browser, page: admin } = await signedInPage(server));
    carol = await pageAs(browser, server, carolToken);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    slack?.server.close();
  });

  void it("holds the deploy job for review, and runs it with the environment's secret once the reviewer approves", async () => {
    const runId = await pushAndWait();
    // The administrator's view: the panel names the environment and its reviewer; the job is drawn waiting.
    await admin.goto(`${server.url}/#/repos/${REPO}/runs/${runId}`);
    const panel = admin.locator('[data-testid=review-panel][data-environment="production"]');
    await panel.waitFor({ timeout: 15_000 });
    assert.equal(await panel.getAttribute("data-state"), "waiting");
    assert.match(await panel.innerText(), /Waiting for review/);
    assert.deepEqual(await panel.getByTestId("review-reviewers").locator("[data-reviewer]").evaluateAll((els) => els.map((e) => e.getAttribute("data-reviewer"))), ["carol"]);
    const node = admin.locator('[data-testid=graph-node][data-job="deploy"]');
    await waitFor("the deploy node to show waiting", async () => (await node.getAttribute("data-state")) === "waiting", 10_000);
    assert.equal(await node.getByTestId("graph-env").getAttribute("data-environment"), "production");
    assert.equal((await deployJob(runId)).status, "waiting", "nothing ran before the approval");

    await carol.goto(`${server.url}/#/repos/${REPO}/runs/${runId}`);
    const mine = carol.locator('[data-testid=review-panel][data-environment="production"]');
    await mine.waitFor({ timeout: 15_000 });
    await mine.getByTestId("review-comment").fill("Ship it: release notes checked");
    await carol.screenshot({ path: path.join(ROOT, "docs/screenshots/review.png"), fullPage: true });
    assert.equal(await mine.getByTestId("review-approve").isEnabled(), true, "carol may approve");
    await mine.getByTestId("review-approve").click();

    const decision = carol.locator('[data-testid=review-decision][data-state="approved"]');
    await decision.waitFor({ timeout: 15_000 });
    assert.match(await decision.innerText(), /Approved by carol/);
    assert.equal(await carol.getByTestId("review-decision-comment").innerText(), "Ship it: release notes checked");

    const run = await waitFor("the run to finish", async () => {
      const r = await server.json(`/api/v3/repos/${REPO}/actions/runs/${runId}`);
      return r.status === "completed" ? r : null;
    }, 30_000);
    assert.equal(run.conclusion, "success");
    const log = await (await server.api(`/api/v3/repos/${REPO}/actions/jobs/${(await deployJob(runId)).id}/logs`)).text();
    assert.match(log, new RegExp(`len=${KEY.length}\\b`), "the environment's secret reached the approved job");
    assert.match(log, /key=\*\*\*/);
    assert.ok(!log.includes(KEY), "the secret's value is masked in the log");

    // The deployment's url, evaluated from the step's output, is a link on the run page and in the graph.
    const url = `https://shop.example.com/v/${runId}`;
    const link = carol.getByTestId("deployment-url");
    await link.waitFor({ timeout: 15_000 });
    assert.equal(await link.getAttribute("href"), url);
    assert.equal(await carol.locator('[data-testid=graph-node][data-job="deploy"]').getByTestId("graph-env").getAttribute("data-url"), url);
    assert.ok(!(await carol.content()).includes(KEY));
  });

  void it("fails the deploy job when the reviewer rejects, with the reason on the page", async () => {
    const runId = await pushAndWait();
    await carol.goto(`${server.url}/#/repos/${REPO}/runs/${runId}`);
    const panel = carol.locator('[data-testid=review-panel][data-environment="production"]');
    await panel.waitFor({ timeout: 15_000 });
    await panel.getByTestId("review-comment").fill("Not during the freeze");
    await panel.getByTestId("review-reject").click();
    const decision = carol.locator('[data-testid=review-decision][data-state="rejected"]');
    await decision.waitFor({ timeout: 15_000 });
    assert.match(await decision.innerText(), /Rejected by carol/);
    assert.equal(await carol.getByTestId("review-decision-comment").innerText(), "Not during the freeze");
    await waitFor("the page to show the run failed", async () => (await carol.getByTestId("run-status").getAttribute("data-conclusion")) === "failure", 20_000);
    const job = await deployJob(runId);
    assert.equal(job.conclusion, "failure");
    // The job's log carries the reason, and the job page shows it.
    await carol.goto(`${server.url}/#/repos/${REPO}/runs/${runId}/jobs/${job.id}`);
    const viewer = carol.getByTestId("log-viewer");
    await viewer.getByText(/rejected/i).first().waitFor({ timeout: 15_000 });
    await viewer.getByText(/Not during the freeze/).first().waitFor({ timeout: 5_000 });
    const log = await (await server.api(`/api/v3/repos/${REPO}/actions/jobs/${job.id}/logs`)).text();
    assert.doesNotMatch(log, /len=/, "a rejected job never ran its steps");
  });

  void it("approves through a Slack message's one-time link, after signing in, once", async () => {
    await server.json(`/api/slipway/repos/${REPO}/notifications/channels`, { method: "POST", body: JSON.stringify({ name: "ops-slack", kind: "slack", url: slack.url }) });
    await server.json(`/api/slipway/repos/${REPO}/notifications/rules`, { method: "PUT", body: JSON.stringify({ rules: [{ channel: "ops-slack", events: ["approval.requested"] }] }) });
    const runId = await pushAndWait();
    const message = await waitFor("the approval request in Slack", async () => slack.bodies.find((b) => b.includes(`/runs/${runId}`) && b.includes("/approve/")), 20_000);
    const tokens = [...message.matchAll(/\/approve\/(slwa_[A-Za-z0-9_-]+)/g)].map((m) => m[1] as string);
    const decisions = await Promise.all(tokens.map(async (t) => (await server.json(`/api/slipway/approval-links/${t}`, { token: carolToken })).decision));
    const approveToken = tokens[decisions.indexOf("approve")];
    assert.ok(approveToken, `an approve link in ${message}`);
    const link = `${server.url}/#/approve/${approveToken}`;

    // Someone who is not a reviewer is refused, and the link still works afterwards.
    const vic = await browser.newPage();
    await vic.goto(link);
    await vic.waitForURL((u) => u.hash === "#/signin");
    await signIn(vic, vicToken);
    await vic.waitForURL((u) => u.hash === `#/approve/${approveToken}`);
    await vic.getByTestId("approve-link-approve").click();
    assert.match(await vic.getByTestId("approve-link-error").innerText(), /reviewer|carol/i);
    await vic.close();

    // Signed out, the link leads through sign-in and back to its page.
    const page = await browser.newPage();
    await page.goto(link);
    await page.waitForURL((u) => u.hash === "#/signin");
    await signIn(page, carolToken);
    await page.waitForURL((u) => u.hash === `#/approve/${approveToken}`);
    assert.equal(await page.getByTestId("approve-link-environment").innerText(), "production");
    assert.equal(await page.getByTestId("approve-link-reject").count(), 0, "an approve link only approves");
    await page.getByTestId("approve-link-comment").fill("approved from Slack");
    await page.getByTestId("approve-link-approve").click();
    const result = page.getByTestId("approve-link-result");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-state"), "approved");
    const run = await waitFor("the approved run to finish", async () => {
      const r = await server.json(`/api/v3/repos/${REPO}/actions/runs/${runId}`);
      return r.status === "completed" ? r : null;
    }, 30_000);
    assert.equal(run.conclusion, "success");
    const approvals = await server.json(`/api/v3/repos/${REPO}/actions/runs/${runId}/approvals`);
    assert.deepEqual(approvals.map((a: any) => [a.state, a.user.login, a.comment]), [["approved", "carol", "approved from Slack"]]);

    // The link works once.
    await page.reload();
    const error = page.getByTestId("approve-link-error");
    await error.waitFor();
    assert.match(await error.innerText(), /already used|no longer waiting/);
    assert.equal(await page.getByTestId("approve-link-approve").count(), 0);
    await page.close();
  });
});
