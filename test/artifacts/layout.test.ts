/**
 * Table-driven: test/fixtures/artifacts/upload-layout.json. Each case writes files into a workspace
 * (and home), uploads with the given `path`, and compares the files inside the stored artifact, which
 * shows the glob, the `!` exclusions, hidden-file rule and the least-common-ancestor root at once.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { listArtifacts, uploadArtifact } from "../../src/run/actions/builtins/artifacts/index.ts";
import { job, machine, tree, writeFiles } from "./helpers.ts";

interface Case {
  description: string;
  files: string[];
  homeFiles?: string[];
  path: string;
  inputs?: Record<string, string>;
  expect: string[];
}

const cases = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "fixtures", "artifacts", "upload-layout.json"), "utf8")) as Case[];
const m = machine();
after(() => m.cleanup());

cases.forEach((c, i) => {
  void test(`upload layout: ${c.description}`, async () => {
    const j = job(m, "build", 100 + i, { path: c.path, ...c.inputs });
    writeFiles(j.workspace, c.files);
    writeFiles(m.home, c.homeFiles ?? []);
    const r = await uploadArtifact(j.ctx, "v4");
    assert.equal(r.ok, true, [...j.errors, ...j.lines].join("\n"));
    const [a] = await listArtifacts(m.dataDir, 100 + i);
    assert.ok(a, "an artifact was stored");
    assert.deepEqual(tree(a.path), c.expect);
    assert.equal(a.files, c.expect.length);
  });
});
