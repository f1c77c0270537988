/**
 * What starts runs on a server besides a push: pull requests (from a fork: no secrets and a read-only
 * token; pull_request_target: the base branch's workflow with secrets), workflow_run after a run
 * completes, and schedules (once per tick, also across a restart). Jobs are reported back as commit
 * statuses to a Git host stand-in that records what it receives.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { gitRepo } from "../helpers/cli.ts";
import { StatusRecorder } from "../helpers/status-recorder.ts";
import { pullRequestDelivery, pushDelivery, registerRepo, sendHook, settledRuns, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();

const PR = `name: PR
on: pull_request
jobs:
  check:
    runs-on: ubuntu-latest
    environment: preview
    steps:
      - run: echo "secret=[$S] env-secret=[$E]"
        env: { S: "\${{ secrets.TOKEN_X }}", E: "\${{ secrets.PREVIEW_X }}" }
      - name: use the run's token
        run: |
          node -e '
            const call = (method, path, body) => fetch(process.env.GITHUB_API_URL + path, { method, headers: { authorization: "Bearer " + process.env.T, "content-type": "application/json" }, body: body && JSON.stringify(body) }).then((r) => r.status);
            (async () => {
              console.log("write status " + await call("POST", "/repos/acme/app/dispatches", { event_type: "from-pr" }));
              console.log("secret write status " + await call("PUT", "/repos/acme/app/actions/secrets/PLANTED", { encrypted_value: "x" }));
              console.log("other repository status " + await call("GET", "/repos/acme/other/actions/runs"));
            })()'
        env: { T: "\${{ secrets.GITHUB_TOKEN }}" }
`;
const TARGET = `name: Target
on: pull_request_target
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - run: echo "target secret=[$S] sha=$GITHUB_SHA"
        env: { S: "\${{ secrets.TOKEN_X }}" }
`;
const FOLLOW = `name: Follow
on:
  workflow_run:
    workflows: [Build]
    types: [completed]
    branches: [main]
jobs:
  after:
    runs-on: ubuntu-latest
    steps:
      - run: echo "after \${{ github.event.workflow_run.name }} \${{ github.event.workflow_run.conclusion }}"
`;
const BUILD = `name: Build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo built
`;


async function logOf(s: TestServer, repo: string, runId: number): Promise<string> {
  const jobs = (await s.json(`/api/v3/repos/${repo}/actions/runs/${runId}/jobs`)).jobs;
  let text = "";
  for (const j of jobs) text += await (await s.api(`/api/v3/repos/${repo}/actions/jobs/${j.id}/logs`)).text();
  return text;
}

void describe("pull requests, workflow_run and commit statuses", () => {
  let server: TestServer;
  let repo: string;
  const statuses = new StatusRecorder();
  before(async () => {
    await statuses.start();
    repo = gitRepo({ ".github/workflows/pr.yml": PR, ".github/workflows/target.yml": TARGET, ".github/workflows/build.yml": BUILD, ".github/workflows/follow.yml": FOLLOW });
    // The fork's job runs on the host here, which a server allows only when told to.
    server = await startTestServer({ args: ["--allow-fork-host"], env: { SLIPWAY_STATUS_API_URL: statuses.url, SLIPWAY_STATUS_TOKEN: "host-token" } });
    await registerRepo(server, "acme/app", repo);
    await server.json("/api/slipway/repos/acme/app/secrets/TOKEN_X", { method: "PUT", body: JSON.stringify({ value: "xyzzy-secret" }) });
    await server.json("/api/v3/repos/acme/app/environments/preview", { method: "PUT", body: JSON.stringify({}) });
    await server.json("/api/slipway/repos/acme/app/environments/preview/secrets/PREVIEW_X", { method: "PUT", body: JSON.stringify({ value: "preview-secret" }) });
  });
  after(async () => {
    await server?.stop();
    await statuses.stop();
  });

  void it("runs a fork's pull request without secrets and with a read-only token; pull_request_target gets secrets", async () => {
    const base = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "-b", "feature");
    execFileSync("sh", ["-c", "echo change > f.txt"], { cwd: repo });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "feature");
    const head = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "main");
    for (const [n, fork] of [[7, true], [8, false]] as const) {
      const res = await sendHook(server, pullRequestDelivery("acme/app", { number: n, baseSha: base, headRef: "feature", headSha: head, fork, deliveryId: `pr-${n}` }, "hook-secret"));
      assert.equal(res.status, 202, await res.text());
    }
    const runs = await settledRuns(server, "acme/app", 4);
    const prRuns = runs.filter((r) => r.event === "pull_request");
    const targets = runs.filter((r) => r.event === "pull_request_target");
    assert.equal(prRuns.length, 2);
    assert.equal(targets.length, 2);
    for (const r of prRuns) assert.equal(r.head_sha, head);
    const logs = await Promise.all(prRuns.map((r) => logOf(server, "acme/app", r.id)));
    const forkLog = logs.find((l) => /Z write status 403/.test(l)) ?? "";
    assert.match(forkLog, /secret=\[\] env-secret=\[\]/, "a fork's run gets no secrets, not even its environment's");
    assert.match(forkLog, /Z write status 403/, "a fork's token may only read");
    const ownLog = logs.find((l) => l !== forkLog) ?? "";
    assert.match(ownLog, /secret=\[\*\*\*\] env-secret=\[\*\*\*\]/);
    assert.match(ownLog, /Z write status 204/, "the run's own token may write to its repository");
    for (const log of logs) {
      assert.match(log, /secret write status 403/, "no run's token may plant a secret");
      assert.match(log, /other repository status 403/, "a run's token reaches only its own repository");
    }
    for (const t of targets) {
      assert.equal(t.head_sha, base, "pull_request_target runs the base branch's commit");
      assert.match(await logOf(server, "acme/app", t.id), /target secret=\[\*\*\*\]/);
    }
  });

  void it("starts workflow_run workflows after the named workflow completes", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const before = (await server.json("/api/v3/repos/acme/app/actions/runs?per_page=100")).total_count as number;
    await sendHook(server, pushDelivery("acme/app", { before: "0".repeat(40), after: head, deliveryId: "push-for-follow" }, "hook-secret"));
    const runs = await settledRuns(server, "acme/app", before + 2);
    const follow = runs.find((r) => r.event === "workflow_run");
    assert.ok(follow, JSON.stringify(runs.map((r) => [r.name, r.event])));
    assert.equal(follow.name, "Follow");
    assert.match(await logOf(server, "acme/app", follow.id), /after Build success/);
  });

  void it("reports each job as a commit status: pending, then its result, with a link to the run", async () => {
    const build = (await server.json("/api/v3/repos/acme/app/actions/runs?event=push")).workflow_runs[0];
    const mine = await waitFor("statuses for the build run", async () => {
      const got = statuses.received.filter((s) => s.path === `/api/v3/repos/acme/app/statuses/${build.head_sha}` && s.body.context.startsWith("Build /"));
      return got.length >= 2 ? got : null;
    });
    assert.deepEqual(mine.map((s) => s.body.state), ["pending", "success"]);
    assert.equal(mine[0]?.auth, "token host-token");
    assert.match(mine[1]?.body.target_url ?? "", new RegExp(`/runs/${build.id}$`));
  });
});

void describe("schedules", () => {
  void it("fire once per tick, even across a restart", async () => {
    const minute = (new Date(Date.now() - 10 * 60_000).getUTCMinutes());
    const repo = gitRepo({ ".github/workflows/nightly.yml": `on:\n  schedule:\n    - cron: "${minute} * * * *"\njobs:\n  n:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "scheduled $GITHUB_EVENT_NAME"\n` });
    const env = { SLIPWAY_SCHEDULE_POLL_MS: "300" };
    let server = await startTestServer({ env });
    await registerRepo(server, "acme/cron", repo);
    // The first sight of a schedule starts counting from then: nothing fires for the tick 10 minutes ago.
    const db = path.join(server.dataDir, "slipway.db");
    await waitFor("the schedule to be seen", async () => {
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare("SELECT COUNT(*) AS n FROM ticks").get() as { n: number } | undefined;
      } finally {
        d.close();
      }
    }).then((r) => assert.ok(r));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await server.json("/api/v3/repos/acme/cron/actions/runs")).total_count, 0);
    await server.stop();
    // As if the server had last fired two hours ago and was down since.
    const d = new Database(db);
    d.prepare("UPDATE ticks SET tick = ?").run(new Date(Date.now() - 2 * 3600_000).toISOString());
    d.close();
    server = await startTestServer({ dataDir: server.dataDir, env });
    const [run] = await settledRuns(server, "acme/cron", 1);
    assert.equal(run.event, "schedule");
    assert.match(await logOf(server, "acme/cron", run.id), /scheduled schedule/);
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir, env });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await server.json("/api/v3/repos/acme/cron/actions/runs")).total_count, 1, "no second run for the same tick, and no stampede of missed ones");
    await server.stop();
  });
});

void describe("release, create and delete deliveries", () => {
  void it("run on the tag's commit for a release and a tag's creation, and on the default branch for a deletion", async () => {
    const repo = gitRepo({ ".github/workflows/rel.yml": `on:\n  release:\n    types: [published]\n  create:\n  delete:\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "event=$GITHUB_EVENT_NAME ref=$GITHUB_REF sha=$GITHUB_SHA"\n` });
    const tagged = git(repo, "rev-parse", "HEAD");
    git(repo, "tag", "v1.0");
    execFileSync("sh", ["-c", "echo more > more.txt"], { cwd: repo });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "after the tag");
    const server = await startTestServer();
    try {
      await registerRepo(server, "acme/rel", repo);
      const repository = { full_name: "acme/rel", name: "rel", owner: { login: "acme" }, default_branch: "main" };
      const deliveries: Array<[string, Record<string, unknown>]> = [
        ["release", { action: "published", release: { tag_name: "v1.0", prerelease: false }, repository, sender: { login: "alice" } }],
        ["release", { action: "created", release: { tag_name: "v1.0" }, repository, sender: { login: "alice" } }],
        ["create", { ref: "v1.0", ref_type: "tag", repository, sender: { login: "alice" } }],
        ["delete", { ref: "old-branch", ref_type: "branch", repository, sender: { login: "alice" } }],
      ];
      for (const [i, [event, payload]] of deliveries.entries()) {
        const body = JSON.stringify(payload);
        const sig = `sha256=${createHmac("sha256", "hook-secret").update(body).digest("hex")}`;
        const res = await fetch(`${server.url}/hooks/github`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": `rel-${i}`, "x-hub-signature-256": sig }, body });
        assert.equal(res.status, 202, await res.text());
      }
      const runs = await settledRuns(server, "acme/rel", 3);
      await new Promise((r) => setTimeout(r, 500));
      const all = (await server.json("/api/v3/repos/acme/rel/actions/runs")).workflow_runs as any[];
      assert.deepEqual(all.map((r) => r.event).sort(), ["create", "delete", "release"], "the release's `created` type is filtered out");
      const logs = Object.fromEntries(await Promise.all(runs.map(async (r) => [r.event, await logOf(server, "acme/rel", r.id)])));
      assert.match(logs.release, new RegExp(`event=release ref=refs/tags/v1.0 sha=${tagged}`));
      assert.match(logs.create, new RegExp(`event=create ref=refs/tags/v1.0 sha=${tagged}`));
      assert.match(logs.delete, new RegExp(`event=delete ref=refs/heads/main sha=${git(repo, "rev-parse", "HEAD")}`));
    } finally {
      await server.stop();
    }
  });
});

void describe("a pull request from a fork on a server without --allow-fork-host", () => {
  void it("fails its host jobs with the reason instead of running them on the server's machine", async () => {
    const repo = gitRepo({ ".github/workflows/pr.yml": "on: pull_request\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ran on the host\n" });
    const server = await startTestServer();
    try {
      await registerRepo(server, "acme/guarded", repo);
      const sha = git(repo, "rev-parse", "HEAD");
      await sendHook(server, pullRequestDelivery("acme/guarded", { number: 3, baseSha: sha, headRef: "main", headSha: sha, fork: true, deliveryId: "guard-1" }, "hook-secret"));
      const [run] = await settledRuns(server, "acme/guarded", 1);
      assert.equal(run.conclusion, "failure");
      const [job] = (await server.json(`/api/v3/repos/acme/guarded/actions/runs/${run.id}/jobs`)).jobs;
      assert.match(job.reason, /may not use the server's own machine/);
      assert.doesNotMatch(await logOf(server, "acme/guarded", run.id), /ran on the host/);
    } finally {
      await server.stop();
    }
  });
});
