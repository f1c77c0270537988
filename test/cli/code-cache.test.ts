/**
 * bin/slipway.js keeps V8's compiled code between starts: written by a start that parsed nothing new,
 * used by the next ones, and replaced when V8 refuses it.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const wf = `on: push\njobs:\n  say:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "word=cached"\n`;

void it("keeps the compiled code of a usual start and survives a broken cache", () => {
  const repo = gitRepo({ ".github/workflows/say.yml": wf });
  const data = tmpDir();
  const cacheHome = tmpDir("slipway-xdg-cache-");
  const env = { XDG_CACHE_HOME: cacheHome };
  const kept = () => {
    try {
      return readdirSync(path.join(cacheHome, "slipway")).filter((f) => f.endsWith("-run.bin"));
    } catch {
      return [];
    }
  };
  const run = () => {
    const r = slipway(["run", "-C", repo, "--data-dir", data], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /word=cached/);
  };
  run();
  assert.deepEqual(kept(), [], "a start that parsed the workflow keeps nothing");
  run();
  assert.equal(kept().length, 1, "the next start kept its code");
  run();
  const file = path.join(cacheHome, "slipway", kept()[0] as string);
  writeFileSync(file, "not V8's");
  run();
  assert.notEqual(readFileSync(file, "latin1"), "not V8's", "V8 refused the broken cache, and it was written again");
});

void it("uses no cache from a folder others may write to", () => {
  const repo = gitRepo({ ".github/workflows/say.yml": wf });
  const data = tmpDir();
  const cacheHome = tmpDir("slipway-xdg-cache-");
  const dir = path.join(cacheHome, "slipway");
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  for (let i = 0; i < 3; i++) {
    const r = slipway(["run", "-C", repo, "--data-dir", data], { env: { XDG_CACHE_HOME: cacheHome } });
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(readdirSync(dir), [], "nothing kept in, or read from, a folder another user could fill");
});
