/**
 * A job page in Chromium: annotations from ::error/::warning, the step summary rendered as sanitised
 * Markdown, groups, search and the log download; the run page lists an artifact that downloads as a zip.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { noChromium, signedInPage } from "../helpers/browser.ts";
import { gitRepo } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, type TestServer } from "../helpers/server.ts";


const CI = `name: Report
on: push
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - run: |
          for i in $(seq 1 50); do echo "filler $i"; done
          echo "::group::Details"
          echo "hidden until opened"
          echo "::endgroup::"
          echo "::warning file=app.js,line=3::deprecated call"
          echo "::error::coverage dropped"
          printf '\\033[32mgreen text\\033[0m\\n'
          echo "needle in the log"
          echo "## Coverage report" >> "$GITHUB_STEP_SUMMARY"
          echo "<script>window.pwned = true</script><img src=x onerror=\\"window.pwned = true\\">" >> "$GITHUB_STEP_SUMMARY"
          echo "| file | % |" >> "$GITHUB_STEP_SUMMARY"
          echo "| --- | --- |" >> "$GITHUB_STEP_SUMMARY"
          echo "| app.js | 87 |" >> "$GITHUB_STEP_SUMMARY"
          mkdir -p out && echo "built" > out/result.txt
      - uses: actions/upload-artifact@v4
        with: { name: build-output, path: out }
`;

void describe("job page in Chromium", { skip: noChromium }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let run: any;
  before(async () => {
    const repo = gitRepo({ ".github/workflows/report.yml": CI });
    server = await startTestServer();
    await registerRepo(server, "acme/report", repo);
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    await sendHook(server, pushDelivery("acme/report", { before: "0".repeat(40), after: sha, deliveryId: "report-1" }, "hook-secret"));
    [run] = await settledRuns(server, "acme/report", 1);
    ({ browser, page } = await signedInPage(server));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  void it("shows annotations, the sanitised summary, colours and groups, and finds text", async () => {
    assert.equal(run.conclusion, "success");
    const [job] = (await server.json(`/api/v3/repos/acme/report/actions/runs/${run.id}/jobs`)).jobs;
    await page.goto(`${server.url}/#/repos/acme/report/runs/${run.id}/jobs/${job.id}`);
    const annotations = page.getByTestId("annotation");
    await annotations.first().waitFor();
    const texts = await annotations.allTextContents();
    assert.ok(texts.some((t) => t.includes("deprecated call")), texts.join(" | "));
    assert.ok(texts.some((t) => t.includes("coverage dropped")), texts.join(" | "));
    const summary = page.getByTestId("job-summary");
    await summary.locator("h2", { hasText: "Coverage report" }).waitFor();
    assert.equal(await summary.locator("table td", { hasText: "87" }).count(), 1, "the table is rendered");
    assert.equal(await summary.locator("script").count(), 0, "no script survives sanitising");
    assert.equal(await summary.locator("img[onerror]").count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned), undefined);
    const viewer = page.getByTestId("log-viewer");
    const green = viewer.getByText("green text");
    await green.waitFor();
    const plainColour = await viewer.getByText("needle in the log").evaluate((el) => getComputedStyle(el).color);
    assert.notEqual(await green.evaluate((el) => getComputedStyle(el).color), plainColour, "the ANSI colour is applied");
    assert.doesNotMatch(await viewer.innerText(), /\[32m/, "colour codes are rendered, not shown");
    assert.equal(await viewer.getByText("hidden until opened").count(), 0, "a group starts collapsed");
    await viewer.getByText("filler 50").waitFor();
    await viewer.getByText("Details").first().click();
    await viewer.getByText("hidden until opened").waitFor();
    await page.getByTestId("log-search").fill("needle");
    await page.getByTestId("log-search").press("Enter");
    await viewer.getByText("needle in the log").waitFor();
  });

  void it("lists the run's artifact and downloads it as a zip", async () => {
    await page.goto(`${server.url}/#/repos/acme/report/runs/${run.id}`);
    const row = page.getByTestId("artifact-row").first();
    await row.waitFor();
    assert.match(await row.innerText(), /build-output/);
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("artifact-download").click()]);
    const file = await download.path();
    const zip = readFileSync(file);
    assert.equal(zip.subarray(0, 2).toString("latin1"), "PK");
    // Entries are stored uncompressed: the file's name and bytes are in the archive as they are.
    assert.ok(zip.includes("result.txt") && zip.includes("built\n"), "the zip holds out/result.txt");
  });
});
