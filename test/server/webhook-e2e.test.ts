/**
 * End to end over HTTP: a signed GitHub push webhook for a registered local repository produces the
 * runs its filters select, with the same results `slipway run` gives for the same commit.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { commitAll, gitRepo, slipway } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, type TestServer } from "../helpers/server.ts";

const CI = `name: CI
on:
  push:
    branches: [main]
    paths: ["src/**"]
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      v: \${{ steps.s.outputs.v }}
    steps:
      - id: s
        run: echo "v=built-$GITHUB_SHA" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    strategy:
      matrix:
        n: [1, 2]
    runs-on: ubuntu-latest
    steps:
      - run: test "\${{ matrix.n }}" = 1
`;
const DOCS = `name: Docs
on:
  push:
    paths: ["docs/**"]
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: echo docs
`;

const rev = (dir: string, r = "HEAD") => execFileSync("git", ["rev-parse", r], { cwd: dir, encoding: "utf8" }).trim();

void describe("a signed push webhook runs what `slipway run` runs", () => {
  let server: TestServer;
  let repo: string;
  before(async () => {
    repo = gitRepo({ ".github/workflows/ci.yml": CI, ".github/workflows/docs.yml": DOCS, "docs/a.md": "a" });
    execFileSync("sh", ["-c", "mkdir -p src && echo x > src/main.c"], { cwd: repo });
    commitAll(repo, "main", "change src only");
    server = await startTestServer();
    await registerRepo(server, "acme/app", repo);
  });
  after(async () => server?.stop());

  void it("selects the same workflows and gets the same job results", async () => {
    const res = await sendHook(server, pushDelivery("acme/app", { before: rev(repo, "HEAD~1"), after: rev(repo), deliveryId: "e2e-1" }, "hook-secret"));
    assert.equal(res.status, 202, await res.text());
    const runs = await settledRuns(server, "acme/app", 1);
    const local = slipway(["run", "push", "-C", repo, "--json", "--data-dir", server.dataDir + "-local"]);
    assert.equal(local.code, 1, local.stderr);
    assert.deepEqual(runs.map((r) => r.path), local.json.runs.map((r: any) => `.github/workflows/${r.workflow}`));
    const served = runs[0];
    assert.equal(served.conclusion, local.json.runs[0].result);
    assert.equal(served.head_sha, rev(repo));
    assert.equal(served.event, "push");
    assert.equal(served.head_branch, "main");
    const jobs = (await server.json(`/api/v3/repos/acme/app/actions/runs/${served.id}/jobs`)).jobs;
    const byName = (js: Array<{ name: string; result?: string; conclusion?: string }>) => Object.fromEntries(js.map((j) => [j.name, j.conclusion ?? j.result]));
    assert.deepEqual(byName(jobs), byName(local.json.runs[0].jobs));
    assert.deepEqual(byName(jobs), { build: "success", "test (1)": "success", "test (2)": "failure" });
    const badge = await fetch(`${server.url}/badge/acme/app/ci.yml.svg`);
    assert.equal(badge.headers.get("content-type"), "image/svg+xml");
    assert.match(await badge.text(), /CI: failing/);
    assert.match(await (await fetch(`${server.url}/badge/acme/app/docs.yml.svg`)).text(), /no runs/);
  });

  void it("refuses a bad signature with 401 and a redelivery with no second run", async () => {
    const good = pushDelivery("acme/app", { before: rev(repo, "HEAD~1"), after: rev(repo), deliveryId: "e2e-2" }, "hook-secret");
    const bad = pushDelivery("acme/app", { before: rev(repo, "HEAD~1"), after: rev(repo), deliveryId: "e2e-3" }, "wrong-secret");
    const unsigned = pushDelivery("acme/app", { before: rev(repo, "HEAD~1"), after: rev(repo), deliveryId: "e2e-4" }, null);
    assert.equal((await sendHook(server, bad)).status, 401);
    assert.equal((await sendHook(server, unsigned)).status, 401);
    assert.equal((await sendHook(server, good)).status, 202);
    const again = await sendHook(server, good);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /already received/);
    const runs = await settledRuns(server, "acme/app", 2);
    assert.equal(runs.length, 2, "one run from e2e-1 and one from e2e-2; none from the refused or repeated deliveries");
  });
});
