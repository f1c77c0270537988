/**
 * The `/api/v3` contract as GitHub's own client sees it: every request here goes through `@octokit/rest`
 * pointed at `slipway server`, against a local repository whose workflows run on the host. Each case
 * checks what the client gets back (statuses, shapes, thrown RequestErrors) and what the jobs did.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Octokit } from "@octokit/rest";
import sodium from "libsodium-wrappers";
import { gitRepo, tmpDir } from "../helpers/cli.ts";
import { ADMIN_TOKEN, registerRepo, startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const owner = "acme";
const repo = "octo";
const SECRET_VALUE = "Tr0ub4dor&3-correct-horse";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const DISPATCH = `name: Dispatch
on:
  workflow_dispatch:
    inputs:
      level:
        type: choice
        options: [low, high]
        default: low
      count:
        type: number
        default: 1
      flag:
        type: boolean
        default: false
      fail:
        type: boolean
        default: false
jobs:
  show:
    runs-on: ubuntu-latest
    outputs:
      level: \${{ steps.o.outputs.level }}
    steps:
      - id: o
        run: |
          echo "level=\${{ inputs.level }}" >> "$GITHUB_OUTPUT"
          echo "got level=\${{ inputs.level }} count=\${{ toJSON(inputs.count) }} flag=\${{ inputs.flag && 'yes' || 'no' }} attempt=$GITHUB_RUN_ATTEMPT"
      - run: test "\${{ inputs.fail }}" != true
  after:
    needs: show
    runs-on: ubuntu-latest
    steps:
      - run: echo "output reached=\${{ needs.show.outputs.level }}"
`;

// `a` and `b` append to a file outside the workspace, so a job that runs again leaves a second line.
const GRAPH = `name: Graph
on:
  workflow_dispatch:
    inputs:
      marker:
        type: string
        required: true
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "a ran attempt=$GITHUB_RUN_ATTEMPT"
          echo "a $GITHUB_RUN_ATTEMPT" >> "\${{ inputs.marker }}"
  m:
    needs: a
    strategy:
      matrix:
        n: [1, 2]
    runs-on: ubuntu-latest
    steps:
      - run: echo "m \${{ matrix.n }}"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo "b $GITHUB_RUN_ATTEMPT" >> "\${{ inputs.marker }}"
      - run: |
          echo "b ran attempt=$GITHUB_RUN_ATTEMPT"
          exit 1
`;

const SLEEP = `name: Sleep
on: workflow_dispatch
jobs:
  nap:
    runs-on: ubuntu-latest
    steps:
      - run: echo started-napping
      - run: sleep 30
`;

// The secret is checked by its hash, so its plain value appears nowhere in the workflow text.
const CONTEXT = `name: Context
on: workflow_dispatch
jobs:
  use:
    runs-on: ubuntu-latest
    env:
      X: \${{ secrets.DEPLOY_KEY }}
    steps:
      - run: test "$(printf %s "$X" | sha256sum | cut -d' ' -f1)" = "${sha256(SECRET_VALUE)}"
      - run: echo "secret says $X"
      - run: echo "greeting=\${{ vars.GREETING }}"
`;

const PUSH_ONLY = `name: Push only
on: push
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - run: echo push
`;

const DEPLOY = `name: Deploy
on:
  repository_dispatch:
    types: [deploy]
jobs:
  go:
    runs-on: ubuntu-latest
    steps:
      - run: echo "payload x=\${{ github.event.client_payload.x }} y=\${{ github.event.client_payload.nested.y }} type=\${{ github.event.action }}"
`;

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

type Run = Awaited<ReturnType<Octokit["rest"]["actions"]["getWorkflowRun"]>>["data"];

/** Awaits `p` and returns the status of the RequestError it throws (and its message). */
async function failure(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name?: string; status?: number; message?: string };
    assert.equal(err.name, "HttpError", `expected octokit's RequestError, got ${String(e)}`);
    return { status: err.status ?? -1, message: err.message ?? "" };
  }
  assert.fail("the request succeeded");
}

void describe("the /api/v3 API through @octokit/rest", () => {
  let server: TestServer;
  let octokit: Octokit;
  let dir: string;

  before(async () => {
    dir = gitRepo({
      ".github/workflows/dispatch.yml": DISPATCH,
      ".github/workflows/graph.yml": GRAPH,
      ".github/workflows/sleep.yml": SLEEP,
      ".github/workflows/context.yml": CONTEXT,
      ".github/workflows/push-only.yml": PUSH_ONLY,
      ".github/workflows/deploy.yml": DEPLOY,
    });
    execFileSync("git", ["branch", "feature"], { cwd: dir });
    server = await startTestServer();
    await registerRepo(server, `${owner}/${repo}`, dir);
    octokit = client(ADMIN_TOKEN);
  });
  after(async () => server?.stop());

  const client = (auth?: string) => new Octokit({ auth, baseUrl: `${server.url}/api/v3`, log: silent });

  const allRunIds = async () => new Set((await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { owner, repo, per_page: 100 })).map((r) => r.id));

  /** Dispatches and returns the id of the run it created. */
  async function dispatch(workflow: string, inputs: Record<string, unknown> = {}, ref = "main"): Promise<number> {
    const known = await allRunIds();
    const res = await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: workflow, ref, inputs });
    assert.equal(res.status, 204);
    return newRun(known, workflow);
  }

  async function newRun(known: Set<number>, workflow: string): Promise<number> {
    return waitFor(`a new run of ${workflow}`, async () => {
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 100 });
      return data.workflow_runs.find((r) => !known.has(r.id) && r.path.endsWith(`/${workflow}`))?.id;
    }, 30_000);
  }

  async function settled(runId: number, attempt = 1): Promise<Run> {
    return waitFor(`run ${runId} attempt ${attempt} to complete`, async () => {
      const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
      return data.status === "completed" && data.run_attempt === attempt ? data : null;
    }, 45_000);
  }

  const jobsOf = async (runId: number) => (await octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: runId })).data.jobs;
  const jobNamed = async (runId: number, name: string) => {
    const job = (await jobsOf(runId)).find((j) => j.name === name);
    assert.ok(job, `run ${runId} has a job '${name}'`);
    return job;
  };

  async function jobLog(jobId: number): Promise<string> {
    const res = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: jobId });
    assert.equal(res.status, 200, "the 302 was followed to the log itself");
    assert.match(res.url, /\/_blobs\//, "the final URL is the signed link the 302 named");
    assert.equal(typeof res.data, "string");
    return res.data as unknown as string;
  }

  void describe("workflow_dispatch", () => {
    let runId: number;

    void it("answers 204, and the run gets the typed inputs, with event workflow_dispatch", async () => {
      runId = await dispatch("dispatch.yml", { level: "high", count: "3", flag: true });
      const run = await settled(runId);
      assert.equal(run.event, "workflow_dispatch");
      assert.equal(run.head_branch, "main");
      assert.equal(run.path, ".github/workflows/dispatch.yml");
      assert.equal(run.name, "Dispatch");
      assert.equal(run.conclusion, "success");
      assert.equal(run.run_attempt, 1);
      assert.equal(run.head_sha, execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim());
      const show = await jobLog((await jobNamed(runId, "show")).id);
      // count is a number (toJSON gives 3, not "3"); flag is a boolean true.
      assert.match(show, /got level=high count=3 flag=yes attempt=1/);
      const downstream = await jobLog((await jobNamed(runId, "after")).id);
      assert.match(downstream, /output reached=high/, "the input went through $GITHUB_OUTPUT into a job output");
    });

    void it("uses the declared defaults for inputs not given", async () => {
      const id = await dispatch("dispatch.yml");
      await settled(id);
      assert.match(await jobLog((await jobNamed(id, "show")).id), /got level=low count=1 flag=no/);
    });

    void it("refuses a choice outside its options with 422 naming the input and the allowed values", async () => {
      const known = await allRunIds();
      const err = await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "main", inputs: { level: "extreme" } }));
      assert.equal(err.status, 422);
      assert.match(err.message, /level/);
      assert.match(err.message, /low, high/);
      assert.match(err.message, /extreme/);
      const undeclared = await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "main", inputs: { nope: "1" } }));
      assert.equal(undeclared.status, 422);
      assert.match(undeclared.message, /nope/);
      const notNumber = await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "main", inputs: { count: "many" } }));
      assert.equal(notNumber.status, 422);
      assert.match(notNumber.message, /count/);
      assert.deepEqual(await allRunIds(), known, "a refused dispatch queues nothing");
    });

    void it("answers 404 for an unknown workflow file and 422 for one without workflow_dispatch or an unknown ref", async () => {
      assert.equal((await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "missing.yml", ref: "main" }))).status, 404);
      const push = await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "push-only.yml", ref: "main" }));
      assert.equal(push.status, 422);
      assert.match(push.message, /workflow_dispatch/);
      const ref = await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "no-such-branch" }));
      assert.equal(ref.status, 422);
      assert.match(ref.message, /no-such-branch/);
    });

    void it("reRunWorkflow answers 201 and runs attempt 2 under the same id, with the same inputs", async () => {
      const res = await octokit.rest.actions.reRunWorkflow({ owner, repo, run_id: runId });
      assert.equal(res.status, 201);
      const run = await settled(runId, 2);
      assert.equal(run.id, runId);
      assert.equal(run.conclusion, "success");
      assert.ok(run.previous_attempt_url?.endsWith(`/runs/${runId}/attempts/1`), String(run.previous_attempt_url));
      assert.match(await jobLog((await jobNamed(runId, "show")).id), /got level=high count=3 flag=yes attempt=2/);
      const all = (await octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: runId, filter: "all" })).data;
      assert.equal(all.total_count, 4, "two jobs in each of two attempts");
      assert.deepEqual(all.jobs.map((j) => j.run_attempt).sort(), [1, 1, 2, 2]);
    });
  });

  void describe("listing runs", () => {
    const mine: Record<string, number> = {};

    before(async () => {
      const known = await allRunIds();
      await Promise.all([
        octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "main" }),
        octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "feature", inputs: { fail: true } }),
        octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "feature" }),
      ]);
      const runs = await waitFor("three dispatched runs to complete", async () => {
        const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 100 });
        const fresh = data.workflow_runs.filter((r) => !known.has(r.id));
        return fresh.length === 3 && fresh.every((r) => r.status === "completed") ? fresh : null;
      }, 45_000);
      for (const r of runs) mine[`${r.head_branch}/${r.conclusion}`] = r.id;
      assert.deepEqual(Object.keys(mine).sort(), ["feature/failure", "feature/success", "main/success"]);
    });

    const list = async (q: { branch?: string; event?: string; status?: "completed" | "failure" | "success" | "in_progress" }) => {
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 100, ...q });
      assert.equal(data.total_count, data.workflow_runs.length);
      return data.workflow_runs;
    };

    void it("filters by branch", async () => {
      const feature = await list({ branch: "feature" });
      assert.deepEqual(feature.map((r) => r.id).sort(), [mine["feature/failure"], mine["feature/success"]].sort());
      const main = await list({ branch: "main" });
      assert.ok(main.length >= 1 && main.every((r) => r.head_branch === "main"));
      assert.ok(main.some((r) => r.id === mine["main/success"]));
    });

    void it("filters by event", async () => {
      const wd = await list({ event: "workflow_dispatch" });
      assert.ok(wd.every((r) => r.event === "workflow_dispatch"));
      for (const id of Object.values(mine)) assert.ok(wd.some((r) => r.id === id));
      assert.deepEqual(await list({ event: "schedule" }), []);
    });

    void it("filters by status, which matches a status or a conclusion", async () => {
      const completed = await list({ status: "completed" });
      assert.ok(completed.every((r) => r.status === "completed"));
      for (const id of Object.values(mine)) assert.ok(completed.some((r) => r.id === id));
      const failed = await list({ status: "failure" });
      assert.ok(failed.length >= 1 && failed.every((r) => r.conclusion === "failure"));
      assert.ok(failed.some((r) => r.id === mine["feature/failure"]));
      const succeeded = await list({ status: "success" });
      assert.ok(succeeded.every((r) => r.conclusion === "success"));
      assert.ok(succeeded.some((r) => r.id === mine["main/success"]));
      assert.ok(!succeeded.some((r) => r.id === mine["feature/failure"]));
      assert.deepEqual(await list({ status: "in_progress" }), []);
    });

    void it("filters per workflow with listWorkflowRuns", async () => {
      const { data } = await octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: "dispatch.yml", per_page: 100 });
      assert.ok(data.workflow_runs.length >= 3 && data.workflow_runs.every((r) => r.path === ".github/workflows/dispatch.yml"));
      assert.equal(data.total_count, data.workflow_runs.length);
    });

    void it("pages with per_page, a Link header and octokit.paginate", async () => {
      const first = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 2 });
      const total = first.data.total_count;
      assert.ok(total >= 3, `at least three runs, got ${total}`);
      assert.equal(first.data.workflow_runs.length, 2);
      assert.match(first.headers.link ?? "", /rel="next"/);
      const second = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 2, page: 2 });
      assert.equal(second.data.total_count, total);
      const firstIds = first.data.workflow_runs.map((r) => r.id);
      assert.ok(second.data.workflow_runs.every((r) => !firstIds.includes(r.id)), "page 2 repeats nothing from page 1");
      const every = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { owner, repo, per_page: 2 });
      assert.equal(every.length, total);
      assert.equal(new Set(every.map((r) => r.id)).size, total, "no run twice");
      const created = every.map((r) => Date.parse(r.created_at));
      assert.deepEqual(created, [...created].sort((x, y) => y - x), "newest first");
      const lastPage = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 2, page: Math.ceil(total / 2) });
      assert.doesNotMatch(lastPage.headers.link ?? "", /rel="next"/);
    });

    void it("gets one run, with GitHub's workflow-run fields", async () => {
      const id = mine["feature/failure"] as number;
      const { data, status } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: id });
      assert.equal(status, 200);
      assert.equal(data.id, id);
      assert.equal(data.conclusion, "failure");
      assert.equal(data.head_branch, "feature");
      assert.equal(data.repository.full_name, `${owner}/${repo}`);
      assert.ok(data.jobs_url.endsWith(`/actions/runs/${id}/jobs`));
      assert.ok(typeof data.run_number === "number" && data.run_number >= 1);
      const jobs = await jobsOf(id);
      const show = jobs.find((j) => j.name === "show");
      assert.equal(show?.conclusion, "failure");
      assert.deepEqual(show?.steps?.map((s) => s.conclusion), ["success", "success", "failure", "success"]);
      assert.deepEqual([show?.steps?.[0]?.name, show?.steps?.at(-1)?.name], ["Set up job", "Complete job"]);
      assert.equal(jobs.find((j) => j.name === "after")?.conclusion, "skipped");
    });
  });

  void describe("jobs and re-running failed jobs", () => {
    let runId: number;
    const marker = path.join(tmpDir("slipway-marker-"), "ran.txt");

    before(async () => {
      writeFileSync(marker, "");
      runId = await dispatch("graph.yml", { marker });
      await settled(runId);
    });

    void it("lists the jobs with steps, conclusions and matrix names", async () => {
      const { data } = await octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: runId });
      assert.equal(data.total_count, 4);
      const by = Object.fromEntries(data.jobs.map((j) => [j.name, j]));
      assert.deepEqual(Object.keys(by).sort(), ["a", "b", "m (1)", "m (2)"]);
      assert.deepEqual(Object.fromEntries(data.jobs.map((j) => [j.name, j.conclusion])), { a: "success", b: "failure", "m (1)": "success", "m (2)": "success" });
      for (const j of data.jobs) {
        assert.equal(j.run_id, runId);
        assert.equal(j.status, "completed");
        assert.ok(j.steps && j.steps.length >= 1, `${j.name} has steps`);
        // GitHub's numbering: 1 is "Set up job", the job's own steps follow, "Complete job" ends it.
        assert.deepEqual(j.steps.map((s) => s.number), j.steps.map((_, i) => i + 1));
      }
      const bSteps = by.b?.steps ?? [];
      assert.deepEqual(bSteps.map((s) => [s.name.startsWith("Set up") || s.name === "Complete job" ? s.name : "step", s.status, s.conclusion]), [
        ["Set up job", "completed", "success"], ["step", "completed", "success"], ["step", "completed", "failure"], ["Complete job", "completed", "success"],
      ]);
      const paged = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, { owner, repo, run_id: runId, per_page: 1 });
      assert.deepEqual(paged.map((j) => j.id).sort(), data.jobs.map((j) => j.id).sort());
      assert.equal((await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data.conclusion, "failure");
    });

    void it("reRunWorkflowFailedJobs runs only b again, keeping a's result", async () => {
      assert.equal(readFileSync(marker, "utf8"), "a 1\nb 1\n");
      const res = await octokit.rest.actions.reRunWorkflowFailedJobs({ owner, repo, run_id: runId });
      assert.equal(res.status, 201);
      const run = await settled(runId, 2);
      assert.equal(run.id, runId);
      assert.equal(run.conclusion, "failure");
      assert.equal(readFileSync(marker, "utf8"), "a 1\nb 1\nb 2\n", "b ran a second time, a did not");
      const jobs = await jobsOf(runId);
      assert.deepEqual(Object.fromEntries(jobs.map((j) => [j.name, j.conclusion])), { a: "success", b: "failure", "m (1)": "success", "m (2)": "success" });
      const b = jobs.find((j) => j.name === "b");
      assert.match(await jobLog(b?.id as number), /b ran attempt=2/);
      const a = jobs.find((j) => j.name === "a");
      assert.doesNotMatch(await jobLog(a?.id as number), /a ran attempt=2/);
    });

    void it("refuses reRunWorkflowFailedJobs on a run with nothing failed", async () => {
      const ok = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, status: "success", per_page: 1 });
      const id = ok.data.workflow_runs[0]?.id;
      assert.ok(id);
      const err = await failure(octokit.rest.actions.reRunWorkflowFailedJobs({ owner, repo, run_id: id }));
      assert.equal(err.status, 409);
      assert.match(err.message, /no failed jobs/);
    });

    void it("downloads a run's logs as a zip", async () => {
      const res = await octokit.rest.actions.downloadWorkflowRunLogs({ owner, repo, run_id: runId });
      assert.equal(res.status, 200);
      const bytes = Buffer.from(res.data as ArrayBuffer);
      assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
      // One entry per job of the current attempt; zip entry names are stored in the clear.
      for (const name of ["a", "b", "m (1)", "m (2)"]) assert.ok(bytes.includes(Buffer.from(`_${name}.txt`)), `the zip has ${name}'s log`);
    });
  });

  void describe("cancelling", () => {
    void it("cancels a running run (202), which ends cancelled; re-run while it runs is 403, cancel after is 409", async () => {
      const runId = await dispatch("sleep.yml");
      await waitFor("the sleep step to start", async () => (await jobsOf(runId)).some((j) => j.steps?.some((s) => s.name === "Run sleep 30" && s.status === "in_progress")), 30_000);
      assert.equal((await failure(octokit.rest.actions.reRunWorkflow({ owner, repo, run_id: runId }))).status, 403);
      assert.equal((await failure(octokit.rest.actions.reRunWorkflowFailedJobs({ owner, repo, run_id: runId }))).status, 403);
      const t0 = Date.now();
      const res = await octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId });
      assert.equal(res.status, 202);
      const run = await settled(runId);
      assert.ok(Date.now() - t0 < 20_000, "the sleep was stopped, not waited out");
      assert.equal(run.conclusion, "cancelled");
      assert.equal((run as { reason?: string }).reason, "cancelled by admin", "the run says who cancelled it");
      const nap = await jobNamed(runId, "nap");
      assert.equal(nap.conclusion, "cancelled");
      const err = await failure(octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId }));
      assert.equal(err.status, 409);
    });
  });

  void describe("secrets and variables", () => {
    void it("round-trips a sealed secret and a variable into a job, masking the secret", async () => {
      await sodium.ready;
      const { data: key } = await octokit.rest.actions.getRepoPublicKey({ owner, repo });
      assert.ok(key.key_id && key.key);
      const seal = (value: string) => sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)), sodium.base64_variants.ORIGINAL);
      const created = await octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY", encrypted_value: seal("first-value"), key_id: key.key_id });
      assert.equal(created.status, 201);
      const updated = await octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY", encrypted_value: seal(SECRET_VALUE), key_id: key.key_id });
      assert.equal(updated.status, 204);
      const garbage = await failure(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: "BROKEN", encrypted_value: Buffer.from("not sealed").toString("base64"), key_id: key.key_id }));
      assert.equal(garbage.status, 422);
      const staleKey = await failure(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: "BROKEN", encrypted_value: seal("x"), key_id: "not-the-key" }));
      assert.equal(staleKey.status, 422);
      assert.match(staleKey.message, /key_id/);

      const { data: secrets } = await octokit.rest.actions.listRepoSecrets({ owner, repo });
      assert.equal(secrets.total_count, 1);
      assert.deepEqual(Object.keys(secrets.secrets[0] ?? {}).sort(), ["created_at", "name", "updated_at"]);
      assert.equal(secrets.secrets[0]?.name, "DEPLOY_KEY");
      assert.doesNotMatch(JSON.stringify(secrets), /first-value|correct-horse/);
      assert.equal((await octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY" })).data.name, "DEPLOY_KEY");

      assert.equal((await octokit.rest.actions.createRepoVariable({ owner, repo, name: "GREETING", value: "hello" })).status, 201);
      assert.equal((await failure(octokit.rest.actions.createRepoVariable({ owner, repo, name: "GREETING", value: "again" }))).status, 409);
      assert.equal((await octokit.rest.actions.getRepoVariable({ owner, repo, name: "GREETING" })).data.value, "hello");
      assert.equal((await octokit.rest.actions.updateRepoVariable({ owner, repo, name: "GREETING", value: "hola" })).status, 204);
      const { data: vars } = await octokit.rest.actions.listRepoVariables({ owner, repo });
      assert.equal(vars.total_count, vars.variables.length);
      assert.deepEqual(vars.variables.map((v) => [v.name, v.value]), [["GREETING", "hola"]]);

      const runId = await dispatch("context.yml");
      const run = await settled(runId);
      const log = await jobLog((await jobNamed(runId, "use")).id);
      assert.equal(run.conclusion, "success", `the job saw the updated secret value:\n${log}`);
      assert.match(log, /secret says \*\*\*/);
      assert.ok(!log.includes(SECRET_VALUE), "the secret's value never appears in the log");
      assert.match(log, /greeting=hola/);

      assert.equal((await octokit.rest.actions.deleteRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY" })).status, 204);
      assert.equal((await octokit.rest.actions.listRepoSecrets({ owner, repo })).data.total_count, 0);
      assert.equal((await failure(octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY" }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.deleteRepoSecret({ owner, repo, secret_name: "DEPLOY_KEY" }))).status, 404);

      assert.equal((await octokit.rest.actions.deleteRepoVariable({ owner, repo, name: "GREETING" })).status, 204);
      assert.equal((await failure(octokit.rest.actions.getRepoVariable({ owner, repo, name: "GREETING" }))).status, 404);
      assert.equal((await octokit.rest.actions.listRepoVariables({ owner, repo })).data.total_count, 0);
    });
  });

  void describe("repository_dispatch", () => {
    void it("runs the workflows whose types match, with client_payload in github.event", async () => {
      const known = await allRunIds();
      assert.equal((await octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: "other" })).status, 204);
      const res = await octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: "deploy", client_payload: { x: "from-payload", nested: { y: 7 } } });
      assert.equal(res.status, 204);
      const runId = await newRun(known, "deploy.yml");
      const run = await settled(runId);
      assert.equal(run.event, "repository_dispatch");
      assert.equal(run.conclusion, "success");
      assert.match(await jobLog((await jobNamed(runId, "go")).id), /payload x=from-payload y=7 type=deploy/);
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, event: "repository_dispatch" });
      assert.deepEqual(data.workflow_runs.map((r) => r.id), [runId], "the 'other' event type triggered nothing");
      assert.equal((await failure(octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: "" }))).status, 422);
    });
  });

  void describe("authentication and unknown resources", () => {
    void it("answers 401 without a token or with a bad one", async () => {
      assert.equal((await failure(client().rest.actions.listWorkflowRunsForRepo({ owner, repo }))).status, 401);
      assert.equal((await failure(client("slw_not_a_real_token").rest.actions.listWorkflowRunsForRepo({ owner, repo }))).status, 401);
      assert.equal((await failure(client("slw_not_a_real_token").rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: "dispatch.yml", ref: "main" }))).status, 401);
    });

    void it("accepts both `token T` and `bearer T` authorization", async () => {
      for (const scheme of ["token", "bearer", "Bearer"]) {
        const res = await client().rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 1, headers: { authorization: `${scheme} ${ADMIN_TOKEN}` } });
        assert.equal(res.status, 200, scheme);
      }
      // octokit's own auth option sends `token T` for a token like this one.
      const seen: string[] = [];
      const spy: typeof fetch = (input, init) => {
        seen.push(new Headers(init?.headers).get("authorization") ?? "");
        return fetch(input, init);
      };
      const probe = new Octokit({ auth: ADMIN_TOKEN, baseUrl: `${server.url}/api/v3`, log: silent, request: { fetch: spy } });
      assert.equal((await probe.rest.actions.listRepoSecrets({ owner, repo })).status, 200);
      assert.deepEqual(seen, [`token ${ADMIN_TOKEN}`]);
    });

    void it("answers 404 for an unknown repository, run or job, and matches owner/repo in any case", async () => {
      const runId = [...(await allRunIds())][0] as number;
      assert.equal((await octokit.rest.actions.getWorkflowRun({ owner: owner.toUpperCase(), repo: repo.toUpperCase(), run_id: runId })).data.id, runId);
      assert.equal((await failure(octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo: "nope" }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.getWorkflowRun({ owner: "nobody", repo, run_id: 1 }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 999_999 }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: 999_999 }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: 999_999 }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner, repo, job_id: 999_999 }))).status, 404);
      assert.equal((await failure(octokit.rest.actions.getRepoPublicKey({ owner, repo: "nope" }))).status, 404);
    });
  });
});
