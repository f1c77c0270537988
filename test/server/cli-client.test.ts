/**
 * The client commands as a user types them: `slipway repo add`, `secret set`, `var set` and `notify`
 * (from a real post-receive hook), against a running server; and the admin token printed once.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";
import { ADMIN_TOKEN, settledRuns, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";

const WORKFLOW = `on: push
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: test "$S" = "hunter2" && test "$V" = "blue" && echo "saw secret $S"
        env:
          S: \${{ secrets.DEPLOY_KEY }}
          V: \${{ vars.COLOUR }}
`;

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();

void describe("client commands", () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = { SLIPWAY_URL: server.url, SLIPWAY_TOKEN: ADMIN_TOKEN };
  });
  after(async () => server?.stop());

  void it("registers a bare repository, sets a secret and a variable, and a post-receive hook's notify runs the push", async () => {
    const bare = path.join(tmpDir(), "app.git");
    git(path.dirname(bare), "init", "-q", "--bare", "-b", "main", bare);
    const work = gitRepo({ ".github/workflows/ci.yml": WORKFLOW });
    git(work, "push", "-q", bare, "main");
    const add = slipway(["repo", "add", "acme/hooked", bare], { env });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /registered acme\/hooked \(default branch main\)/);
    const sec = slipway(["secret", "set", "deploy_key", "--repo", "acme/hooked"], { env, input: "hunter2\n" });
    assert.equal(sec.code, 0, sec.stderr);
    assert.equal(slipway(["var", "set", "COLOUR", "--repo", "acme/hooked"], { env, input: "red" }).code, 0);
    // Setting it again updates it: the job below sees the second value.
    assert.equal(slipway(["var", "set", "COLOUR", "--repo", "acme/hooked"], { env, input: "blue" }).code, 0);
    // The hook is what a plain Git server runs after a push: it calls `slipway notify` for each ref.
    const hook = path.join(bare, "hooks", "post-receive");
    writeFileSync(hook, `#!/bin/sh\nwhile read old new ref; do\n  "${process.execPath}" "${BIN}" notify acme/hooked "$ref" "$old" "$new" || exit 1\ndone\n`);
    chmodSync(hook, 0o755);
    writeFileSync(path.join(work, "change.txt"), "x");
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "change");
    const push = spawn("git", ["push", "-q", bare, "main"], { cwd: work, env: { ...process.env, ...env } });
    let pushOut = "";
    push.stderr.on("data", (d) => (pushOut += d));
    assert.equal(await new Promise((r) => push.on("exit", r)), 0, pushOut);
    const [run] = await settledRuns(server, "acme/hooked", 1);
    assert.equal(run.event, "push");
    assert.equal(run.head_sha, git(work, "rev-parse", "HEAD"));
    assert.equal(run.conclusion, "success", "the job saw the secret and the variable");
    const jobs = (await server.json(`/api/v3/repos/acme/hooked/actions/runs/${run.id}/jobs`)).jobs;
    const log = await (await server.api(`/api/v3/repos/acme/hooked/actions/jobs/${jobs[0].id}/logs`)).text();
    assert.match(log, /saw secret \*\*\*/);
    assert.doesNotMatch(log, /hunter2/);
  });

  void it("creates read and write tokens: a read token may look but not change anything", async () => {
    const read = slipway(["token", "create", "viewer", "--scope", "read"], { env });
    assert.equal(read.code, 0, read.stderr);
    const readToken = read.stdout.trim();
    assert.match(readToken, /^slw_/);
    assert.equal((await server.api("/api/slipway/repos", { token: readToken })).status, 200);
    const refused = slipway(["secret", "set", "X"], { env: { ...env, SLIPWAY_TOKEN: readToken }, input: "v" });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /403 Must be a site administrator using a token whose scope allows maintainer \(this token has read scope/);
    const write = slipway(["token", "create", "ci-bot", "--scope", "write"], { env }).stdout.trim();
    assert.equal(slipway(["secret", "set", "X"], { env: { ...env, SLIPWAY_TOKEN: write }, input: "v" }).code, 0);
    assert.equal(slipway(["token", "create", "another"], { env: { ...env, SLIPWAY_TOKEN: write } }).code, 2, "only an admin creates tokens");
    const list = await server.json("/api/slipway/tokens");
    assert.deepEqual(list.tokens.map((t: any) => [t.name, t.scope]), [["admin", "admin"], ["viewer", "read"], ["ci-bot", "write"]]);
    const viewer = list.tokens.find((t: any) => t.name === "viewer");
    assert.equal((await server.api(`/api/slipway/tokens/${viewer.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await server.api("/api/slipway/repos", { token: readToken })).status, 401, "a revoked token opens nothing");
  });

  void it("explains a missing token, a bad token and an unknown repository with exit 2", () => {
    const none = slipway(["secret", "set", "X"], { env: { SLIPWAY_URL: server.url, SLIPWAY_TOKEN: "" }, input: "v" });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /SLIPWAY_TOKEN/);
    const bad = slipway(["secret", "set", "X"], { env: { SLIPWAY_URL: server.url, SLIPWAY_TOKEN: "nope" }, input: "v" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /401/);
    const unknown = slipway(["notify", "no/such", "refs/heads/main", "0".repeat(40), "1".repeat(40)], { env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /404/);
    const badName = slipway(["secret", "set", "GITHUB_X"], { env, input: "v" });
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /GITHUB_ prefix/);
    const down = slipway(["repo", "add", "a/b", "/nonexistent"], { env: { SLIPWAY_URL: "http://127.0.0.1:1", SLIPWAY_TOKEN: "x" } });
    assert.equal(down.code, 2);
    assert.match(down.stderr, /cannot reach the Slipway server/);
  });
});

void describe("the admin token", () => {
  void it("is generated and printed once on first start, stored only as a hash", async () => {
    const dataDir = tmpDir();
    const first = await startTestServer({ dataDir, env: { SLIPWAY_ADMIN_TOKEN: "" } });
    const token = /admin token: (\S+)/.exec(first.output())?.[1];
    assert.ok(token, first.output());
    assert.equal((await first.api("/api/slipway/whoami", { token })).status, 200);
    await first.stop();
    const db = execFileSync("sh", ["-c", `cat "${dataDir}"/slipway.db* | grep -c -a -F "${token}" || true`], { encoding: "utf8" }).trim();
    assert.equal(db, "0", "the token itself is not in the database");
    const second = await startTestServer({ dataDir, env: { SLIPWAY_ADMIN_TOKEN: "" } });
    await waitFor("the second start", async () => /listening/.test(second.output()));
    assert.doesNotMatch(second.output(), /admin token:/);
    assert.equal((await second.api("/api/slipway/whoami", { token })).status, 200);
    await second.stop();
  });
});
