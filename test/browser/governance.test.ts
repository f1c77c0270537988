/**
 * The governance pages in Debian's Chromium against a real server: the environments page creates an
 * environment with a reviewer, a branch pattern and a secret (whose value never comes back); a viewer
 * finds the form disabled and, forcing it, sees the server's refusal; the deployments page shows each
 * environment's current version and its history after deploys; the audit log lists the environment
 * change and filters by action; the notifications page adds a signed webhook channel and a rule, and
 * its delivery log shows each attempt's response code. Writes docs/screenshots/deployments.png.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { noChromium, signedInPage } from "../helpers/browser.ts";
import { commitAll, gitRepo, ROOT } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const REPO = "acme/web";
const SECRET = "pr0d-only-v4lue";

const WORKFLOW = `name: Ship
on: push
jobs:
  staging:
    runs-on: ubuntu-latest
    environment:
      name: staging
      url: https://staging.example.com
    steps:
      - run: echo "to staging"
  production:
    needs: staging
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://www.example.com
    steps:
      - run: echo "to production"
`;

const rev = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();

async function pageAs(browser: Browser, server: TestServer, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 880 } });
  await page.goto(`${server.url}/#/signin`);
  await page.getByTestId("signin-token").fill(token);
  await page.getByTestId("signin-submit").click();
  await page.waitForURL((u) => !u.hash.startsWith("#/signin"));
  return page;
}

/** A webhook receiver that refuses its first delivery (503) and takes the rest. */
async function flakyReceiver(): Promise<{ server: Server; url: string; events: string[] }> {
  const events: string[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (++calls === 1) {
        res.statusCode = 503;
        return void res.end("busy");
      }
      events.push(String(JSON.parse(body).event ?? ""));
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events };
}

void describe("governance pages in Chromium", { skip: noChromium }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let repo: string;
  let daveToken = "";
  let vicToken = "";
  let pushes = 0;
  let receiver: Awaited<ReturnType<typeof flakyReceiver>>;

  const addUser = async (name: string, role: string): Promise<string> =>
    (await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name, roles: [{ repo: REPO, role }] }) })).token;

  /** Pushes a commit; once production waits, dave decides; returns the finished run. */
  async function deploy(state: "approved" | "rejected"): Promise<any> {
    const before = rev(repo);
    writeFileSync(path.join(repo, "VERSION"), String(++pushes));
    commitAll(repo, "main", `release ${pushes}`);
    const sha = rev(repo);
    assert.equal((await sendHook(server, pushDelivery(REPO, { before, after: sha, deliveryId: `gov-${pushes}`, sender: "alice" }, "hook-secret"))).status, 202);
    const run = await waitFor("the run", async () => (await server.json(`/api/v3/repos/${REPO}/actions/runs?head_sha=${sha}`)).workflow_runs[0], 20_000);
    const pending = await waitFor("production to wait", async () => {
      const list = await server.json(`/api/v3/repos/${REPO}/actions/runs/${run.id}/pending_deployments`);
      return list.length ? list : null;
    }, 20_000);
    await server.json(`/api/v3/repos/${REPO}/actions/runs/${run.id}/pending_deployments`, {
      method: "POST",
      token: daveToken,
      body: JSON.stringify({ environment_ids: [pending[0].environment.id], state, comment: state === "approved" ? "go" : "hold" }),
    });
    return waitFor("the run to finish", async () => {
      const r = await server.json(`/api/v3/repos/${REPO}/actions/runs/${run.id}`);
      return r.status === "completed" ? r : null;
    }, 30_000);
  }

  before(async () => {
    repo = gitRepo({ ".github/workflows/ship.yml": WORKFLOW });
    receiver = await flakyReceiver();
    server = await startTestServer({ args: ["--parallel", "2"], env: { SLIPWAY_NOTIFY_BACKOFF_MS: "200" } });
    await registerRepo(server, REPO, repo);
    daveToken = await addUser("dave", "developer");
    vicToken = await addUser("vic", "viewer");
    ({ browser, page } = await signedInPage(server));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    receiver?.server.close();
  });

  void it("creates an environment with a reviewer, a branch pattern and a write-only secret", async () => {
    await page.goto(`${server.url}/#/repos/${REPO}/environments`);
    const form = page.getByTestId("environment-form");
    await form.waitFor();
    await page.getByTestId("env-name").fill("production");
    await page.getByTestId("env-reviewer-input").fill("dave");
    await page.getByTestId("env-reviewer-add").click();
    await page.getByTestId("env-prevent-self-review").check();
    await page.getByTestId("env-policy-custom").check();
    await page.getByTestId("env-pattern-name").fill("main");
    await page.getByTestId("env-submit").click();
    await page.waitForURL((u) => u.hash === `#/repos/${REPO}/environments/production`);

    const env = await server.json(`/api/v3/repos/${REPO}/environments/production`);
    const reviewers = env.protection_rules.find((r: any) => r.type === "required_reviewers");
    assert.deepEqual(reviewers.reviewers.map((r: any) => r.reviewer.login), ["dave"]);
    assert.equal(reviewers.prevent_self_review, true);
    assert.deepEqual(env.deployment_branch_policy, { protected_branches: false, custom_branch_policies: true });
    assert.deepEqual(env.slipway_branch_patterns.map((p: any) => [p.name, p.type]), [["main", "branch"]]);

    // The environment page shows the saved rules and takes a secret.
    await page.locator('[data-testid=env-reviewer][data-name="dave"]').waitFor();
    assert.equal(await page.getByTestId("env-pattern-name").inputValue(), "main");
    await page.getByTestId("secret-name").fill("DEPLOY_TOKEN");
    await page.getByTestId("secret-value").fill(SECRET);
    await page.getByTestId("secret-submit").click();
    await page.locator('[data-testid=secret-row][data-name="DEPLOY_TOKEN"]').waitFor();
    const secrets = await server.json(`/api/v3/repos/${REPO}/environments/production/secrets`);
    assert.deepEqual(secrets.secrets.map((s: any) => s.name), ["DEPLOY_TOKEN"]);
    assert.ok(!(await page.content()).includes(SECRET), "the secret's value is not on the page");

    await page.goto(`${server.url}/#/repos/${REPO}/environments`);
    const row = page.locator('[data-testid=environment-row][data-name="production"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Reviewers: dave/);
    assert.match(await row.innerText(), /Branches: main/);
  });

  void it("disables the form for a viewer, and shows the server's refusal when it is forced", async () => {
    const vic = await pageAs(browser, server, vicToken);
    await vic.goto(`${server.url}/#/repos/${REPO}/environments/production`);
    const submit = vic.getByTestId("env-submit");
    await submit.waitFor();
    await waitFor("the form to be disabled for a viewer", async () => submit.isDisabled(), 5_000);
    assert.equal(await vic.getByTestId("secret-submit").isDisabled(), true);
    // Forced past the page's check, the server still refuses, and its message is shown.
    await vic.locator("[data-testid=environment-form] fieldset").evaluate((f: HTMLFieldSetElement) => (f.disabled = false));
    await submit.click();
    const error = vic.getByTestId("env-error");
    await error.waitFor();
    assert.match(await error.innerText(), /maintainer/);
    await vic.close();
  });

  void it("adds a signed webhook channel and a rule on the notifications page", async () => {
    await page.goto(`${server.url}/#/repos/${REPO}/notifications`);
    await page.getByTestId("channel-form").waitFor();
    await page.getByTestId("channel-name").fill("deploy-hook");
    await page.getByTestId("channel-kind").selectOption("webhook");
    await page.getByTestId("channel-url").fill(receiver.url);
    await page.getByTestId("channel-secret").fill("hmac-s3cret");
    await page.getByTestId("channel-submit").click();
    const row = page.locator('[data-testid=channel-row][data-name="deploy-hook"]');
    await row.waitFor();
    assert.equal(await row.getAttribute("data-kind"), "webhook");
    assert.ok(!(await page.content()).includes("hmac-s3cret"), "the channel's secret is not on the page");

    await page.getByTestId("rule-add").click();
    const rule = page.getByTestId("rule-row").last();
    await rule.locator('[data-event="deployment.succeeded"]').check();
    await rule.locator('[data-event="deployment.failed"]').check();
    await rule.getByTestId("rule-branches").fill("main");
    await page.getByTestId("rules-submit").click();
    await page.getByTestId("rules-ok").waitFor();
    const saved = await server.json(`/api/slipway/repos/${REPO}/notifications/rules`);
    assert.deepEqual(saved.rules.map((r: any) => [r.channel, [...r.events].sort(), r.branches]), [["deploy-hook", ["deployment.failed", "deployment.succeeded"], ["main"]]]);
  });

  void it("shows each environment's current version and its history on the deployments page", async () => {
    const first = await deploy("approved");
    assert.equal(first.conclusion, "success");
    const second = await deploy("rejected");
    assert.equal(second.conclusion, "failure");

    await page.goto(`${server.url}/#/repos/${REPO}/deployments`);
    const production = page.locator('[data-testid=env-overview][data-environment="production"]');
    await production.waitFor();
    // Production still runs the first release: the second was rejected.
    const current = production.getByTestId("current-deployment");
    assert.equal(await current.getAttribute("data-sha"), first.head_sha);
    assert.match(await current.innerText(), new RegExp(`#${first.id}`));
    assert.equal(await production.getByTestId("current-deployment-url").getAttribute("href"), "https://www.example.com/");
    const states = await production.getByTestId("deployment-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")));
    assert.equal(states.length, 2);
    assert.match(states[0] ?? "", /^(failure|error)$/, "the rejected release did not deploy");
    assert.equal(states[1], "success");

    // Staging deployed both releases: the newer is current, the older inactive.
    const staging = page.locator('[data-testid=env-overview][data-environment="staging"]');
    assert.equal(await staging.getByTestId("current-deployment").getAttribute("data-sha"), second.head_sha);
    assert.deepEqual(await staging.getByTestId("deployment-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state"))), ["success", "inactive"]);

    // A deployment's statuses, newest first.
    await production.getByTestId("deployment-statuses-toggle").last().click();
    const statuses = production.getByTestId("deployment-status");
    await statuses.first().waitFor();
    const seen = await statuses.evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
    assert.equal(seen[0], "success");
    assert.ok(seen.includes("waiting"), `statuses ${seen.join(", ")} include waiting`);
    await page.screenshot({ path: path.join(ROOT, "docs/screenshots/deployments.png"), fullPage: true });
  });

  void it("shows the channel's delivery log with each attempt's response code", async () => {
    // Two releases: staging succeeded twice, production once (a rejected deployment never started, so it
    // is no failed deployment).
    await waitFor("three deployment events at the receiver", async () => receiver.events.length >= 3, 20_000).catch((e) => {
      throw new Error(`${e.message}; got ${JSON.stringify(receiver.events)}`);
    });
    await page.goto(`${server.url}/#/repos/${REPO}/notifications`);
    const log = page.locator('[data-testid=delivery-log][data-channel="deploy-hook"]');
    await log.getByTestId("delivery-row").first().waitFor();
    const rows = await log.getByTestId("delivery-row").evaluateAll((els) => els.map((e) => [e.getAttribute("data-event"), e.getAttribute("data-status"), e.getAttribute("data-code")]));
    assert.equal(rows.length, 3);
    assert.ok(rows.every(([event]) => event === "deployment.succeeded"), JSON.stringify(rows));
    assert.ok(rows.every(([, status, code]) => status === "delivered" && code === "200"), JSON.stringify(rows));
    const codes = await log.getByTestId("delivery-code").allInnerTexts();
    assert.equal(codes.filter((c) => c === "503").length, 1, "the refused first attempt is listed");
    assert.equal(codes.filter((c) => c === "200").length, 3);
  });

  void it("lists the environment change in the audit log, filtered by action", async () => {
    await page.goto(`${server.url}/#/repos/${REPO}/audit`);
    const rows = page.getByTestId("audit-row");
    await rows.first().waitFor();
    const created = page.locator('[data-testid=audit-row][data-action="environment.create"][data-target="production"]');
    await created.waitFor();
    assert.match(await created.innerText(), /dave/, "the details name the reviewer");
    await page.getByTestId("audit-filters").locator('input[name="action"]').fill("environment");
    await page.getByTestId("audit-apply").click();
    await page.waitForURL((u) => u.hash.includes("action=environment"));
    await waitFor("only environment entries", async () => {
      const actions = await page.getByTestId("audit-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-action") ?? ""));
      return actions.length > 0 && actions.every((a) => a.startsWith("environment"));
    }, 10_000);
    // The secret's name is audited, its value never.
    await page.goto(`${server.url}/#/audit?repo=${REPO}&action=secret`);
    await page.locator('[data-testid=audit-row][data-target*="DEPLOY_TOKEN"]').first().waitFor();
    assert.ok(!(await page.content()).includes(SECRET));
  });
});
