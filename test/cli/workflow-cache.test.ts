/**
 * `slipway run` keeps parsed workflows in the data dir: a second run of the same file reads the model
 * back, and a changed file is parsed again (never a stale model).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { commitAll, gitRepo, ROOT, slipway, tmpDir } from "../helpers/cli.ts";

const wf = (word: string) => `on: push\njobs:\n  say:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "word=${word}"\n`;

void it("reuses a parsed workflow until the file changes", () => {
  const repo = gitRepo({ ".github/workflows/say.yml": wf("first") });
  const data = tmpDir();
  const first = slipway(["run", "-C", repo, "--data-dir", data]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /word=first/);
  assert.deepEqual(readdirSync(path.join(data, "work")).filter((f) => f.startsWith("event-")), [], "the event payload's folder goes with the run");
  const cache = path.join(data, "cache", "workflows");
  assert.equal(readdirSync(cache).filter((f) => f.endsWith(".json")).length, 1, "the model was kept");
  const again = slipway(["run", "-C", repo, "--data-dir", data]);
  assert.match(again.stderr, /word=first/);
  assert.equal(readdirSync(cache).filter((f) => f.endsWith(".json")).length, 1, "the second run read it back");
  writeFileSync(path.join(repo, ".github/workflows/say.yml"), wf("second"));
  commitAll(repo, "main", "change the workflow");
  const changed = slipway(["run", "-C", repo, "--data-dir", data]);
  assert.match(changed.stderr, /word=second/);
  writeFileSync(path.join(repo, ".github/workflows/say.yml"), "on: push\njobs:\n  bad:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope( }}\n");
  commitAll(repo, "main", "break it");
  const broken = slipway(["run", "-C", repo, "--data-dir", data]);
  assert.equal(broken.code, 2, "a broken file is still reported, never served from the cache");
  assert.match(broken.stderr, /say\.yml:6:/);
});

void it("parses again under another build, even one of the same size and time (as npm installs them)", () => {
  // An install of its own: the same bundle, whose identity is then changed without touching size or time.
  const install = tmpDir("slipway-install-");
  mkdirSync(path.join(install, "dist"));
  cpSync(path.join(ROOT, "bin"), path.join(install, "bin"), { recursive: true });
  for (const f of ["slipway.cjs", "slipway.cjs.id"]) cpSync(path.join(ROOT, "dist", f), path.join(install, "dist", f), { preserveTimestamps: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(install, "node_modules"));
  const repo = gitRepo({ ".github/workflows/say.yml": wf("first") });
  const data = tmpDir();
  const cache = path.join(data, "cache", "workflows");
  const run = () => {
    const r = spawnSync(process.execPath, [path.join(install, "bin", "slipway.js"), "run", "-C", repo, "--data-dir", data], { encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: tmpDir() } });
    assert.equal(r.status, 0, r.stderr);
    return readdirSync(cache).filter((f) => f.endsWith(".json")).length;
  };
  assert.equal(run(), 1);
  assert.equal(run(), 1, "the same build reads its model back");
  writeFileSync(path.join(install, "dist", "slipway.cjs.id"), `${"ab".repeat(32)}\n`);
  assert.equal(run(), 2, "another build made its own model");
});
