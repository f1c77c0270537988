/**
 * Remote actions and reusable workflows fetched with git from --actions-url (a folder of bare
 * repositories standing in for github.com), and runs that are killed or interrupted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import { mkdirSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { BIN, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).toString().trim();

/** Publishes files as owner/repo in a folder of bare repositories, tagged `tag`. */
function publish(server: string, slug: string, files: Record<string, string>, tag: string): string {
  const work = gitRepo(files);
  git(work, "tag", tag);
  const bare = path.join(server, `${slug}.git`);
  mkdirSync(path.dirname(bare), { recursive: true });
  git(server, "clone", "-q", "--bare", work, bare);
  return git(work, "rev-parse", "HEAD");
}

const server = tmpDir("actions-server-");
publish(server, "acme/greet", {
  "action.yml": `name: greet
inputs:
  who: { required: true }
outputs:
  greeting: { description: g }
runs:
  using: node20
  pre: pre.js
  main: main.js
  post: post.js
`,
  "pre.js": `require('fs').appendFileSync(process.env.GITHUB_STATE, 'phase=pre-ran\\n'); console.log('pre for ' + process.env.INPUT_WHO);`,
  "main.js": `const fs = require('fs'); fs.appendFileSync(process.env.GITHUB_OUTPUT, 'greeting=hello ' + process.env.INPUT_WHO + '\\n'); fs.appendFileSync(process.env.GITHUB_STATE, 'seen=' + process.env.INPUT_WHO + '\\n');`,
  "post.js": `console.log('post sees ' + process.env.STATE_seen + ' after ' + process.env.STATE_phase);`,
  "sub/composite/action.yml": `name: sub
runs:
  using: composite
  steps:
    - run: echo "composite from a sub path"
      shell: bash
`,
  ".github/workflows/reusable.yml": `on:
  workflow_call:
    inputs:
      n: { type: number, required: true }
    outputs:
      doubled: { value: "\${{ jobs.calc.outputs.v }}" }
jobs:
  calc:
    runs-on: ubuntu-latest
    outputs: { v: "\${{ steps.m.outputs.v }}" }
    steps:
      - id: m
        run: echo "v=$(( \${{ inputs.n }} * 2 ))" >> "$GITHUB_OUTPUT"
`,
}, "v1");

test("a remote JavaScript action runs with pre, main and post, fetched from --actions-url", () => {
  const repo = gitRepo({
    ".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: g
        uses: acme/greet@v1
        with: { who: world }
      - run: test "\${{ steps.g.outputs.greeting }}" = "hello world"
      - uses: acme/greet/sub/composite@v1
`,
  });
  const data = tmpDir();
  const r = slipway(["run", "-C", repo, "--actions-url", server, "--data-dir", data, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pre for world/);
  assert.match(r.stderr, /post sees world after pre-ran/);
  assert.match(r.stderr, /composite from a sub path/);
  assert.ok(readdirSync(path.join(data, "actions/acme/greet")).some((d) => /^[0-9a-f]{40}$/.test(d)), "cached by commit");
});

test("@v1 is the tag v1, not a branch ending in v1; refs naming one commit are fetched side by side", () => {
  const work = gitRepo({ "action.yml": "name: x\nruns:\n  using: composite\n  steps:\n    - run: echo tagged-content\n      shell: bash\n" });
  git(work, "tag", "v1");
  git(work, "checkout", "-q", "-b", "releases/v1");
  execFileSync("sh", ["-c", "sed -i s/tagged-content/branch-content/ action.yml && git -c user.name=t -c user.email=t@t commit -qam branch"], { cwd: work });
  git(work, "checkout", "-q", "main");
  const bare = path.join(server, "acme/refs.git");
  git(server, "clone", "-q", "--bare", work, bare);
  const sha = git(work, "rev-parse", "v1");
  const repo = gitRepo({
    ".github/workflows/ci.yml": `on: push
jobs:
${["v1", sha, "main"].map((ref, i) => `  j${i}:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/refs@${ref}
`).join("")}`,
  });
  const r = slipway(["run", "-C", repo, "--actions-url", server, "--data-dir", tmpDir()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stderr.match(/\]   tagged-content$/gm) ?? []).length, 3);
  assert.doesNotMatch(r.stderr, /branch-content/);
});

test("an action that cannot be resolved fails its step, naming it and how to provide it", () => {
  const repo = gitRepo({ ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/missing@v9\n" });
  const r = slipway(["run", "-C", repo, "--actions-url", server, "--data-dir", tmpDir()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Unable to resolve action 'acme\/missing@v9'.*--actions-url/s);
});

test("a remote reusable workflow is called with inputs and returns outputs", () => {
  const repo = gitRepo({
    ".github/workflows/ci.yml": `on: push
jobs:
  call:
    uses: acme/greet/.github/workflows/reusable.yml@v1
    with: { n: 21 }
  check:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - run: test "\${{ needs.call.outputs.doubled }}" = 42
`,
  });
  const r = slipway(["run", "-C", repo, "--actions-url", server, "--data-dir", tmpDir(), "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const jobs = r.json.runs[0].jobs.map((j: { id: string; result: string }) => `${j.id}=${j.result}`);
  assert.deepEqual(jobs, ["call=success", "call/calc=success", "check=success"]);
  assert.equal(r.json.runs[0].jobs[0].outputs.doubled, "42");
});

test("SIGINT cancels the run, kills the step's whole process tree, and exits 1", async () => {
  const marker = path.join(tmpDir(), "child-alive");
  const repo = gitRepo({
    ".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          (sleep 5; touch ${marker}) &
          echo started
          sleep 30
`,
  });
  const child = spawn(process.execPath, [BIN, "run", "-C", repo, "--data-dir", tmpDir(), "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let out = "";
  let sent = false;
  child.stderr.on("data", (d) => {
    err += d;
    if (!sent && err.includes("started")) {
      sent = true;
      child.kill("SIGINT");
    }
  });
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  assert.equal(code, 1, err);
  assert.equal(JSON.parse(out.trim()).runs[0].jobs[0].result, "cancelled");
  await new Promise((r) => setTimeout(r, 6000));
  assert.ok(!existsSync(marker), "the step's background child was killed with it");
});

test("a run killed with SIGKILL is marked interrupted at the next start, its logs kept", async () => {
  const repo = gitRepo({ ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo before-the-kill\n          sleep 30\n" });
  const data = tmpDir();
  const child = spawn(process.execPath, [BIN, "run", "-C", repo, "--data-dir", data], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve) => child.stderr.on("data", (d) => {
    err += d;
    if (err.includes("before-the-kill")) resolve();
  }));
  // The line is in the store once the recorder's next batch (every 50 ms) is written; wait for that
  // by reading the store through a second process, as a user would, before killing.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !/before-the-kill/.test(slipway(["logs", "1", "--data-dir", data]).stdout)) await new Promise((r) => setTimeout(r, 100));
  child.kill("SIGKILL");
  await new Promise((r) => child.on("exit", r));
  const runs = slipway(["runs", "--data-dir", data, "--json"]);
  const run = JSON.parse(runs.stdout)[0];
  assert.equal(run.result, "cancelled");
  assert.match(run.reason, /interrupted/);
  const logs = slipway(["logs", String(run.id), "--data-dir", data]);
  assert.match(logs.stdout, /before-the-kill/);
});

test("hashFiles hashes the matching files as GitHub does and is '' for no match", () => {
  const repo = gitRepo({
    "a.lock": "one",
    "sub/b.lock": "two",
    "sub/skip.lock": "three",
    ".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          echo "all=\${{ hashFiles('**/*.lock', '!sub/skip.lock') }}"
          echo "none=[\${{ hashFiles('nothing/**') }}]"
`,
  });
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir()]);
  assert.equal(r.code, 0, r.stderr);
  const inner = ["one", "two"].map((s) => crypto.createHash("sha256").update(s).digest());
  const expected = crypto.createHash("sha256").update(Buffer.concat(inner)).digest("hex");
  assert.match(r.stderr, new RegExp(`all=${expected}`));
  assert.match(r.stderr, /none=\[\]/);
});
