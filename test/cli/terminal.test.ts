/**
 * Human output: on a terminal (a real pty, through script(1)) colour and the live status block appear;
 * through a pipe there is no escape sequence at all. Both end with the table of jobs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { BIN, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const repo = gitRepo({
  ".github/workflows/ci.yml": `on: push
jobs:
  slow:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1 && echo done-slow
  broken:
    runs-on: ubuntu-latest
    steps:
      - name: Fails on purpose
        run: |
          echo "the last words"
          exit 4
`,
});

test("through a pipe: no escape sequences, job-prefixed lines, a summary table and the failed step's tail", () => {
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir()]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /\x1b\[/);
  assert.match(r.stderr, /^\[slow\]\s+done-slow$/m);
  assert.match(r.stderr, /^JOB\s+RESULT\s+DURATION$/m);
  assert.match(r.stderr, /^broken\s+failure\s+\d+\.\ds$/m);
  assert.match(r.stderr, /broken failed at step 'Fails on purpose':\n\s+the last words/);
});

test("on a terminal: colour and a live status block with the running job", { skip: !spawnSync("script", ["--version"]).stdout ? "script(1) is not installed" : false }, () => {
  const cmd = `${process.execPath} ${BIN} run -C ${repo} --data-dir ${tmpDir()}`;
  const r = spawnSync("script", ["-qefc", cmd, "/dev/null"], { encoding: "utf8", timeout: 60_000, env: { ...process.env, TERM: "xterm" } });
  assert.match(r.stdout, /\x1b\[3[1-4]m/, "colour codes");
  const plain = r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
  assert.match(plain, /● slow \d+s/, "the status block shows the running job with its elapsed time");
  assert.match(r.stdout, /\x1b\[\d+A\x1b\[J/, "the block is redrawn in place");
  assert.match(plain, /broken\s+failure/);
});
