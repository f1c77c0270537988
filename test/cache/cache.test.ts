/** actions/cache, cache/restore and cache/save on real files: hits, misses, the post step, limits, crashes. */
import assert from "node:assert/strict";
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { listCaches, restoreCache, saveCache } from "../../src/run/actions/builtins/cache/index.ts";
import { machine, read, tree, writeFiles } from "../artifacts/helpers.ts";
import { cacheJob, pause } from "./helpers.ts";

const m = machine();
after(() => m.cleanup());

void test("save then restore on the exact key: files, ~ paths, links and modes come back", async () => {
  const inputs = { key: "tools-1", path: "node_modules\n~/.toolcache/bin\n!node_modules/skip" };
  const save = cacheJob(m, inputs);
  writeFiles(save.ctx.workspace, { "node_modules/a/index.js": "a", "node_modules/skip": "?" });
  writeFiles(m.home, { ".toolcache/bin/tool": "#!/bin/sh\n" });
  chmodSync(path.join(m.home, ".toolcache/bin/tool"), 0o755);
  symlinkSync("a/index.js", path.join(save.ctx.workspace, "node_modules/link.js"));
  const saved = await saveCache(save.ctx, null);
  assert.equal(saved.ok, true);
  assert.ok(save.lines.includes("Cache saved with key: tools-1"), save.lines.join("\n"));

  rmSync(path.join(m.home, ".toolcache"), { recursive: true });
  const restore = cacheJob(m, inputs);
  const r = await restoreCache(restore.ctx, {});
  assert.equal(r.ok, true);
  assert.deepEqual(r.outputs, { "cache-primary-key": "tools-1", "cache-matched-key": "tools-1", "cache-hit": "true" });
  assert.deepEqual(r.state, { primaryKey: "tools-1", matchedKey: "tools-1" });
  const ws = restore.ctx.workspace;
  // The folder is cached whole: `!` lines only narrow what the glob matches, not inside a matched folder.
  assert.deepEqual(tree(path.join(ws, "node_modules")), ["a/index.js", "link.js", "skip"]);
  assert.ok(lstatSync(path.join(ws, "node_modules/link.js")).isSymbolicLink());
  assert.equal(readlinkSync(path.join(ws, "node_modules/link.js")), "a/index.js");
  assert.equal(statSync(path.join(m.home, ".toolcache/bin/tool")).mode & 0o777, 0o755);
  assert.ok(restore.lines.includes("Cache restored from key: tools-1"));

  // actions/cache's post step after an exact hit does not save again.
  const post = cacheJob(m, inputs);
  await saveCache(post.ctx, r.state);
  assert.ok(post.lines.includes("Cache hit occurred on the primary key tools-1, not saving cache."));
});

void test("a miss: no cache-hit output, a log line, and fail-on-cache-miss fails the step", async () => {
  const inputs = { key: "absent-1", path: "x", "restore-keys": "absent-\nnone-" };
  const j = cacheJob(m, inputs);
  const r = await restoreCache(j.ctx, {});
  assert.equal(r.ok, true);
  assert.deepEqual(r.outputs, { "cache-primary-key": "absent-1" });
  assert.ok(j.lines.includes("Cache not found for input keys: absent-1, absent-, none-"));
  assert.deepEqual(r.state, { primaryKey: "absent-1", matchedKey: null });

  const plain = cacheJob(m, inputs);
  assert.deepEqual((await restoreCache(plain.ctx, { keyOutputs: false })).outputs, {}, "actions/cache sets only cache-hit, and not on a miss");

  for (const [how, opts, extra] of [["input", {}, { "fail-on-cache-miss": "true" }], ["option", { failOnMiss: true }, {}]] as const) {
    const f = cacheJob(m, { ...inputs, ...extra });
    const fr = await restoreCache(f.ctx, opts);
    assert.equal(fr.ok, false, how);
    assert.ok(f.errors.includes("Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: absent-1"), how);
  }
});

void test("lookup-only finds the entry without writing files", async () => {
  const s = cacheJob(m, { key: "lookup-1", path: "out" });
  writeFiles(s.ctx.workspace, ["out/f"]);
  await saveCache(s.ctx, null);
  const j = cacheJob(m, { key: "lookup-1", path: "out", "lookup-only": "true" });
  const r = await restoreCache(j.ctx, {});
  assert.equal(r.outputs["cache-hit"], "true");
  assert.ok(!existsSync(path.join(j.ctx.workspace, "out")));
  assert.ok(j.lines.includes("Cache found and can be restored from key: lookup-1"));
});

void test("an entry saved with other path lines is not restored (the version differs)", async () => {
  const s = cacheJob(m, { key: "ver-1", path: "a" });
  writeFiles(s.ctx.workspace, ["a/f"]);
  await saveCache(s.ctx, null);
  const r = await restoreCache(cacheJob(m, { key: "ver-1", path: "a\nb" }).ctx, {});
  assert.equal(r.state.matchedKey, null);
});

void test("an existing key is never replaced: the second save logs the reserve message", async () => {
  const first = cacheJob(m, { key: "once", path: "d" });
  writeFiles(first.ctx.workspace, { "d/v": "first" });
  await saveCache(first.ctx, null);
  const second = cacheJob(m, { key: "once", path: "d" });
  writeFiles(second.ctx.workspace, { "d/v": "second" });
  assert.equal((await saveCache(second.ctx, null)).ok, true, "a failed save never fails the step");
  assert.ok(second.lines.includes("Failed to save: Unable to reserve cache with key once, another job may be creating this cache."));
  assert.deepEqual(second.warnings, ["Cache save failed."]);
  const back = cacheJob(m, { key: "once", path: "d" });
  await restoreCache(back.ctx, {});
  assert.equal(read(path.join(back.ctx.workspace, "d/v")), "first");
});

void test("concurrent saves of one key: exactly one wins", async () => {
  const jobs = [1, 2, 3].map((n) => {
    const j = cacheJob(m, { key: "race", path: "d" });
    writeFiles(j.ctx.workspace, { "d/v": `job ${n}`, "d/big": "x".repeat(200_000) });
    return j;
  });
  await Promise.all(jobs.map((j) => saveCache(j.ctx, { primaryKey: "race", matchedKey: null })));
  const won = jobs.filter((j) => j.lines.includes("Cache saved with key: race"));
  const lost = jobs.filter((j) => j.lines.some((l) => l.startsWith("Failed to save: Unable to reserve cache with key race")));
  assert.equal(won.length, 1);
  assert.equal(lost.length, 2);
  assert.equal((await listCaches(m.dataDir)).filter((c) => c.key === "race").length, 1);
});

void test("least recently used entries are evicted to stay under the limit", async () => {
  const own = machine();
  after(() => own.cleanup());
  const save = async (key: string) => {
    const j = cacheJob(own, { key, path: "blob" }, { maxBytes: 250 });
    writeFiles(j.ctx.workspace, { "blob/data": "x".repeat(100) });
    await saveCache(j.ctx, null);
    await pause();
    return j;
  };
  await save("a");
  await save("b");
  // Using "a" makes "b" the least recently used.
  await restoreCache(cacheJob(own, { key: "a", path: "blob" }).ctx, {});
  await pause();
  const third = await save("c");
  assert.ok(third.lines.some((l) => l.startsWith("Evicted cache entry b ")), third.lines.join("\n"));
  assert.deepEqual((await listCaches(own.dataDir)).map((c) => c.key).sort(), ["a", "c"]);

  const tooBig = cacheJob(own, { key: "huge", path: "blob" }, { maxBytes: 50 });
  writeFiles(tooBig.ctx.workspace, { "blob/data": "x".repeat(100) });
  await saveCache(tooBig.ctx, null);
  assert.match(tooBig.warnings[0] ?? "", /^Failed to save: Cache size of .* is over the 50 B limit, not saving cache\.$/);
});

void test("SLIPWAY_CACHE_MAX_BYTES sets the limit when the context does not", async () => {
  const own = machine();
  after(() => own.cleanup());
  process.env["SLIPWAY_CACHE_MAX_BYTES"] = "150";
  try {
    for (const key of ["p", "q"]) {
      const j = cacheJob(own, { key, path: "blob" });
      writeFiles(j.ctx.workspace, { "blob/data": "x".repeat(100) });
      await saveCache(j.ctx, null);
      await pause();
    }
  } finally {
    delete process.env["SLIPWAY_CACHE_MAX_BYTES"];
  }
  assert.deepEqual((await listCaches(own.dataDir)).map((c) => c.key), ["q"]);
});

void test("a killed save leaves nothing usable behind: temp folders and dead locks are ignored", async () => {
  const own = machine();
  after(() => own.cleanup());
  const inputs = { key: "crash-1", path: "d" };
  // What a save killed half way leaves: a temp folder with part of an entry, and its lock held by a dead pid.
  const caches = path.join(own.dataDir, "caches");
  mkdirSync(path.join(caches, ".tmp-killed", "files", "ws", "d"), { recursive: true });
  writeFileSync(path.join(caches, ".tmp-killed", "entry.json"), "{\"key\":\"crash-1\"");
  const first = cacheJob(own, inputs);
  const r = await restoreCache(first.ctx, {});
  assert.equal(r.state.matchedKey, null);
  assert.deepEqual(await listCaches(own.dataDir), []);

  const s = cacheJob(own, inputs);
  writeFiles(s.ctx.workspace, { "d/f": "ok" });
  const { entryDir } = await import("../../src/run/actions/builtins/cache/cache-store.ts");
  const { cacheVersion } = await import("../../src/run/actions/builtins/cache/version.ts");
  const final = entryDir(own.dataDir, "crash-1", cacheVersion(["d"], false));
  writeFileSync(`${path.dirname(final)}/.lock-${path.basename(final)}`, "999999999");
  await saveCache(s.ctx, null);
  assert.ok(s.lines.includes("Cache saved with key: crash-1"), s.lines.join("\n"));
  const back = cacheJob(own, inputs);
  await restoreCache(back.ctx, {});
  assert.equal(read(path.join(back.ctx.workspace, "d/f")), "ok");
});

void test("save problems are logged the way actions/cache logs them", async () => {
  const cases: Array<{ inputs: Record<string, string>; line: string }> = [
    { inputs: { key: "k", path: "does/not/exist" }, line: "[warning]Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved." },
    { inputs: { key: "a,b", path: "x" }, line: "[warning]Key Validation Error: a,b cannot contain commas." },
    { inputs: { key: "k", path: "../up" }, line: "[warning]Invalid pattern '../up'. Relative pathing '.' and '..' is not allowed." },
    { inputs: { path: "x" }, line: "[warning]Key is not specified." },
  ];
  for (const c of cases) {
    const j = cacheJob(m, c.inputs);
    assert.equal((await saveCache(j.ctx, null)).ok, true);
    assert.ok(j.lines.includes(c.line), `${JSON.stringify(c.inputs)}: ${j.lines.join("\n")}`);
  }
});

void test("restore refuses invalid keys", async () => {
  const many = Array.from({ length: 10 }, (_, i) => `r${i}`).join("\n");
  const cases: Array<{ inputs: Record<string, string>; error: string }> = [
    { inputs: { key: "k", path: "x", "restore-keys": many }, error: "Key Validation Error: Keys are limited to a maximum of 10." },
    { inputs: { key: "x".repeat(513), path: "x" }, error: `Key Validation Error: ${"x".repeat(513)} cannot be larger than 512 characters.` },
    { inputs: { path: "x" }, error: "Input required and not supplied: key" },
    { inputs: { key: "k" }, error: "Input required and not supplied: path" },
  ];
  for (const c of cases) {
    const j = cacheJob(m, c.inputs);
    const r = await restoreCache(j.ctx, {});
    assert.equal(r.ok, false);
    assert.deepEqual(j.errors, [c.error]);
  }
});
