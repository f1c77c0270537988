/** upload-artifact and download-artifact between jobs of one run, on real files in a temp dir. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { downloadArtifact, listArtifacts, uploadArtifact } from "../../src/run/actions/builtins/artifacts/index.ts";
import { job, machine, read, tree, withInputs, writeFiles } from "./helpers.ts";

const m = machine();
after(() => m.cleanup());
let nextRun = 1;

void test("a file uploaded by one job downloads in another job of the same run", async () => {
  const run = nextRun++;
  const build = job(m, "build", run, { name: "bin", path: "out" });
  writeFiles(build.workspace, { "out/app": "binary", "out/lib/x.so": "lib" });
  writeFileSync(path.join(build.workspace, "out/app"), "binary", { mode: 0o755 });
  const up = await uploadArtifact(build.ctx, "v4");
  assert.equal(up.ok, true);
  assert.equal(up.outputs["artifact-id"], "1");
  assert.match(up.outputs["artifact-digest"] ?? "", /^[0-9a-f]{64}$/);
  assert.ok(existsSync(fileURLToPath(up.outputs["artifact-url"] ?? "")), "artifact-url points at the stored files");

  const test1 = job(m, "test", run, { name: "bin", path: "got" });
  const down = await downloadArtifact(test1.ctx, "v4");
  assert.equal(down.ok, true);
  assert.equal(down.outputs["download-path"], path.join(test1.workspace, "got"));
  assert.deepEqual(tree(path.join(test1.workspace, "got")), ["app", "lib/x.so"]);
  assert.equal(read(path.join(test1.workspace, "got/lib/x.so")), "lib");
  // As on GitHub, permissions are not kept.
  assert.equal(statSync(path.join(test1.workspace, "got/app")).mode & 0o777, 0o644);

  const otherRun = job(m, "test", nextRun++, { name: "bin" });
  const miss = await downloadArtifact(otherRun.ctx, "v4");
  assert.equal(miss.ok, false, "artifacts belong to their run");
});

void test("same digest for the same content, another for different content", async () => {
  const run = nextRun++;
  const digests: string[] = [];
  for (const [name, content] of [["a", "x"], ["b", "x"], ["c", "y"]] as const) {
    const j = job(m, name, run, { name, path: "f.txt" });
    writeFiles(j.workspace, { "f.txt": content });
    digests.push((await uploadArtifact(j.ctx, "v4")).outputs["artifact-digest"] ?? "");
  }
  assert.equal(digests[0], digests[1]);
  assert.notEqual(digests[0], digests[2]);
});

const noFiles: Array<{ mode: string | undefined; ok: boolean; warned: boolean; failed: boolean }> = [
  { mode: undefined, ok: true, warned: true, failed: false },
  { mode: "warn", ok: true, warned: true, failed: false },
  { mode: "error", ok: false, warned: false, failed: true },
  { mode: "ignore", ok: true, warned: false, failed: false },
];
for (const c of noFiles) {
  void test(`if-no-files-found: ${c.mode ?? "(default)"}`, async () => {
    const j = job(m, "build", nextRun++, { path: "nothing/here", ...(c.mode ? { "if-no-files-found": c.mode } : {}) });
    const r = await uploadArtifact(j.ctx, "v4");
    assert.equal(r.ok, c.ok);
    const msg = "No files were found with the provided path: nothing/here. No artifacts will be uploaded.";
    assert.equal(j.warnings.includes(msg), c.warned);
    assert.equal(j.errors.includes(msg), c.failed);
    if (c.mode === "ignore") assert.ok(j.lines.includes(msg));
    assert.deepEqual(await listArtifacts(m.dataDir, j.ctx.runId), []);
  });
}

void test("an unknown if-no-files-found value fails the step", async () => {
  const j = job(m, "build", nextRun++, { path: "x", "if-no-files-found": "maybe" });
  const r = await uploadArtifact(j.ctx, "v4");
  assert.equal(r.ok, false);
  assert.match(j.errors.join("\n"), /Unrecognized if-no-files-found input. Provided: maybe/);
});

void test("v4 refuses a name used in the run; overwrite: true replaces it with a new id", async () => {
  const run = nextRun++;
  const a = job(m, "a", run, { name: "report", path: "r.txt" });
  writeFiles(a.workspace, { "r.txt": "first" });
  assert.equal((await uploadArtifact(a.ctx, "v4")).ok, true);

  const b = job(m, "b", run, { name: "report", path: "r2.txt" });
  writeFiles(b.workspace, { "r2.txt": "second" });
  const refused = await uploadArtifact(b.ctx, "v4");
  assert.equal(refused.ok, false);
  assert.match(b.errors.join("\n"), /\(409\) Conflict: an artifact with this name already exists on the workflow run/);

  withInputs(b, { name: "report", path: "r2.txt", overwrite: "true" });
  const replaced = await uploadArtifact(b.ctx, "v4");
  assert.equal(replaced.ok, true);
  const list = await listArtifacts(m.dataDir, run);
  assert.deepEqual(list.map((x) => [x.id, x.name]), [[2, "report"]]);
  assert.deepEqual(tree(list[0]!.path), ["r2.txt"]);
});

void test("v3 adds a second upload's files to the artifact of that name", async () => {
  const run = nextRun++;
  const a = job(m, "a", run, { name: "logs", path: "l" });
  writeFiles(a.workspace, { "l/a.log": "a", "l/same.log": "from a" });
  const b = job(m, "b", run, { name: "logs", path: "l" });
  writeFiles(b.workspace, { "l/b.log": "b", "l/same.log": "from b" });
  assert.equal((await uploadArtifact(a.ctx, "v3")).ok, true);
  const second = await uploadArtifact(b.ctx, "v3");
  assert.equal(second.ok, true);
  assert.deepEqual(second.outputs, {}, "v3 has no outputs");
  const [only, ...rest] = await listArtifacts(m.dataDir, run);
  assert.equal(rest.length, 0);
  assert.deepEqual(tree(only!.path), ["a.log", "b.log", "same.log"]);
  assert.equal(read(path.join(only!.path, "same.log")), "from b");
  assert.equal(only!.files, 3);
  assert.equal(only!.size, 1 + 1 + 6);
});

async function threeArtifacts(run: number): Promise<void> {
  for (const name of ["dist-linux", "dist-mac", "coverage"]) {
    const j = job(m, name, run, { name, path: "o" });
    writeFiles(j.workspace, { [`o/${name}.txt`]: name, "o/common.txt": name });
    assert.equal((await uploadArtifact(j.ctx, "v4")).ok, true);
  }
}

void test("download with no name: every artifact into path/<name>/", async () => {
  const run = nextRun++;
  await threeArtifacts(run);
  const d = job(m, "deploy", run, { path: "all" });
  assert.equal((await downloadArtifact(d.ctx, "v4")).ok, true);
  assert.deepEqual(tree(path.join(d.workspace, "all")), [
    "coverage/common.txt", "coverage/coverage.txt", "dist-linux/common.txt", "dist-linux/dist-linux.txt", "dist-mac/common.txt", "dist-mac/dist-mac.txt",
  ]);
  const v3 = job(m, "deploy3", run, {});
  assert.equal((await downloadArtifact(v3.ctx, "v3")).ok, true);
  assert.ok(existsSync(path.join(v3.workspace, "dist-mac/dist-mac.txt")), "v3 also makes a folder per artifact, in the workspace by default");
});

void test("pattern picks artifacts by name; merge-multiple puts them in one folder", async () => {
  const run = nextRun++;
  await threeArtifacts(run);
  const sep = job(m, "sep", run, { pattern: "dist-*", path: "p" });
  assert.equal((await downloadArtifact(sep.ctx, "v4")).ok, true);
  assert.deepEqual(tree(path.join(sep.workspace, "p")), ["dist-linux/common.txt", "dist-linux/dist-linux.txt", "dist-mac/common.txt", "dist-mac/dist-mac.txt"]);

  const merged = job(m, "merged", run, { pattern: "dist-{linux,mac}", "merge-multiple": "true", path: "p" });
  assert.equal((await downloadArtifact(merged.ctx, "v4")).ok, true);
  assert.deepEqual(tree(path.join(merged.workspace, "p")), ["common.txt", "dist-linux.txt", "dist-mac.txt"]);
  // Later artifacts (by id) overwrite earlier ones' files of the same path.
  assert.equal(read(path.join(merged.workspace, "p/common.txt")), "dist-mac");

  const none = job(m, "none", run, { pattern: "nope-*", path: "p" });
  const r = await downloadArtifact(none.ctx, "v4");
  assert.equal(r.ok, true, "a pattern matching nothing downloads nothing");
  assert.deepEqual(tree(path.join(none.workspace, "p")), []);
});

void test("a missing named artifact fails and lists what the run has", async () => {
  const run = nextRun++;
  await threeArtifacts(run);
  for (const version of ["v3", "v4"] as const) {
    const j = job(m, `miss-${version}`, run, { name: "dist-windows" });
    const r = await downloadArtifact(j.ctx, version);
    assert.equal(r.ok, false);
    const text = j.errors.join("\n");
    assert.match(text, /dist-windows/);
    assert.match(text, /dist-linux \(id 1\), dist-mac \(id 2\), coverage \(id 3\)/);
  }
});

void test("run-id of another run with a token is refused; of this run it is fine", async () => {
  const run = nextRun++;
  await threeArtifacts(run);
  const other = job(m, "x", run, { name: "coverage", "run-id": "999999", "github-token": "t" });
  assert.equal((await downloadArtifact(other.ctx, "v4")).ok, false);
  const same = job(m, "y", run, { name: "coverage", "run-id": String(run), "github-token": "t", path: "~/dl" });
  const r = await downloadArtifact(same.ctx, "v4");
  assert.equal(r.ok, true);
  assert.equal(r.outputs["download-path"], path.join(m.home, "dl"), "~ is the home folder");
  assert.ok(existsSync(path.join(m.home, "dl/coverage.txt")));
});

void test("listArtifacts: id order, sizes, file counts, expiry from retention-days", async () => {
  const run = nextRun++;
  const a = job(m, "a", run, { name: "one", path: "d", "retention-days": "5" });
  writeFiles(a.workspace, { "d/x": "12345", "d/y/z": "123" });
  await uploadArtifact(a.ctx, "v4");
  const b = job(m, "b", run, { name: "two", path: "e.txt" });
  writeFiles(b.workspace, { "e.txt": "" });
  await uploadArtifact(b.ctx, "v4");
  // A leftover from a killed upload is not an artifact.
  mkdirSync(path.join(m.dataDir, "artifacts", String(run), ".tmp-dead", "files"), { recursive: true });
  const list = await listArtifacts(m.dataDir, run);
  assert.deepEqual(list.map((x) => ({ id: x.id, name: x.name, size: x.size, files: x.files })), [
    { id: 1, name: "one", size: 8, files: 2 },
    { id: 2, name: "two", size: 0, files: 1 },
  ]);
  const days = (Date.parse(list[0]!.expiresAt ?? "") - Date.parse(list[0]!.createdAt)) / 86_400_000;
  assert.ok(Math.abs(days - 5) < 0.05, `expires 5 days after creation, got ${days}`);
  assert.equal(list[1]!.expiresAt, null);
  assert.deepEqual(await listArtifacts(m.dataDir, 424242), []);
});

void test("bad names and paths are refused like GitHub does", async () => {
  const j = job(m, "a", nextRun++, { name: "a/b", path: "f" });
  writeFiles(j.workspace, { f: "x" });
  assert.equal((await uploadArtifact(j.ctx, "v4")).ok, false);
  assert.match(j.errors.join("\n"), /The artifact name is not valid: a\/b/);
  const dots = job(m, "b", nextRun++, { path: "../outside" });
  assert.equal((await uploadArtifact(dots.ctx, "v4")).ok, false);
  assert.match(dots.errors.join("\n"), /Relative pathing '\.' and '\.\.' is not allowed/);
});
