import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compileGlob, matchPatternList, validateGlob, validatePatternList } from "../../src/workflow/glob.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/filters/${name}`, import.meta.url), "utf8"));

interface GlobRow { pattern: string; value: string; expect: boolean; source: string }
interface ListRow { patterns: string[]; value: string; expect: boolean; source: string }
interface InvalidRow { pattern: string; error: string | null }
interface InvalidListRow { patterns: string[]; errors: string[] }

test("single patterns match as the cheat sheet says", () => {
  for (const row of fixture("glob.json").rows as GlobRow[]) {
    const glob = compileGlob(row.pattern);
    assert.equal(glob.error, undefined, `${row.pattern} should be valid`);
    assert.equal(glob.match(row.value), row.expect, `${row.pattern} vs ${row.value} (${row.source})`);
  }
});

test("ordered lists: the last matching pattern decides", () => {
  for (const row of fixture("pattern-lists.json").rows as ListRow[]) {
    assert.equal(matchPatternList(row.patterns, row.value), row.expect, `${JSON.stringify(row.patterns)} vs ${row.value} (${row.source})`);
  }
});

test("invalid patterns are reported, valid ones are not", () => {
  const { patterns, lists } = fixture("invalid-patterns.json") as { patterns: InvalidRow[]; lists: InvalidListRow[] };
  for (const row of patterns) {
    const message = validateGlob(row.pattern);
    if (row.error === null) assert.equal(message, undefined, row.pattern);
    else assert.ok(message?.includes(row.error), `${row.pattern}: got ${message}`);
  }
  for (const row of lists) {
    const problems = validatePatternList(row.patterns);
    assert.equal(problems.length, row.errors.length, `${JSON.stringify(row.patterns)}: ${problems.join(" | ")}`);
    row.errors.forEach((e, i) => assert.ok(problems[i]?.includes(e), `${e} in ${problems[i]}`));
  }
});

test("an invalid pattern never matches", () => {
  assert.equal(compileGlob("[]").match("[]"), false);
  assert.equal(matchPatternList(["[]", "main"], "main"), true);
});
