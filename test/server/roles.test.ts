/**
 * Roles against a running server: every state-changing endpoint in test/fixtures/roles/endpoints.json is
 * called by the principal just below the one that may (403 naming what is missing, nothing audited) and
 * by the one that may (not 403, exactly the listed actions audited, by that user); then the audit log is
 * read back and searched for secret and variable values. Also: token scope narrowing, what a viewer sees
 * across repositories, whoami, and `slipway user add` / `token create` as a user types them.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sodium from "libsodium-wrappers";
import { gitRepo, slipway as runCli } from "../helpers/cli.ts";
import { ADMIN_TOKEN, registerRepo, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

interface Row {
  method: string;
  path: string;
  body?: unknown;
  allowed: string;
  refused: string;
  audit: string[];
}

const FIXTURE = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/roles/endpoints.json"), "utf8")) as { groups: Record<string, Row[]> };
const ROWS = Object.entries(FIXTURE.groups).flatMap(([group, rows]) => rows.map((row) => ({ group, ...row })));

const SECRET = "Zq9-secret-value-never-logged";
const VARIABLE = "teal-variable-value-never-logged";

const WORKFLOW = `name: CI
on:
  push:
  workflow_dispatch:
  repository_dispatch:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "hello from \${{ github.repository }}"
`;

/** Principal → the user it is; each user gets its first token (admin scope) from POST /users. */
const USERS: Record<string, { name: string; body: Record<string, unknown> }> = {
  viewer: { name: "vic", body: { roles: [{ repo: "acme/app", role: "viewer" }] } },
  developer: { name: "dev", body: { teams: ["devs"] } },
  maintainer: { name: "maia", body: { roles: [{ repo: "acme/app", role: "maintainer" }] } },
  admin: { name: "ada", body: { roles: [{ repo: "acme/app", role: "admin" }] } },
  "site-admin": { name: "root", body: { site_admin: true } },
  user: { name: "una", body: {} },
};

/** What a refusal must name, by the principal that may. */
function refusalFor(allowed: string): RegExp {
  if (allowed === "site-admin") return /^Must be a site administrator/;
  if (allowed === "user") return /^Must use a token with admin scope/;
  return new RegExp(`^Must have ${allowed} role on acme/app \\(`);
}

void describe("roles and the audit log", () => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const values: Record<string, string> = {};
  let dir: string;

  const call = (p: string, token: string, init: RequestInit = {}) => server.api(p, { ...init, token });
  const as = async (who: string, p: string) => {
    const r = await call(p, tokens[who] as string);
    assert.equal(r.status, 200, `${who} GET ${p}: ${r.status}`);
    return r.json();
  };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  const auditAfter = async (id: number) => (await server.json("/api/slipway/audit?per_page=100")).entries.filter((e: any) => e.id > id);
  const lastAuditId = async () => (await server.json("/api/slipway/audit?per_page=1")).entries[0]?.id ?? 0;

  before(async () => {
    server = await startTestServer();
    dir = gitRepo({ ".github/workflows/ci.yml": WORKFLOW });
    await registerRepo(server, "acme/app", dir);
    for (const [principal, u] of Object.entries(USERS)) {
      const made = await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name: u.name, ...u.body }) });
      tokens[principal] = made.token;
    }
    await server.json("/api/slipway/repos/acme/app/roles/teams/devs", { method: "PUT", body: JSON.stringify({ role: "developer" }) });
    const mint = async (who: string, body: object) => server.json("/api/slipway/tokens", { method: "POST", body: JSON.stringify(body), token: tokens[who] });
    tokens["user-read"] = (await mint("user", { name: "una-read", scope: "read" })).token;
    values.vic_spare = String((await mint("viewer", { name: "spare" })).id);
    values.una_spare = String((await mint("user", { name: "spare" })).id);
    await server.api("/api/v3/repos/acme/app/actions/workflows/ci.yml/dispatches", { method: "POST", body: JSON.stringify({ ref: "main" }) });
    const run = await waitFor("the first run", async () => {
      const runs = (await server.json("/api/v3/repos/acme/app/actions/runs")).workflow_runs;
      return runs[0]?.status === "completed" ? runs[0] : null;
    });
    values.run = String(run.id);
    values.sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
    await sodium.ready;
    const key = await server.json("/api/v3/repos/acme/app/actions/secrets/public-key");
    values.key_id = key.key_id;
    values.sealed = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(SECRET), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)), sodium.base64_variants.ORIGINAL);
    values.secret = SECRET;
    values.variable = VARIABLE;
    values.repodir = gitRepo({ ".github/workflows/ci.yml": WORKFLOW });
  });
  after(async () => server?.stop());

  void it("the fixture covers every group and names known principals", () => {
    const known = new Set([...Object.keys(USERS), "user-read"]);
    for (const row of ROWS) {
      assert.ok(known.has(row.allowed) && known.has(row.refused), `${row.method} ${row.path}: unknown principal`);
      assert.notEqual(row.allowed, row.refused);
    }
    assert.ok(ROWS.length >= 30, `${ROWS.length} rows`);
  });

  void it("refuses each state change to the role below with 403 naming what is missing, and audits it when allowed", async () => {
    for (const row of ROWS) {
      const what = `${row.group}: ${row.method} ${row.path}`;
      const init = { method: row.method, body: row.body === undefined ? undefined : fill(JSON.stringify(row.body)) };
      const mark = await lastAuditId();
      const refused = await call(fill(row.path), tokens[row.refused] as string, init);
      assert.equal(refused.status, 403, `${what} as ${row.refused}`);
      assert.match((await refused.json()).message, refusalFor(row.allowed), `${what} as ${row.refused}`);
      assert.deepEqual(await auditAfter(mark), [], `${what}: a refused request changes nothing`);
      const allowed = await call(fill(row.path), tokens[row.allowed] as string, init);
      const text = await allowed.text();
      assert.ok(![401, 403].includes(allowed.status) && allowed.status < 500, `${what} as ${row.allowed}: ${allowed.status} ${text}`);
      const entries = await auditAfter(mark);
      assert.deepEqual(entries.map((e: any) => e.action).sort(), [...row.audit].sort(), `${what}: audited actions`);
      const actor = USERS[row.allowed === "user-read" ? "user" : row.allowed]?.name;
      for (const e of entries) assert.equal(e.actor, actor, `${what}: ${e.action} is by ${actor}`);
    }
  });

  void it("keeps every secret and variable value out of the audit log, whoever reads it", async () => {
    const pages: string[] = [];
    for (let page = 1; ; page++) {
      const r = await server.api(`/api/slipway/audit?per_page=10&page=${page}`);
      const text = await r.text();
      pages.push(text);
      if (!/rel="next"/.test(r.headers.get("link") ?? "")) break;
    }
    const repo = await call("/api/slipway/repos/acme/app/audit?per_page=100", tokens.maintainer as string);
    pages.push(await repo.text());
    const all = pages.join("\n");
    assert.match(all, /"secret\.set"/);
    assert.match(all, /"variable\.update"/);
    for (const v of [SECRET, VARIABLE, values.sealed as string]) assert.ok(!all.includes(v), `the audit log holds a value (${v.slice(0, 8)}…)`);
    const names = pages.flatMap((p) => JSON.parse(p).entries.map((e: any) => e.target));
    assert.ok(names.includes("SEALED_ONE") && names.includes("REGION"), "entries name the secret or variable");
  });

  void it("filters and pages the audit log; a repository's log is its maintainers' and holds only its entries", async () => {
    const bySite = await server.json("/api/slipway/audit?actor=root&action=secret&per_page=100");
    assert.deepEqual(bySite.entries.map((e: any) => `${e.action} ${e.target}`).sort(), ["secret.delete GLOBAL_ONE", "secret.set GLOBAL_ONE"]);
    assert.ok(bySite.entries.every((e: any) => e.repo === null));
    const first = await server.api("/api/slipway/audit?per_page=2");
    const link = first.headers.get("link") ?? "";
    assert.match(link, /rel="next"/);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] as string;
    const second = await server.json(new URL(next).pathname + new URL(next).search);
    const ids = [...(await first.json()).entries, ...second.entries].map((e: any) => e.id);
    assert.equal(new Set(ids).size, 4, "two pages of two different entries");
    assert.ok(ids[0] > ids[1] && ids[1] > ids[2], "newest first");
    const future = await server.json(`/api/slipway/audit?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    assert.equal(future.total_count, 0);
    const past = await server.json(`/api/slipway/audit?until=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    assert.ok(past.total_count > 20);
    assert.equal((await server.api("/api/slipway/audit?since=yesterday")).status, 422);
    const repoLog = await as("maintainer", "/api/slipway/repos/acme/app/audit?per_page=100");
    assert.ok(repoLog.entries.length > 0 && repoLog.entries.every((e: any) => e.repo === "acme/app"));
    assert.ok(repoLog.entries.some((e: any) => e.action === "role.set" && e.target === "una"));
    const dev = await call("/api/slipway/repos/acme/app/audit", tokens.developer as string);
    assert.equal(dev.status, 403);
    assert.match((await dev.json()).message, /Must have maintainer role on acme\/app \(you have developer\)/);
    assert.equal((await call("/api/slipway/audit", tokens.admin as string)).status, 403, "a repository admin is not a site administrator");
  });

  void it("lets a token's scope only narrow its user's roles", async () => {
    const read = await server.json("/api/slipway/tokens", { method: "POST", body: JSON.stringify({ name: "ro", scope: "read" }), token: tokens.admin });
    const refused = await call("/api/v3/repos/acme/app/actions/workflows/ci.yml/dispatches", read.token, { method: "POST", body: JSON.stringify({ ref: "main" }) });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).message, "Must have developer role on acme/app (you have viewer)");
    assert.equal((await call("/api/v3/repos/acme/app/actions/runs", read.token)).status, 200, "it may still look");
    const write = await server.json("/api/slipway/tokens", { method: "POST", body: JSON.stringify({ name: "rw", scope: "write" }), token: tokens.admin });
    const roles = await call("/api/slipway/repos/acme/app/roles/users/una", write.token, { method: "PUT", body: JSON.stringify({ role: "viewer" }) });
    assert.equal(roles.status, 403, "write scope stops at maintainer");
    assert.match((await roles.json()).message, /Must have admin role on acme\/app \(you have maintainer\)/);
    assert.equal((await call("/api/slipway/tokens", write.token, { method: "POST", body: JSON.stringify({ name: "x" }) })).status, 403, "a narrowed token mints no tokens");
    // A site administrator's write token may change global secrets (maintainer's work) but not add users.
    const rootWrite = await server.json("/api/slipway/tokens", { method: "POST", body: JSON.stringify({ name: "rw", scope: "write" }), token: tokens["site-admin"] });
    assert.equal((await call("/api/slipway/secrets/FROM_WRITE", rootWrite.token, { method: "PUT", body: JSON.stringify({ value: "v" }) })).status, 201);
    const users = await call("/api/slipway/users", rootWrite.token, { method: "POST", body: JSON.stringify({ name: "nope" }) });
    assert.equal(users.status, 403);
    assert.match((await users.json()).message, /site administrator using a token whose scope allows admin \(this token has write scope/);
  });

  void it("shows a viewer only the repositories, runs and logs it may view", async () => {
    const otherDir = gitRepo({ ".github/workflows/ci.yml": WORKFLOW });
    await registerRepo(server, "acme/other", otherDir);
    await server.api("/api/v3/repos/acme/other/actions/workflows/ci.yml/dispatches", { method: "POST", body: JSON.stringify({ ref: "main" }) });
    const other = await waitFor("a run of acme/other", async () => (await server.json("/api/v3/repos/acme/other/actions/runs")).workflow_runs[0]);
    const all = await server.json("/api/slipway/runs?per_page=100");
    assert.ok(all.workflow_runs.some((r: any) => r.repository.full_name === "acme/other"), "the site administrator sees every repository's runs");
    const seen = await as("viewer", "/api/slipway/runs?per_page=100");
    assert.ok(seen.workflow_runs.length > 0);
    assert.deepEqual([...new Set(seen.workflow_runs.map((r: any) => r.repository.full_name))], ["acme/app"]);
    assert.equal(seen.total_count, (await server.json("/api/v3/repos/acme/app/actions/runs")).total_count);
    const paged = await as("viewer", "/api/slipway/runs?per_page=1&page=2");
    assert.equal(paged.workflow_runs[0]?.id, seen.workflow_runs[1]?.id, "pages of a filtered list line up");
    const asked = await call("/api/slipway/runs?repo=acme/other", tokens.viewer as string);
    assert.equal(asked.status, 403);
    assert.match((await asked.json()).message, /Must have viewer role on acme\/other \(you have no role there\)/);
    assert.deepEqual((await as("viewer", "/api/slipway/repos")).repositories.map((r: any) => r.full_name), ["acme/app"]);
    const otherJob = (await server.json(`/api/v3/repos/acme/other/actions/runs/${other.id}/jobs`)).jobs[0];
    assert.equal((await call(`/api/slipway/jobs/${otherJob.id}/logs`, tokens.viewer as string)).status, 403);
    assert.equal((await call(`/api/slipway/jobs/${otherJob.id}/logs/stream`, tokens.viewer as string)).status, 403);
    const ownJob = (await server.json(`/api/v3/repos/acme/app/actions/runs/${values.run}/jobs?filter=all`)).jobs[0];
    assert.equal((await call(`/api/slipway/jobs/${ownJob.id}/logs`, tokens.viewer as string)).status, 200);
    for (const p of ["/api/slipway/variables", "/api/slipway/secrets"]) {
      const r = await call(p, tokens.admin as string);
      assert.equal(r.status, 403, `${p}: global values are the site administrators'`);
    }
  });

  void it("answers whoami, user, team and role reads", async () => {
    assert.deepEqual(await as("developer", "/api/slipway/whoami"), { name: "dev", site_admin: false, scope: "admin", roles: { "acme/app": "developer" } });
    const root = await as("site-admin", "/api/slipway/whoami");
    assert.equal(root.site_admin, true);
    assert.equal(root.roles["acme/app"], "admin");
    assert.deepEqual((await as("user-read", "/api/slipway/whoami")).roles, {});
    const roles = (await as("viewer", "/api/slipway/repos/acme/app/roles")).roles;
    assert.deepEqual(roles.find((g: any) => g.name === "devs"), { type: "team", name: "devs", role: "developer" });
    assert.equal((await call("/api/slipway/repos/acme/app/roles", tokens.user as string)).status, 403);
    const perm = await as("viewer", "/api/v3/repos/acme/app/collaborators/dev/permission");
    assert.deepEqual([perm.permission, perm.role_name, perm.user.login], ["write", "write", "dev"]);
    const devs = (await as("user", "/api/slipway/teams")).teams.find((t: any) => t.name === "devs");
    assert.deepEqual(devs.members, ["dev"]);
    const self = await as("user", "/api/slipway/users/una");
    assert.ok(self.tokens.some((t: any) => t.name === "laptop"), "a user sees its own tokens");
    const stranger = await as("user", "/api/slipway/users/vic");
    assert.equal(stranger.tokens, undefined, "but not another's");
  });

  void it("adds users and tokens from the command line", async () => {
    const env = { SLIPWAY_URL: server.url, SLIPWAY_TOKEN: ADMIN_TOKEN };
    const slipway = (args: string[], opts: { env: Record<string, string> }) => runCli(args, opts);
    // While the CLI runs (synchronously) the server may close an idle keep-alive connection (after 5 s);
    // a GET that finds its pooled socket closed is sent once more on a new one.
    const call = async (p: string, token: string) => {
      try {
        return await server.api(p, { token });
      } catch (e) {
        if ((e as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw e;
        return server.api(p, { token });
      }
    };
    const add = slipway(["user", "add", "carol", "--team", "qa", "--team", "devs", "--role", "maintainer", "--repo", "acme/app", "--role", "viewer", "--repo", "acme/other"], { env });
    assert.equal(add.code, 0, add.stderr);
    const token = add.stdout.trim();
    assert.match(token, /^slw_/);
    assert.match(add.stderr, /user 'carol' added \(teams devs, qa; maintainer on acme\/app, viewer on acme\/other\)/);
    const me = await (await call("/api/slipway/whoami", token)).json();
    assert.deepEqual(me.roles, { "acme/app": "maintainer", "acme/other": "viewer" });
    const carol = { ...env, SLIPWAY_TOKEN: token };
    const own = slipway(["token", "create", "ci", "--scope", "write"], { env: carol });
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stderr, /token 'ci' of carol with write scope/);
    const forOther = slipway(["token", "create", "x", "--user", "vic"], { env: carol });
    assert.equal(forOther.code, 2);
    assert.match(forOther.stderr, /403 Must be a site administrator/);
    const byAdmin = slipway(["token", "create", "bot", "--user", "carol", "--scope", "read"], { env });
    assert.equal(byAdmin.code, 0, byAdmin.stderr);
    assert.equal((await (await call("/api/slipway/whoami", byAdmin.stdout.trim())).json()).name, "carol");
    const unpaired = slipway(["user", "add", "dave", "--role", "admin"], { env });
    assert.equal(unpaired.code, 2);
    assert.match(unpaired.stderr, /each --role needs its --repo/);
    const again = slipway(["user", "add", "carol"], { env });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /409 user carol already exists/);
    const badRepo = slipway(["user", "add", "erin", "--role", "viewer", "--repo", "no/such"], { env });
    assert.equal(badRepo.code, 2);
    assert.match(badRepo.stderr, /404 repository no\/such is not registered/);
    assert.equal((await call("/api/slipway/users/erin", ADMIN_TOKEN)).status, 404, "nothing is created when an input is wrong");
    const notAdmin = slipway(["user", "add", "frank"], { env: carol });
    assert.equal(notAdmin.code, 2, notAdmin.stderr + notAdmin.stdout);
    assert.match(notAdmin.stderr, /403 Must be a site administrator/);
  });
});
