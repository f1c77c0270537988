import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describeOn, normalizeOn, triggers } from "../../src/workflow/filters.ts";
import type { TriggerEvent } from "../../src/workflow/filters.ts";

interface Row { name: string; on: unknown; event: TriggerEvent; expect: boolean; reason?: string }

const rows: Row[] = JSON.parse(readFileSync(new URL("../fixtures/filters/triggers.json", import.meta.url), "utf8")).rows;

test("triggers follows GitHub's documented event filters", () => {
  for (const row of rows) {
    const got = triggers(normalizeOn(row.on), row.event);
    assert.equal(got.triggered, row.expect, `${row.name}: ${got.reason}`);
    assert.ok(got.reason.length > 0, `${row.name}: reason is empty`);
    if (row.reason) assert.ok(got.reason.includes(row.reason), `${row.name}: reason '${got.reason}' lacks '${row.reason}'`);
  }
});

test("normalizeOn accepts a string, a list and a mapping", () => {
  assert.deepEqual(normalizeOn("push"), { push: null });
  assert.deepEqual(normalizeOn(["push", "pull_request"]), { push: null, pull_request: null });
  assert.deepEqual(normalizeOn({ push: { branches: ["main"] } }), { push: { branches: ["main"] } });
  assert.deepEqual(normalizeOn(42), {});
  assert.deepEqual(describeOn(normalizeOn(["push", "fork"])), ["push", "fork"]);
});

test("only the first 300 changed files are considered", () => {
  const on = normalizeOn({ push: { paths: ["b.txt"] } });
  const files = [...Array.from({ length: 300 }, (_, i) => `a${i}.txt`), "b.txt"];
  const late = triggers(on, { name: "push", ref: "refs/heads/main", changedFiles: files });
  assert.equal(late.triggered, false);
  const early = triggers(on, { name: "push", ref: "refs/heads/main", changedFiles: files.slice(1) });
  assert.equal(early.triggered, true);
});

test("a positive reason names the matching filter", () => {
  const got = triggers(normalizeOn({ push: { branches: ["main"] } }), { name: "push", ref: "refs/heads/main" });
  assert.deepEqual(got, { triggered: true, reason: "branch 'main' matches branches [main]" });
});
