/**
 * The merge gate: branch protection rules and the merge check, on a real server with real git
 * repositories and real runs of a workflow written from seed 002 (required checks Test, Lint, Security
 * and Build; Test is a matrix, so its checks are `Test (3.8)` … `Test (3.12)`), plus seed 002's
 * db-migrate.yml, which runs only when a migration changes. Each scenario is a fixture file under
 * test/fixtures/merge-gate/cases/: a branch with its files, the rule, and the expected verdict. The
 * aggregate commit status `slipway/merge-gate` is checked at a Git host stand-in that records what it
 * receives; the pure rules (patterns, states, names) are checked from fixture tables.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, ROOT, gitRepo } from "../helpers/cli.ts";
import { StatusRecorder } from "../helpers/status-recorder.ts";
import { ADMIN_TOKEN, pullRequestDelivery, registerRepo, sendHook, startTestServer, type TestServer, waitFor } from "../helpers/server.ts";
import { branchPatternMatches, patternProblem, type ProtectionRule } from "../../src/store/protection-store.ts";
import { ruleFor, ruleFromBody } from "../../src/server/gate/rules.ts";
import { passes, stateOf } from "../../src/server/gate/check-state.ts";
import { checkNames } from "../../src/server/gate/job-names.ts";
import { staticCheckNames } from "../../src/server/gate/static-checks.ts";
import { triggerVerdicts } from "../../src/server/gate/filtered.ts";
import { selectTriggered } from "../../src/run/engine.ts";
import type { WorkflowModel } from "../../src/workflow/model.ts";
import { loadWorkflow } from "../../src/workflow/load.ts";
import type { JobRecord, Result, Status } from "../../src/store/store.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/merge-gate");
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8"));
const workflowText = (name: string) => readFileSync(path.join(FIXTURES, "workflows", name), "utf8");
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();

interface Verdict {
  mergeable: boolean;
  upToDate?: boolean;
  checks: Record<string, string>;
  checkReasons?: Record<string, string>;
  reasons: string[];
  status?: "success" | "pending" | "failure";
}

interface Case {
  file: string;
  name: string;
  branch: string;
  files: Record<string, string>;
  rule: Record<string, unknown>;
  runs?: number;
  advanceBase?: boolean;
  expect: Verdict;
  /** Re-run the failed jobs, then expect this. */
  rerunFailed?: Verdict;
  /** The same commit under another rule: the verdict is computed when asked. */
  thenRule?: { rule: Record<string, unknown>; expect: Verdict };
}

const CASES: Case[] = readdirSync(path.join(FIXTURES, "cases"))
  .sort()
  .map((f) => ({ file: f, ...fixture(`cases/${f}`) }));

void describe("merge gate rules", () => {
  const rule = (id: number, pattern: string) => ({ id, pattern }) as ProtectionRule;

  void it("matches branch name patterns as GitHub's fnmatch with FNM_PATHNAME does", () => {
    for (const t of fixture("patterns.json").matches) assert.equal(branchPatternMatches(t.pattern, t.branch), t.matches, `${t.pattern} vs ${t.branch}`);
  });

  void it("applies a rule naming the branch first, else the oldest matching pattern", () => {
    for (const t of fixture("patterns.json").precedence) {
      const rules = (t.rules as string[]).map((p, i) => rule(i + 1, p));
      assert.equal(ruleFor(rules, t.branch)?.pattern ?? null, t.applies, JSON.stringify(t));
    }
  });

  void it("refuses patterns GitHub does not support", () => {
    for (const t of fixture("patterns.json").problems) assert.match(patternProblem(t.pattern) ?? "", new RegExp(t.problem));
  });

  void it("reads GitHub's protection body: contexts and checks together, the rest ignored", () => {
    const r = ruleFromBody("main", { required_status_checks: { strict: true, contexts: ["Lint"], checks: [{ context: "Build", app_id: 15368 }, { context: "Lint" }] }, enforce_admins: true, restrictions: null });
    assert.deepEqual(r, { pattern: "main", requiresChecks: true, strict: true, checks: ["Lint", "Build"], filteredChecksPass: true });
    assert.deepEqual(ruleFromBody("main", { required_status_checks: null, slipway_filtered_checks_pass: false }), { pattern: "main", requiresChecks: false, strict: false, checks: [], filteredChecksPass: false });
    assert.throws(() => ruleFromBody("main", { required_status_checks: { contexts: "Lint" } }), /contexts must be an array/);
  });

  void it("derives a check's state from its job as GitHub does", () => {
    for (const t of fixture("states.json")) {
      const state = stateOf(t.status as Status, t.result as Result | null);
      assert.equal(state, t.state, JSON.stringify(t));
      assert.equal(passes(state), t.passing);
    }
  });

  void it("names stored jobs as GitHub names their checks (matrix instances, called workflows)", () => {
    const rows = fixture("job-names.json").jobs as Array<Pick<JobRecord, "id" | "runId" | "attempt" | "jobId" | "name"> & { check: string }>;
    const names = checkNames(rows as unknown as JobRecord[]);
    for (const r of rows) assert.equal(names.get(r.id), r.check, r.jobId);
  });

  const seedWorkflows = async (): Promise<WorkflowModel[]> => {
    const load = async (file: string) => (await loadWorkflow({ name: `.github/workflows/${file}`, content: workflowText(file) })).model as WorkflowModel;
    return [await load("ci.yml"), await load("db-migrate.yml")];
  };

  void it("knows the checks a workflow would report without running it", async () => {
    const [ci, migrate] = await seedWorkflows();
    assert.deepEqual(staticCheckNames(ci as WorkflowModel), ["Test (3.8)", "Test (3.9)", "Test (3.10)", "Test (3.11)", "Test (3.12)", "Lint", "Security", "Build"]);
    assert.deepEqual(staticCheckNames(migrate as WorkflowModel), ["validate-migrations"]);
  });

  void it("records a workflow as filtered only when its branch or path filters left the event out", async () => {
    const workflows = await seedWorkflows();
    for (const t of fixture("verdicts.json").events) {
      const ev = { name: t.event, payload: t.action ? { action: t.action } : {}, ref: t.ref, sha: "0".repeat(40), headRef: "", baseRef: t.baseRef ?? "" };
      const triggered = new Set(selectTriggered(workflows, ev, t.changed).map((x) => x.workflow.file));
      const got = Object.fromEntries(triggerVerdicts(workflows, triggered, ev, t.changed).map((v) => [v.workflow, v.filtered ? v.filtered.reason : "triggered"]));
      assert.deepEqual(got, t.expect, t.what);
    }
  });
});

/** A Git host's status API stand-in: records every commit status posted to it. */
/** The merge gate's aggregate statuses one commit received. */
function gateStatuses(statuses: StatusRecorder, sha: string) {
  return statuses.received.filter((s) => s.path === `/api/v3/repos/acme/gate/statuses/${sha}` && s.body.context === "slipway/merge-gate").map((s) => s.body);
}

void describe("merge gate on a server", () => {
  let server: TestServer;
  let repo: string;
  const statuses = new StatusRecorder();
  /** Case file → the head commit its pull request ran. */
  const heads = new Map<string, string>();
  // Not spawnSync: a blocked event loop would leave this process's status recorder and pooled
  // connections unserved while the command runs.
  const cli = (args: string[], token = ADMIN_TOKEN) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { ...process.env, SLIPWAY_URL: server.url, SLIPWAY_TOKEN: token } }, (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      });
    });

  before(async () => {
    await statuses.start();
    repo = gitRepo({ ".github/workflows/ci.yml": workflowText("ci.yml"), ".github/workflows/db-migrate.yml": workflowText("db-migrate.yml"), "agent_factory/__init__.py": "" });
    server = await startTestServer({ args: ["--parallel", "8"], env: { SLIPWAY_STATUS_API_URL: statuses.url, SLIPWAY_STATUS_TOKEN: "host-token" } });
    await registerRepo(server, "acme/gate", repo);
  });
  after(async () => {
    await server?.stop();
    await statuses.stop();
  });

  /** Commits the case's files on its own branch off main (and moves main on when asked); returns the head. */
  function prepareBranch(c: Case): { base: string; head: string } {
    const base = git(repo, "rev-parse", "main");
    git(repo, "checkout", "-q", "-b", c.branch, "main");
    for (const [f, content] of Object.entries(c.files)) {
      mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
      writeFileSync(path.join(repo, f), content);
    }
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", c.name);
    const head = git(repo, "rev-parse", "HEAD");
    git(repo, "checkout", "-q", "main");
    if (c.advanceBase) {
      writeFileSync(path.join(repo, `${c.file}.txt`), "main moved on\n");
      git(repo, "add", "-A");
      git(repo, "commit", "-q", "-m", "main moves on");
    }
    return { base, head };
  }

  async function settledRunsAt(sha: string, count: number, attempt = 1): Promise<any[]> {
    return waitFor(`${count} completed run(s) of ${sha.slice(0, 7)}`, async () => {
      const runs = (await server.json(`/api/v3/repos/acme/gate/actions/runs?head_sha=${sha}`)).workflow_runs as any[];
      return runs.length >= count && runs.every((r) => r.status === "completed" && (r.name !== "CI" || r.run_attempt === attempt)) ? runs : null;
    }).catch((e: Error) => {
      throw new Error(`${e.message}\nserver said:\n${server.output().slice(-3000)}`);
    });
  }

  function assertVerdict(got: any, want: Verdict, what: string): void {
    const states = Object.fromEntries(got.checks.map((c: any) => [c.name, c.state]));
    assert.deepEqual(states, want.checks, `${what}: ${JSON.stringify(got, null, 1)}`);
    assert.equal(got.mergeable, want.mergeable, `${what}: ${got.reasons.join("; ")}`);
    for (const c of got.checks) assert.equal(c.passing, ["success", "skipped", "neutral"].includes(c.state));
    for (const [name, reason] of Object.entries(want.checkReasons ?? {})) assert.ok(got.checks.find((c: any) => c.name === name)?.reason.includes(reason), `${what}: ${name} reason ${JSON.stringify(got.checks)}`);
    for (const r of want.reasons) assert.ok(got.reasons.some((x: string) => x.includes(r)), `${what}: reasons ${JSON.stringify(got.reasons)} lack '${r}'`);
    if (want.upToDate !== undefined) assert.equal(got.up_to_date, want.upToDate);
    for (const c of got.checks.filter((x: any) => x.state !== "missing" && !x.reason.includes("not triggered"))) assert.ok(Number.isInteger(c.job_id) && Number.isInteger(c.run_id), `${c.name} names its job`);
  }

  /**
   * The last `slipway/merge-gate` status of the commit says what the merge check says. Waited for before
   * the next case changes the rule: the status is computed after a run is seen completed.
   */
  async function aggregateArrives(sha: string, want: Verdict): Promise<void> {
    if (!want.status) return;
    const total = Object.keys(want.checks).length;
    const passed = Object.values(want.checks).filter((s) => ["success", "skipped", "neutral"].includes(s)).length;
    const last = await waitFor(`the merge gate status of ${sha.slice(0, 7)} to be ${want.status}`, async () => {
      const got = gateStatuses(statuses, sha).at(-1);
      return got && got.state === want.status && got.description.startsWith(`${passed}/${total} required checks passed`) ? got : null;
    });
    assert.match(last.target_url, /\/#\/repos\/acme\/gate\/runs\/\d+$/);
  }

  CASES.forEach((c, i) => {
    void it(`${c.file}: ${c.name}`, async () => {
      const number = i + 1;
      const put = await server.api(`/api/v3/repos/acme/gate/branches/main/protection`, { method: "PUT", body: JSON.stringify(c.rule) });
      assert.equal(put.status, 200, await put.clone().text());
      const { base, head } = prepareBranch(c);
      heads.set(c.file, head);
      const res = await sendHook(server, pullRequestDelivery("acme/gate", { number, baseSha: base, headRef: c.branch, headSha: head, deliveryId: `gate-${c.file}` }, "hook-secret"));
      assert.equal(res.status, 202, await res.text());
      const runs = await settledRunsAt(head, c.runs ?? 1);
      const byPr = await server.json(`/api/slipway/repos/acme/gate/pulls/${number}/merge-check`);
      assert.equal(byPr.sha, head);
      assert.equal(byPr.branch, "main");
      assertVerdict(byPr, c.expect, "pull request");
      await aggregateArrives(head, c.expect);
      const bySha = await server.json(`/api/slipway/repos/acme/gate/commits/${head}/merge-check?branch=main`);
      assert.deepEqual(bySha, omit(byPr, "pull_number"), "by commit and branch, the same answer");
      if (c.rerunFailed) {
        const ci = runs.find((r) => r.name === "CI");
        await server.json(`/api/v3/repos/acme/gate/actions/runs/${ci.id}/rerun-failed-jobs`, { method: "POST" });
        await settledRunsAt(head, c.runs ?? 1, 2);
        assertVerdict(await server.json(`/api/slipway/repos/acme/gate/pulls/${number}/merge-check`), c.rerunFailed, "after the re-run");
        await aggregateArrives(head, c.rerunFailed);
      }
      if (c.thenRule) {
        await server.json(`/api/v3/repos/acme/gate/branches/main/protection`, { method: "PUT", body: JSON.stringify(c.thenRule.rule) });
        assertVerdict(await server.json(`/api/slipway/repos/acme/gate/pulls/${number}/merge-check`), c.thenRule.expect, "under the second rule");
      }
    });
  });

  void it("the aggregate status starts pending; the jobs' own statuses stay", async () => {
    for (const c of CASES) {
      // An outdated branch fails at once: no run can bring it up to date.
      const first = gateStatuses(statuses, heads.get(c.file) as string)[0];
      assert.equal(first?.state, c.expect.upToDate === false ? "failure" : "pending", `${c.file}: the first verdict, while its runs go`);
    }
    const sha = heads.get("02-one-fails.json") as string;
    const perJob = statuses.received.filter((s) => s.path.endsWith(`/statuses/${sha}`) && s.body.context === "CI / Lint (pull_request)").map((s) => s.body.state);
    assert.deepEqual(perJob, ["pending", "failure"], "the per-job statuses stay");
  });

  void it("lists, reads and deletes rules; a pattern is one URL-encoded segment", async () => {
    await server.json(`/api/v3/repos/acme/gate/branches/${encodeURIComponent("release/*")}/protection`, { method: "PUT", body: JSON.stringify({ required_status_checks: { strict: true, contexts: ["Build"] } }) });
    const byName = await server.json(`/api/v3/repos/acme/gate/branches/${encodeURIComponent("release/v1")}/protection`);
    assert.equal(byName.slipway_pattern, "release/*", "a branch's GET answers the rule that applies to it");
    assert.deepEqual(byName.required_status_checks.checks, [{ context: "Build", app_id: null }]);
    assert.equal(byName.required_status_checks.strict, true);
    const list = await server.json("/api/slipway/repos/acme/gate/protection");
    assert.deepEqual(list.rules.map((r: any) => r.pattern), ["main", "release/*"]);
    const nested = await server.json(`/api/slipway/repos/acme/gate/commits/${heads.get("01-all-pass.json")}/merge-check?branch=${encodeURIComponent("release/v1/x")}`);
    assert.equal(nested.rule, null, "* does not cross /");
    assert.equal(nested.mergeable, true);
    assert.match(nested.reasons[0], /no protection rule covers branch release\/v1\/x/);
    assert.equal((await server.api(`/api/v3/repos/acme/gate/branches/${encodeURIComponent("release/*")}/protection`, { method: "DELETE" })).status, 204);
    assert.equal((await server.api(`/api/v3/repos/acme/gate/branches/${encodeURIComponent("release/*")}/protection`, { method: "DELETE" })).status, 404);
    const bad = await server.api(`/api/v3/repos/acme/gate/branches/main/protection`, { method: "PUT", body: JSON.stringify({ required_status_checks: { contexts: [""] } }) });
    assert.equal(bad.status, 422);
    assert.equal((await server.api(`/api/slipway/repos/acme/gate/commits/${heads.get("01-all-pass.json")}/merge-check`)).status, 422, "the branch is required");
    assert.equal((await server.api(`/api/slipway/repos/acme/gate/pulls/999/merge-check`)).status, 404);
  });

  void it("slipway protect and slipway merge-check: exit 0 mergeable, 1 not, 2 bad input", async () => {
    const checks = ["Test (3.8)", "Test (3.9)", "Test (3.10)", "Test (3.11)", "Test (3.12)", "Lint", "Security", "Build"];
    const set = await cli(["protect", "acme/gate", "main", ...checks.flatMap((c) => ["--check", c])]);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual((await server.json("/api/v3/repos/acme/gate/branches/main/protection")).required_status_checks.contexts, checks);
    const ok = await cli(["merge-check", "acme/gate", heads.get("01-all-pass.json") as string, "--branch", "main"]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /into main: mergeable/);
    assert.match(ok.stdout, /success\s+Test \(3\.11\)\s+passed/);
    const short = await cli(["merge-check", "acme/gate", (heads.get("01-all-pass.json") as string).slice(0, 10), "--branch", "main"]);
    assert.equal(short.code, 0, short.stdout + short.stderr);
    const no = await cli(["merge-check", "acme/gate", heads.get("02-one-fails.json") as string, "--branch", "main"]);
    assert.equal(no.code, 1, no.stdout + no.stderr);
    assert.match(no.stdout, /failure\s+Lint\s+failed/);
    assert.match(no.stdout, /blocked: required check 'Lint' failed/);
    const byPr = await cli(["merge-check", "acme/gate", "--pr", "1"]);
    assert.equal(byPr.code, 0, byPr.stdout + byPr.stderr);
    const json = await cli(["merge-check", "acme/gate", "--pr", "2", "--json"]);
    assert.equal(json.code, 1, json.stdout + json.stderr);
    assert.equal(JSON.parse(json.stdout).pull_number, 2);
    for (const bad of [["merge-check", "acme/gate"], ["merge-check", "acme/gate", "--pr", "1", "--branch", "main"], ["merge-check", "acme/nope", "abc1234", "--branch", "main"], ["merge-check", "acme/gate", "not-a-sha", "--branch", "main"], ["protect", "acme/gate", "main"]]) {
      const r = await cli(bad);
      assert.equal(r.code, 2, `${bad.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /slipway: /);
    }
  });

  void it("maintainers change rules, viewers read them; every change is audited", async () => {
    const user = async (name: string, role: string) =>
      (await server.json("/api/slipway/users", { method: "POST", body: JSON.stringify({ name, roles: [{ repo: "acme/gate", role }] }) })).token as string;
    const viewer = await user("vera", "viewer");
    const maintainer = await user("mia", "maintainer");
    const body = JSON.stringify({ required_status_checks: { strict: false, contexts: ["Lint"] } });
    const refused = await server.api("/api/v3/repos/acme/gate/branches/develop/protection", { method: "PUT", body, token: viewer });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).message, /maintainer/);
    assert.equal((await server.api("/api/v3/repos/acme/gate/branches/develop/protection", { method: "DELETE", token: viewer })).status, 403);
    assert.equal((await server.api("/api/v3/repos/acme/gate/branches/develop/protection", { method: "PUT", body, token: maintainer })).status, 200);
    assert.equal((await server.api("/api/v3/repos/acme/gate/branches/develop/protection", { token: viewer })).status, 200);
    assert.equal((await server.api(`/api/slipway/repos/acme/gate/commits/${heads.get("01-all-pass.json")}/merge-check?branch=main`, { token: viewer })).status, 200);
    const cliRefused = await cli(["protect", "acme/gate", "develop", "--check", "Build"], viewer);
    assert.equal(cliRefused.code, 2, cliRefused.stdout + cliRefused.stderr);
    assert.match(cliRefused.stderr, /403 Must have maintainer role/);
    const audit = await server.json("/api/slipway/repos/acme/gate/audit?action=protection&per_page=100");
    const entries = audit.entries as Array<{ actor: string; action: string; target: string; details: any }>;
    assert.ok(entries.some((e) => e.actor === "mia" && e.action === "protection.update" && e.target === "develop" && e.details.checks[0] === "Lint"));
    assert.ok(entries.some((e) => e.action === "protection.delete" && e.target === "release/*"));
    const puts = CASES.length + CASES.filter((c) => c.thenRule).length + 3;
    assert.equal(entries.filter((e) => e.action === "protection.update").length, puts, "each PUT is audited once");
    assert.ok(!entries.some((e) => e.actor === "vera"), "refused changes leave no entry");
  });
});

function omit<T extends Record<string, unknown>>(o: T, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = o;
  return rest;
}
