/** Bad input of every kind gets exit 2 (run) or 1 (lint) with a positioned message and no stack trace. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const GOOD = `on:
  workflow_dispatch:
    inputs:
      level:
        type: choice
        options: [low, high]
        required: true
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ inputs.level }}
`;
const BAD = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.sha
`;

const data = tmpDir();
const good = gitRepo({ ".github/workflows/ci.yml": GOOD });
const bad = gitRepo({ ".github/workflows/ci.yml": BAD });
const notRepo = tmpDir();

const cases: Array<{ name: string; args: string[]; code: number; stderr: RegExp; stdout?: RegExp }> = [
  { name: "invalid workflow names file:line:col", args: ["run", "-C", bad], code: 2, stderr: /\.github\/workflows\/ci\.yml:6:14: error: The expression is not closed/ },
  { name: "lint reports the same finding and exits 1", args: ["lint", "-C", bad], code: 1, stderr: /error/, stdout: /ci\.yml:6:14: error/ },
  { name: "missing required input", args: ["run", "workflow_dispatch", "-C", good], code: 2, stderr: /input 'level' is required/ },
  { name: "choice outside its options names them", args: ["run", "workflow_dispatch", "-C", good, "--input", "level=mid"], code: 2, stderr: /must be one of: low, high/ },
  { name: "undeclared input", args: ["run", "workflow_dispatch", "-C", good, "--input", "level=low", "--input", "nope=1"], code: 2, stderr: /input 'nope' is not declared/ },
  { name: "unknown -W path", args: ["run", "-C", good, "-W", "nope.yml"], code: 2, stderr: /-W nope\.yml: no such file/ },
  { name: "not a git repository", args: ["run", "-C", notRepo], code: 2, stderr: /not a git repository/ },
  { name: "bad flag", args: ["run", "--frobnicate"], code: 2, stderr: /Unknown option '--frobnicate'/ },
  { name: "bad --input syntax", args: ["run", "-C", good, "--input", "novalue"], code: 2, stderr: /expected NAME=VALUE/ },
  { name: "bad --parallel", args: ["run", "-C", good, "--parallel", "0"], code: 2, stderr: /--parallel 0/ },
  { name: "unknown -j job", args: ["run", "-C", good, "-j", "zzz"], code: 2, stderr: /-j zzz: no job/ },
  { name: "unknown command", args: ["frob"], code: 2, stderr: /unknown command 'frob'/ },
  { name: "unknown run for logs", args: ["logs", "999999", "--data-dir", data], code: 2, stderr: /run 999999 not found/ },
];

for (const c of cases) {
  test(c.name, () => {
    const r = slipway([...c.args, ...(c.args[0] === "run" ? ["--data-dir", data] : [])]);
    assert.equal(r.code, c.code, r.stderr);
    assert.match(r.stderr, c.stderr);
    if (c.stdout) assert.match(r.stdout, c.stdout);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, "no stack trace");
  });
}

test("an invalid -e payload names the file", () => {
  const f = path.join(tmpDir(), "event.json");
  writeFileSync(f, "{nope");
  const r = slipway(["run", "-C", good, "-e", f, "--data-dir", data]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /event\.json:1:1: invalid event payload/);
});

test("a valid dispatch runs and the run can be read back with runs and logs", () => {
  const r = slipway(["run", "workflow_dispatch", "-C", good, "--input", "level=high", "--data-dir", data, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const runId = r.json.runs[0].runId;
  const runs = slipway(["runs", "--data-dir", data]);
  assert.match(runs.stdout, new RegExp(`^${runId}\\s`, "m"));
  const logs = slipway(["logs", String(runId), "a", "--data-dir", data]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /\shigh\n/);
});
