/**
 * Environments on a real server: a job naming a protected environment waits (holding no slot) until a
 * reviewer approves, then sees the environment's secrets; self-review, rejection, branch policies, the
 * wait timer and a restart behave as GitHub's rules say; every job with an environment leaves a
 * deployment record with its status history.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { gitRepo, ROOT, slipway } from "../helpers/cli.ts";
import { registerRepo, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const DEPLOY = `name: Deploy
on: workflow_dispatch
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo built
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: production
      url: \${{ steps.d.outputs.url }}
    steps:
      - id: d
        run: |
          echo "key-length=\${#DEPLOY_KEY} region=$REGION"
          echo "url=https://prod.example/\${{ github.run_id }}" >> "$GITHUB_OUTPUT"
        env:
          DEPLOY_KEY: \${{ secrets.DEPLOY_KEY }}
          REGION: \${{ vars.REGION }}
  staging:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: echo "staging-key-length=\${#K} region=[$R]"
        env:
          K: \${{ secrets.DEPLOY_KEY }}
          R: \${{ vars.REGION }}
`;

/** Two jobs reach production one after the other: each waits for its own approval. */
const TWICE = `name: Twice
on: workflow_dispatch
jobs:
  migrate:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo migrated
  release:
    needs: migrate
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo released
`;

const REPO = "acme/shop";
const V3 = `/api/v3/repos/${REPO}`;

void describe("environments with protection rules", () => {
  let server: TestServer;
  let dir: string;
  const tokens: Record<string, string> = {};
  const as = (user: string) => ({ token: tokens[user] });

  before(async () => {
    dir = gitRepo({ ".github/workflows/deploy.yml": DEPLOY, ".github/workflows/twice.yml": TWICE });
    execFileSync("git", ["branch", "feature"], { cwd: dir });
    server = await startTestServer({ env: { SLIPWAY_MINUTE_MS: "1000" }, args: ["--parallel", "1"] });
    await registerRepo(server, REPO, dir);
    for (const [name, role] of [["alice", "developer"], ["carol", "developer"], ["bob", "developer"]] as const) {
      const made = await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name, roles: [{ repo: REPO, role }] }) });
      tokens[name] = made.token;
    }
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ prevent_self_review: true, reviewers: [{ type: "User", name: "alice" }, { type: "User", name: "carol" }] }) });
    await server.json(`/api/slipway/repos/${REPO}/secrets/DEPLOY_KEY`, { method: "PUT", body: JSON.stringify({ value: "repo-key-1" }) });
    await server.json(`/api/slipway/repos/${REPO}/environments/production/secrets/DEPLOY_KEY`, { method: "PUT", body: JSON.stringify({ value: "prod-key-0022" }) });
    await server.json(`${V3}/environments/production/variables`, { method: "POST", body: JSON.stringify({ name: "REGION", value: "eu-west" }) });
  });
  after(async () => server?.stop());

  const dispatch = async (user: string, ref = "main", workflow = "deploy.yml") => {
    const before = (await server.json(`${V3}/actions/runs`)).total_count as number;
    const res = await server.api(`${V3}/actions/workflows/${workflow}/dispatches`, { method: "POST", body: JSON.stringify({ ref }), ...as(user) });
    assert.equal(res.status, 204, await res.text());
    const runs = await waitFor("the dispatched run", async () => {
      const r = await server.json(`${V3}/actions/runs`);
      return r.total_count > before ? r.workflow_runs : null;
    });
    return runs[0].id as number;
  };
  const jobs = async (run: number) => Object.fromEntries(((await server.json(`${V3}/actions/runs/${run}/jobs`)).jobs as any[]).map((j) => [j.name, j]));
  const jobLog = async (run: number, name: string) => {
    const job = (await jobs(run))[name];
    return (await server.api(`${V3}/actions/jobs/${job.id}/logs`)).text();
  };
  const waiting = (run: number) => waitFor(`run ${run} to wait for production`, async () => {
    const pending = await server.json(`${V3}/actions/runs/${run}/pending_deployments`);
    return pending.length ? pending : null;
  });
  const settled = (run: number) => waitFor(`run ${run} to complete`, async () => {
    const r = await server.json(`${V3}/actions/runs/${run}`);
    return r.status === "completed" ? r : null;
  }, 60_000);
  const review = (run: number, user: string, state: "approved" | "rejected", envId: number, comment = "") =>
    server.api(`${V3}/actions/runs/${run}/pending_deployments`, { method: "POST", body: JSON.stringify({ environment_ids: [envId], state, comment }), ...as(user) });

  void it("waits for a reviewer, refuses self-review and non-reviewers, then runs with the environment's secret", async () => {
    const run = await dispatch("alice");
    const pending = await waiting(run);
    assert.equal(pending[0].environment.name, "production");
    assert.deepEqual(pending[0].reviewers.map((r: any) => r.reviewer.login), ["alice", "carol"]);
    assert.equal((await jobs(run)).deploy.status, "waiting");
    const envId = pending[0].environment.id;

    const self = await review(run, "alice", "approved", envId);
    assert.equal(self.status, 403);
    assert.match((await self.json()).message, /prevents self-review/);
    const stranger = await review(run, "bob", "approved", envId);
    assert.equal(stranger.status, 403);
    assert.match((await stranger.json()).message, /not a required reviewer/);
    assert.equal((await jobs(run)).deploy.status, "waiting", "a refused approval releases nothing");

    const ok = await review(run, "carol", "approved", envId, "ship it");
    assert.equal(ok.status, 200, await ok.text());
    const done = await settled(run);
    assert.equal(done.conclusion, "success");
    const log = await jobLog(run, "deploy");
    assert.match(log, /Approved by carol: ship it/);
    assert.match(log, /key-length=13 region=eu-west/, "the environment's secret and variable win over the repository's");
    assert.match(await jobLog(run, "staging"), /staging-key-length=10 region=\[\]/, "another environment's job never sees them");

    const deployments = await server.json(`${V3}/deployments?environment=production`);
    const d = deployments.find((x: any) => x.slipway.run_id === run);
    assert.equal(d.creator.login, "alice");
    assert.equal(d.slipway.url, `https://prod.example/${run}`);
    const states = (await server.json(`${V3}/deployments/${d.id}/statuses`)).map((s: any) => s.state).reverse();
    assert.deepEqual(states, ["queued", "waiting", "in_progress", "success"]);
    const approvals = await server.json(`${V3}/actions/runs/${run}/approvals`);
    assert.deepEqual(approvals.map((a: any) => [a.state, a.user.login, a.comment]), [["approved", "carol", "ship it"]]);
  });

  void it("a rejection fails the job with the reason, and a newer success makes the older deployment inactive", async () => {
    const first = (await server.json(`${V3}/deployments?environment=production`))[0];
    const run = await dispatch("alice");
    const pending = await waiting(run);
    // One slot (--parallel 1): the staging job can only finish if the waiting deploy job holds none.
    await waitFor("the staging job to finish while deploy waits", async () => (await jobs(run)).staging?.status === "completed");
    assert.equal((await jobs(run)).deploy.status, "waiting");
    const res = await review(run, "carol", "rejected", pending[0].environment.id, "not today");
    assert.equal(res.status, 200, await res.text());
    const done = await settled(run);
    assert.equal(done.conclusion, "failure");
    assert.match(await jobLog(run, "deploy"), /rejected by carol: not today/);
    const states = (await server.json(`${V3}/deployments/${first.id}/statuses`)).map((s: any) => s.state);
    assert.equal(states[0], "success", "a rejected deployment does not replace the live one");

    const again = await dispatch("alice");
    assert.equal((await review(again, "carol", "approved", (await waiting(again))[0].environment.id)).status, 200);
    assert.equal((await settled(again)).conclusion, "success");
    const older = (await server.json(`${V3}/deployments/${first.id}/statuses`)).map((s: any) => s.state);
    assert.equal(older[0], "inactive");
    const audit = (await server.json(`/api/slipway/repos/${REPO}/audit?action=deployment`)).entries.map((e: any) => [e.action, e.actor, e.target]);
    assert.deepEqual(audit.slice(0, 3), [["deployment.approve", "carol", "production"], ["deployment.reject", "carol", "production"], ["deployment.approve", "carol", "production"]]);
  });

  void it("a job reaching the environment after a decision waits for its own; a read-scope token may not decide", async () => {
    const run = await dispatch("alice", "main", "twice.yml");
    const first = await waiting(run);
    const readOnly = (await server.json("/api/slipway/tokens", { method: "POST", body: JSON.stringify({ name: "look", scope: "read" }), ...as("carol") })).token;
    const refused = await server.api(`${V3}/actions/runs/${run}/pending_deployments`, { method: "POST", body: JSON.stringify({ environment_ids: [first[0].environment.id], state: "approved" }), token: readOnly });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).message, /read-scope token may not review/);
    assert.equal((await review(run, "carol", "approved", first[0].environment.id, "migrate only")).status, 200);
    await waitFor("the release job to wait", async () => (await jobs(run)).release?.status === "waiting");
    const second = await waiting(run);
    assert.equal(second.length, 1, "the migration's approval does not release the release job");
    assert.equal((await review(run, "carol", "approved", second[0].environment.id, "release too")).status, 200);
    assert.equal((await settled(run)).conclusion, "success");
    assert.match(await jobLog(run, "release"), /Approved by carol: release too/);
  });

  void it("deleting an environment deletes its secrets and variables", async () => {
    await server.json(`${V3}/environments/temp`, { method: "PUT", body: JSON.stringify({}) });
    await server.json(`/api/slipway/repos/${REPO}/environments/temp/secrets/OLD_KEY`, { method: "PUT", body: JSON.stringify({ value: "old-secret" }) });
    await server.json(`${V3}/environments/temp/variables`, { method: "POST", body: JSON.stringify({ name: "OLD_VAR", value: "x" }) });
    assert.equal((await server.api(`${V3}/environments/temp`, { method: "DELETE" })).status, 204);
    await server.json(`${V3}/environments/temp`, { method: "PUT", body: JSON.stringify({}) });
    assert.equal((await server.json(`${V3}/environments/temp/secrets`)).total_count, 0);
    assert.equal((await server.json(`${V3}/environments/temp/variables`)).total_count, 0);
    await server.api(`${V3}/environments/temp`, { method: "DELETE" });
  });

  void it("a branch outside the policy fails the job naming the policy", async () => {
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } }) });
    await server.json(`${V3}/environments/production/deployment-branch-policies`, { method: "POST", body: JSON.stringify({ name: "main", type: "branch" }) });
    const run = await dispatch("alice", "feature");
    const done = await settled(run);
    assert.equal(done.conclusion, "failure");
    assert.match(await jobLog(run, "deploy"), /Branch "feature" is not allowed to deploy to production due to environment protection rules: the policy allows branch 'main'/);
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ deployment_branch_policy: null }) });
  });

  void it("the wait timer holds the job for its time after approval", async () => {
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ wait_timer: 3 }) });
    const run = await dispatch("alice");
    const pending = await waiting(run);
    assert.equal(pending[0].wait_timer, 3);
    assert.equal((await review(run, "carol", "approved", pending[0].environment.id)).status, 200);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await jobs(run)).deploy.status, "waiting", "approved, but the timer has not run out");
    const done = await settled(run);
    assert.equal(done.conclusion, "success");
    const started = Date.parse((await jobs(run)).deploy.started_at);
    assert.ok(started - Date.parse(pending[0].wait_timer_started_at) >= 3000, "the job starts once the three (test) minutes are over");
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ wait_timer: 0 }) });
  });

  void it("a restart, orderly or not, keeps a waiting job waiting, its timer included", async () => {
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ wait_timer: 1 }) });
    const run = await dispatch("alice");
    const first = await waiting(run);
    // Only a run whose every live job waits is kept: let the staging job finish first.
    await waitFor("the staging job to finish", async () => (await jobs(run)).staging?.status === "completed");
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir, env: { SLIPWAY_MINUTE_MS: "1000" }, args: ["--parallel", "1"] });
    assert.equal((await waiting(run))[0].wait_timer_started_at, first[0].wait_timer_started_at, "an orderly stop parks the run");
    await server.kill();
    server = await startTestServer({ dataDir: server.dataDir, env: { SLIPWAY_MINUTE_MS: "1000" }, args: ["--parallel", "1"] });
    const pending = await waiting(run);
    assert.equal(pending[0].wait_timer_started_at, first[0].wait_timer_started_at, "the timer keeps counting from when the job was triggered");
    const deployments = (await server.json(`${V3}/deployments?environment=production`)).filter((d: any) => d.slipway.run_id === run);
    assert.equal(deployments.length, 1, "the resumed job keeps its deployment");
    assert.equal((await jobs(run)).deploy.status, "waiting");
    assert.equal((await jobs(run)).build.conclusion, "success", "the finished job keeps its result");
    assert.equal((await review(run, "carol", "approved", pending[0].environment.id)).status, 200);
    assert.equal((await settled(run)).conclusion, "success");
    await server.json(`${V3}/environments/production`, { method: "PUT", body: JSON.stringify({ wait_timer: 0 }) });
  });

  void it("slipway env set and slipway approve/reject: a team reviews, others are refused with exit 2", async () => {
    const dave = await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name: "dave", teams: ["ops"], roles: [{ repo: REPO, role: "viewer" }] }) });
    const cli = (token: string, args: string[]) => slipway(args, { env: { SLIPWAY_URL: server.url, SLIPWAY_TOKEN: token } });
    const set = cli(tokens.alice as string, ["env", "set", REPO, "production", "--reviewer", "@ops", "--allow-self-review"]);
    assert.equal(set.code, 2, "a developer may not change environments");
    assert.match(set.stderr, /403 Must have maintainer role/);
    const ok = cli("slw_test_admin_token", ["env", "set", REPO, "production", "--reviewer", "@ops", "--allow-self-review", "--branches", "main", "--branches", "release/*"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /required_reviewers, branch_policy/);
    const run = await dispatch("alice");
    await waiting(run);
    const refused = cli(tokens.carol as string, ["reject", String(run), "--env", "production"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /carol is not a required reviewer of production \(reviewers: @ops\)/);
    const approved = cli(dave.token, ["approve", String(run), "--env", "production", "--comment", "ops says yes"]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, new RegExp(`run ${run}: production approved`));
    assert.equal((await settled(run)).conclusion, "success");
    const bad = cli(dave.token, ["approve", "x", "--env", "production"]);
    assert.equal(bad.code, 2);
  });

  void it("a job naming an unknown environment creates it without rules", async () => {
    const envs = (await server.json(`${V3}/environments`)).environments.map((e: any) => [e.name, e.protection_rules.length]);
    assert.deepEqual(envs, [["production", 2], ["staging", 0]]);
    const reviewerWithoutRole = await server.api(`${V3}/environments/staging`, { method: "PUT", body: JSON.stringify({ reviewers: [{ type: "User", name: "dave" }] }) });
    assert.equal(reviewerWithoutRole.status, 200, "dave is a viewer: he may review");
    await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name: "erin" }) });
    const stranger = await server.api(`${V3}/environments/staging`, { method: "PUT", body: JSON.stringify({ reviewers: [{ type: "User", name: "erin" }] }) });
    assert.equal(stranger.status, 422);
    assert.match((await stranger.json()).message, /erin has no role on acme\/shop/);
  });

  void it("seed 003's production deploy waits for approval, unchanged", async () => {
    const seed = readFileSync(path.join(ROOT, "test/fixtures/seeds/003_b5b455f98203a897/cd-production.yml"), "utf8");
    const seedDir = gitRepo({ ".github/workflows/cd-production.yml": seed });
    await registerRepo(server, "omni/hub", seedDir);
    await server.json("/api/slipway/repos/omni/hub/roles/users/carol", { method: "PUT", body: JSON.stringify({ role: "developer" }) });
    await server.json("/api/v3/repos/omni/hub/environments/production", { method: "PUT", body: JSON.stringify({ reviewers: [{ type: "User", name: "carol" }] }) });
    const res = await server.api("/api/v3/repos/omni/hub/actions/workflows/cd-production.yml/dispatches", { method: "POST", body: JSON.stringify({ ref: "main", inputs: { deployment_strategy: "canary" } }) });
    assert.equal(res.status, 204, await res.text());
    const run = (await waitFor("the seed's run", async () => (await server.json("/api/v3/repos/omni/hub/actions/runs")).workflow_runs[0]))?.id as number;
    const pending = await waitFor("the approval gate", async () => {
      const p = await server.json(`/api/v3/repos/omni/hub/actions/runs/${run}/pending_deployments`);
      return p.length ? p : null;
    });
    const byName = async () => Object.fromEntries(((await server.json(`/api/v3/repos/omni/hub/actions/runs/${run}/jobs`)).jobs as any[]).map((j) => [j.name, j]));
    const gate = Object.values(await byName()).find((j: any) => /Production Deployment Approval Required/.test(j.name)) as any;
    assert.equal(gate.status, "waiting");
    assert.equal((await byName())["Validate Staging Health"], undefined, "nothing downstream starts before the approval");
    const ok = await server.api(`/api/v3/repos/omni/hub/actions/runs/${run}/pending_deployments`, { method: "POST", body: JSON.stringify({ environment_ids: [pending[0].environment.id], state: "approved", comment: "go" }), token: tokens.carol });
    assert.equal(ok.status, 200, await ok.text());
    const approved = await waitFor("the approval job to finish", async () => {
      const j = Object.values(await byName()).find((x: any) => /Approval Required/.test(x.name)) as any;
      return j?.status === "completed" ? j : null;
    });
    assert.equal(approved.conclusion, "success");
    assert.match(await (await server.api(`/api/v3/repos/omni/hub/actions/jobs/${approved.id}/logs`)).text(), /Production deployment approved by admin/);
    await server.api(`/api/v3/repos/omni/hub/actions/runs/${run}/cancel`, { method: "POST" });
  });
});
