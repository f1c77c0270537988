/**
 * The dashboard in Debian's Chromium, driven by playwright-core against a real server: a webhook push
 * shows up running, its log streams live, the job graph draws the needs, a dispatch form with a choice
 * input starts a run, a failed run is re-run, and a secret never reaches the page. Screenshots of the run
 * page and the job graph are written to docs/screenshots/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { noChromium, signedInPage } from "../helpers/browser.ts";
import { gitRepo, ROOT, tmpDir } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const SECRET = "tr0ub4dor-and-3";

/** Where the deploy job looks for its go-ahead: a fresh folder per test run. */
const MARKS = tmpDir("slipway-browser-marks-");

const CI = `name: CI
on:
  push:
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [staging, production]
        default: staging
      dry:
        type: boolean
        default: true
      where:
        type: environment
        required: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Compile
        run: |
          echo "::group::Toolchain"
          echo "gcc 12"
          echo "::endgroup::"
          for i in $(seq 1 8); do echo "build line $i"; sleep 0.5; done
          echo "token is $TOKEN"
        env: { TOKEN: "\${{ secrets.DEPLOY_TOKEN }}" }
  test:
    needs: build
    strategy:
      matrix:
        shard: [1, 2]
    runs-on: ubuntu-latest
    steps:
      - run: echo "shard \${{ matrix.shard }}"
  deploy:
    needs: [build, test]
    environment: production
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "deploying to \${{ inputs.target || 'staging' }}"
          test "\${{ github.event_name }}" = workflow_dispatch || test -e ${MARKS}/ok-\${{ github.run_id }}
`;

const rev = (dir: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();

void describe("dashboard in Chromium", { skip: noChromium }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let repo: string;
  before(async () => {
    repo = gitRepo({ ".github/workflows/ci.yml": CI });
    server = await startTestServer({ args: ["--parallel", "3"] });
    await registerRepo(server, "acme/shop", repo);
    await server.json("/api/slipway/repos/acme/shop/secrets/DEPLOY_TOKEN", { method: "PUT", body: JSON.stringify({ value: SECRET }) });
    ({ browser, page } = await signedInPage(server));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  let runId = 0;

  void it("shows a webhook push as a running run, and streams its log live", async () => {
    const res = await sendHook(server, pushDelivery("acme/shop", { before: "0".repeat(40), after: rev(repo), deliveryId: "browser-1" }, "hook-secret"));
    assert.equal(res.status, 202);
    await page.goto(`${server.url}/#/runs`);
    const row = page.getByTestId("run-row").first();
    await row.waitFor();
    await waitFor("the run row to show it running", async () => (await row.getAttribute("data-status")) === "in_progress", 20_000);
    runId = Number(await row.getAttribute("data-run-id"));
    const jobs = (await server.json(`/api/v3/repos/acme/shop/actions/runs/${runId}/jobs`)).jobs;
    const build = jobs.find((j: any) => j.name === "build");
    await page.goto(`${server.url}/#/repos/acme/shop/runs/${runId}/jobs/${build.id}`);
    const viewer = page.getByTestId("log-viewer");
    await viewer.getByText("build line 2").waitFor({ timeout: 20_000 });
    // Still running when line 2 shows: later lines arrive on the open page without a reload.
    const status = (await server.json(`/api/v3/repos/acme/shop/actions/runs/${runId}`)).status;
    assert.equal(status, "in_progress", "line 2 was shown while the job was still running");
    await viewer.getByText("build line 8").waitFor({ timeout: 20_000 });
    await viewer.getByText("token is ***").waitFor({ timeout: 10_000 });
  });

  void it("draws the job graph from needs, with matrix jobs grouped, and shows the result", async () => {
    await settledRuns(server, "acme/shop", 1);
    await page.goto(`${server.url}/#/repos/acme/shop/runs/${runId}`);
    const graph = page.getByTestId("job-graph");
    await graph.waitFor();
    await waitFor("the graph to show the final states", async () => (await page.getByTestId("graph-node").evaluateAll((ns) => ns.map((n) => n.getAttribute("data-status")))).every((s) => s === "completed"), 20_000);
    const nodes = await page.getByTestId("graph-node").evaluateAll((ns) => ns.map((n) => n.getAttribute("data-job")));
    assert.deepEqual(nodes.sort(), ["build", "deploy", "test"]);
    const edges = await page.getByTestId("graph-edge").evaluateAll((es) => es.map((e) => `${e.getAttribute("data-from")}->${e.getAttribute("data-to")}`));
    assert.deepEqual(edges.sort(), ["build->deploy", "build->test", "test->deploy"]);
    await page.getByTestId("run-status").waitFor();
    assert.equal(await page.getByTestId("run-status").getAttribute("data-conclusion"), "failure");
    await page.screenshot({ path: path.join(ROOT, "docs/screenshots/run-page.png"), fullPage: true });
    await graph.screenshot({ path: path.join(ROOT, "docs/screenshots/job-graph.png") });
  });

  void it("re-runs the failed run from the run page", async () => {
    execFileSync("touch", [path.join(MARKS, `ok-${runId}`)]);
    await page.getByTestId("rerun-failed").click();
    await waitFor("attempt 2 to finish", async () => {
      const run = await server.json(`/api/v3/repos/acme/shop/actions/runs/${runId}`);
      return run.run_attempt === 2 && run.status === "completed" ? run : null;
    }, 30_000).then((run) => assert.equal(run.conclusion, "success"));
    await waitFor("the page to show success", async () => (await page.getByTestId("run-status").getAttribute("data-conclusion")) === "success", 15_000);
  });

  void it("starts a run from the dispatch form with a choice input", async () => {
    await page.goto(`${server.url}/#/repos/acme/shop/dispatch/ci.yml`);
    const form = page.getByTestId("dispatch-form");
    await form.waitFor();
    assert.equal(await form.locator('select[name="target"]').inputValue(), "staging");
    assert.deepEqual(await form.locator('select[name="target"] option').allTextContents(), ["staging", "production"]);
    assert.equal(await form.locator('input[name="dry"]').getAttribute("type"), "checkbox");
    // An environment input offers the repository's environments (those its workflows name).
    assert.deepEqual((await form.locator('select[name="where"] option').allTextContents()).filter((t) => t.trim()), ["production"]);
    assert.match(await form.innerText(), /where\s*\*/, "a required input is marked");
    await form.locator('select[name="target"]').selectOption("production");
    await page.getByTestId("dispatch-submit").click();
    const run = await waitFor("the dispatched run", async () => {
      const r = await server.json("/api/v3/repos/acme/shop/actions/runs?event=workflow_dispatch");
      return r.workflow_runs[0]?.status === "completed" ? r.workflow_runs[0] : null;
    }, 30_000);
    const jobs = (await server.json(`/api/v3/repos/acme/shop/actions/runs/${run.id}/jobs`)).jobs;
    const deploy = jobs.find((j: any) => j.name === "deploy");
    const log = await (await server.api(`/api/v3/repos/acme/shop/actions/jobs/${deploy.id}/logs`)).text();
    assert.match(log, /deploying to production/);
  });

  void it("never puts a secret's value in the page", async () => {
    await page.goto(`${server.url}/#/repos/acme/shop`);
    await page.getByTestId("secret-row").first().waitFor();
    const pages = [`#/repos/acme/shop`, `#/runs`, `#/repos/acme/shop/runs/${runId}`];
    const jobs = (await server.json(`/api/v3/repos/acme/shop/actions/runs/${runId}/jobs?filter=all`)).jobs;
    for (const j of jobs) pages.push(`#/repos/acme/shop/runs/${runId}/jobs/${j.id}`);
    for (const p of pages) {
      await page.goto(`${server.url}/${p}`);
      await page.waitForLoadState("networkidle");
      const html = await page.content();
      assert.ok(!html.includes(SECRET), `the secret appears on ${p}`);
    }
    // Setting a secret from the page: the value goes in, never comes back out.
    await page.goto(`${server.url}/#/repos/acme/shop`);
    await page.getByTestId("secret-name").fill("ANOTHER");
    await page.getByTestId("secret-value").fill("pa55-from-the-page");
    await page.getByTestId("secret-submit").click();
    await waitFor("the new secret's row", async () => (await page.getByTestId("secret-row").allTextContents()).some((t) => t.includes("ANOTHER")));
    assert.ok(!(await page.content()).includes("pa55-from-the-page"));
  });
});
