/**
 * The server's queue: concurrency groups hold across runs (cancel-in-progress cancels the older run),
 * and Gitea and Forgejo deliveries, signed their way, start runs like GitHub's.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { commitAll, gitRepo } from "../helpers/cli.ts";
import { pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const rev = (dir: string, r = "HEAD") => execFileSync("git", ["rev-parse", r], { cwd: dir, encoding: "utf8" }).trim();

const SLOW = `name: Deploy
on: push
concurrency:
  group: deploy-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 20
`;

void describe("the queue", () => {
  let server: TestServer;
  let repo: string;
  before(async () => {
    repo = gitRepo({ ".github/workflows/deploy.yml": SLOW });
    server = await startTestServer({ args: ["--parallel", "4"] });
    await registerRepo(server, "acme/app", repo);
  });
  after(async () => server?.stop());

  void it("cancels the running run of a concurrency group when a newer one starts (cancel-in-progress)", async () => {
    const first = rev(repo);
    await sendHook(server, pushDelivery("acme/app", { before: "0".repeat(40), after: first, deliveryId: "c-1" }, "hook-secret"));
    await waitFor("the first run to start", async () => {
      const r = await server.json("/api/v3/repos/acme/app/actions/runs");
      return r.workflow_runs[0]?.status === "in_progress";
    });
    commitAll(repo, "main", "second");
    await sendHook(server, pushDelivery("acme/app", { before: first, after: rev(repo), deliveryId: "c-2" }, "hook-secret"));
    const older = await waitFor("the first run to be cancelled", async () => {
      const r = await server.json("/api/v3/repos/acme/app/actions/runs");
      const run = r.workflow_runs.find((x: any) => x.head_sha === first);
      return run?.status === "completed" ? run : null;
    }, 15_000);
    assert.equal(older.conclusion, "cancelled");
    const newer = (await server.json("/api/v3/repos/acme/app/actions/runs")).workflow_runs.find((x: any) => x.head_sha !== first);
    assert.equal(newer.status, "in_progress");
    await server.json(`/api/v3/repos/acme/app/actions/runs/${newer.id}/cancel`, { method: "POST" });
    const runs = await settledRuns(server, "acme/app", 2);
    assert.deepEqual(runs.map((r) => r.conclusion), ["cancelled", "cancelled"]);
  });

  void it("keeps concurrency groups and caches apart per repository", async () => {
    const wf = (uses: string) => `name: CI
on: push
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
        id: c
        with: { path: cached, key: shared-key }
      - run: |
          echo "hit=\${{ steps.c.outputs.cache-hit }}"
          mkdir -p cached && echo word > cached/word
          sleep 3
`;
    // acme/one saves under shared-key; acme/two only ever restores it.
    const one = gitRepo({ ".github/workflows/ci.yml": wf("actions/cache@v4") });
    const two = gitRepo({ ".github/workflows/ci.yml": wf("actions/cache/restore@v4") });
    await registerRepo(server, "acme/one", one);
    await registerRepo(server, "acme/two", two);
    await sendHook(server, pushDelivery("acme/one", { before: "0".repeat(40), after: rev(one), deliveryId: "iso-1" }, "hook-secret"));
    await sendHook(server, pushDelivery("acme/two", { before: "0".repeat(40), after: rev(two), deliveryId: "iso-2" }, "hook-secret"));
    const [a] = await settledRuns(server, "acme/one", 1);
    const [b] = await settledRuns(server, "acme/two", 1);
    assert.deepEqual([a.conclusion, b.conclusion], ["success", "success"], "the same group name in two repositories is two groups");
    const logOf = async (repo: string, id: number) => {
      const [job] = (await server.json(`/api/v3/repos/${repo}/actions/runs/${id}/jobs`)).jobs;
      return (await server.api(`/api/v3/repos/${repo}/actions/jobs/${job.id}/logs`)).text();
    };
    commitAll(one, "main", "again");
    commitAll(two, "main", "again");
    await sendHook(server, pushDelivery("acme/one", { before: a.head_sha, after: rev(one), deliveryId: "iso-3" }, "hook-secret"));
    await sendHook(server, pushDelivery("acme/two", { before: b.head_sha, after: rev(two), deliveryId: "iso-4" }, "hook-secret"));
    const oneAgain = (await settledRuns(server, "acme/one", 2))[0];
    const twoAgain = (await settledRuns(server, "acme/two", 2))[0];
    assert.match(await logOf("acme/one", oneAgain.id), /hit=true/, "a repository restores its own cache");
    assert.doesNotMatch(await logOf("acme/two", twoAgain.id), /hit=true/, "another repository's entry under the same key is not restored");
  });

  for (const forge of ["gitea", "forgejo"] as const) {
    void it(`starts a run from a ${forge} push delivery signed with X-${forge === "gitea" ? "Gitea" : "Forgejo"}-Signature`, async () => {
      const dir = gitRepo({ ".github/workflows/ci.yml": "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"ref=$GITHUB_REF\"\n" });
      await registerRepo(server, `acme/${forge}`, dir, "forge-secret");
      const d = pushDelivery(`acme/${forge}`, { before: "0".repeat(40), after: rev(dir), deliveryId: `${forge}-1` }, null);
      const headers: Record<string, string> = { "content-type": "application/json", [`x-${forge}-event`]: "push", [`x-${forge}-delivery`]: `${forge}-1`, [`x-${forge}-signature`]: createHmac("sha256", "forge-secret").update(d.body).digest("hex") };
      const res = await sendHook(server, { body: d.body, headers }, forge);
      assert.equal(res.status, 202, await res.text());
      const [run] = await settledRuns(server, `acme/${forge}`, 1);
      assert.equal(run.conclusion, "success");
      const wrong = await sendHook(server, { body: d.body, headers: { ...headers, [`x-${forge}-signature`]: "0".repeat(64), [`x-${forge}-delivery`]: `${forge}-2` } }, forge);
      assert.equal(wrong.status, 401);
    });
  }
});
