/**
 * Table-driven: test/fixtures/cache/key-matching.json. Each case saves entries in the listed order
 * (so later ones are newer), restores with key and restore-keys, and checks which entry came back and
 * the outputs actions/cache/restore sets.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { restoreCache, saveCache } from "../../src/run/actions/builtins/cache/index.ts";
import { machine, read, writeFiles } from "../artifacts/helpers.ts";
import { cacheJob, pause } from "./helpers.ts";

interface Case {
  description: string;
  saved: string[];
  key: string;
  restoreKeys?: string[];
  expect: { matched: string | null; cacheHit: string | null };
}

const cases = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "fixtures", "cache", "key-matching.json"), "utf8")) as Case[];

for (const c of cases) {
  void test(`key matching: ${c.description}`, async () => {
    const m = machine();
    after(() => m.cleanup());
    for (const key of c.saved) {
      const j = cacheJob(m, { key, path: "deps" });
      writeFiles(j.ctx.workspace, { "deps/from.txt": key });
      await saveCache(j.ctx, null);
      assert.deepEqual(j.warnings, []);
      await pause();
    }
    const j = cacheJob(m, { key: c.key, path: "deps", "restore-keys": (c.restoreKeys ?? []).join("\n") });
    const r = await restoreCache(j.ctx, {});
    assert.equal(r.ok, true);
    assert.equal(r.state.matchedKey, c.expect.matched);
    assert.equal(r.outputs["cache-matched-key"], c.expect.matched ?? undefined);
    assert.equal(r.outputs["cache-hit"], c.expect.cacheHit ?? undefined);
    assert.equal(r.outputs["cache-primary-key"], c.key);
    if (c.expect.matched) assert.equal(read(path.join(j.ctx.workspace, "deps/from.txt")), c.expect.matched);
  });
}
