/** A build job uploads an artifact a later job downloads; a second run restores the cache the first saved. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const WORKFLOW = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: c
        uses: actions/cache@v4
        with:
          path: deps
          key: deps-\${{ hashFiles('lock.txt') }}
      - id: hit
        run: echo "hit=\${{ steps.c.outputs.cache-hit }}" >> "$GITHUB_OUTPUT"
      - run: mkdir -p out deps && echo built > out/app.txt && echo dep > deps/d.txt
      - uses: actions/upload-artifact@v4
        with: { name: app, path: out/ }
    outputs:
      hit: \${{ steps.hit.outputs.hit }}
  use:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with: { name: app }
      - run: test "$(cat app.txt)" = built
`;

test("artifacts pass between jobs and the cache survives to the next run", () => {
  const repo = gitRepo({ ".github/workflows/ci.yml": WORKFLOW, "lock.txt": "v1" });
  const data = tmpDir();
  const first = slipway(["run", "-C", repo, "--data-dir", data, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.json.runs[0].jobs[0].outputs.hit, "");
  const second = slipway(["run", "-C", repo, "--data-dir", data, "--json"]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.json.runs[0].jobs[0].outputs.hit, "true");
  const runId = String(first.json.runs[0].runId);
  const list = slipway(["artifacts", runId, "--data-dir", data]);
  assert.match(list.stdout, /^app\t1 file\(s\)/m);
  const dest = tmpDir();
  const dl = slipway(["artifacts", runId, "app", "--download", dest, "--data-dir", data]);
  assert.equal(dl.code, 0, dl.stderr);
  assert.equal(readFileSync(path.join(dest, "app.txt"), "utf8").trim(), "built");
  const missing = slipway(["artifacts", runId, "nope", "--data-dir", data]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no artifact 'nope' \(it has: app\)/);
});
