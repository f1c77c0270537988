/**
 * A step's output pipes outlive the run that made them: the next `slipway run` takes them off the shelf
 * in the temp folder instead of starting `mkfifo`, and they are still real pipes there.
 */
import assert from "node:assert/strict";
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";

const wf = `on: push\njobs:\n  say:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "said $RUN_WORD" | tee /dev/stderr > /dev/stdout\n`;

void it("reuses the step pipes of an earlier run, which are still pipes", () => {
  const repo = gitRepo({ ".github/workflows/say.yml": wf });
  const tmp = tmpDir("slipway-tmpdir-"); // a temp folder of its own, so no other test shares its shelf
  const shelf = path.join(tmp, `slipway-fifos-${process.getuid?.() ?? "user"}`);
  const first = slipway(["run", "-C", repo, "--data-dir", tmpDir()], { env: { TMPDIR: tmp, RUN_WORD: "first" } });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr.match(/said first/g)?.length, 2, first.stderr);
  const shelved = readdirSync(shelf).filter((n) => n.startsWith("pair-"));
  assert.equal(shelved.length, 8, "the batch the first run made went on the shelf");

  // An mkfifo that fails: the second run must not need one.
  const bin = path.join(tmp, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "mkfifo"), "#!/bin/sh\necho 'mkfifo must not run' >&2\nexit 1\n");
  chmodSync(path.join(bin, "mkfifo"), 0o755);
  const second = slipway(["run", "-C", repo, "--data-dir", tmpDir()], { env: { TMPDIR: tmp, RUN_WORD: "second", PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stderr.match(/said second/g)?.length, 2, second.stderr);
  assert.equal(readdirSync(shelf).filter((n) => n.startsWith("pair-")).length, 8, "every pair came back");
  assert.deepEqual(readdirSync(shelf).filter((n) => n.startsWith("run-")), [], "each run's own folder is gone");
});

void it("skips shelved pipes that were damaged or replaced since, and keeps working", () => {
  const repo = gitRepo({ ".github/workflows/say.yml": wf });
  const tmp = tmpDir("slipway-tmpdir-");
  const shelf = path.join(tmp, `slipway-fifos-${process.getuid?.() ?? "user"}`);
  const first = slipway(["run", "-C", repo, "--data-dir", tmpDir()], { env: { TMPDIR: tmp, RUN_WORD: "first" } });
  assert.equal(first.code, 0, first.stderr);
  const pairs = readdirSync(shelf).filter((n) => n.startsWith("pair-"));
  assert.ok(pairs.length > 0);
  // A temp cleaner removed some pipes; a step left a regular file where another pipe was.
  pairs.forEach((p, i) => (i % 2 === 0 ? rmSync(path.join(shelf, p, "out")) : (rmSync(path.join(shelf, p, "err")), writeFileSync(path.join(shelf, p, "err"), "not a pipe"))));
  for (const word of ["second", "third"]) {
    const r = slipway(["run", "-C", repo, "--data-dir", tmpDir()], { env: { TMPDIR: tmp, RUN_WORD: word } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(new RegExp(`said ${word}`, "g"))?.length, 2, r.stderr);
  }
  for (const p of readdirSync(shelf).filter((n) => n.startsWith("pair-"))) {
    for (const end of ["out", "err"]) assert.ok(lstatSync(path.join(shelf, p, end)).isFIFO(), `${p}/${end} is a pipe`);
  }
});
