/** Table-driven: one case per file in test/fixtures/matrix (see the file's "description"). */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { expandStrategy, matrixJobName, matrixKeys } from "../../src/plan/matrix.ts";
import type { Combination, StrategyProblem } from "../../src/plan/matrix.ts";

interface Fixture {
  description: string;
  strategy: unknown;
  expect: {
    combinations?: Combination[] | null;
    count?: number;
    problems?: StrategyProblem[];
    failFast?: boolean;
    maxParallel?: number | null;
    keys?: string[];
    names?: { base: string; nameWasGiven: boolean; expect: string[] };
  };
}

const dir = join(import.meta.dirname, "..", "fixtures", "matrix");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("there are enough fixtures", () => {
  assert.ok(files.length >= 25, `only ${files.length} fixtures`);
});

for (const file of files) {
  const fx = JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture;
  test(`${file}: ${fx.description}`, () => {
    const { strategy, problems } = expandStrategy(fx.strategy);
    const want = fx.expect;
    assert.deepEqual(problems, want.problems ?? []);
    if (want.combinations !== undefined) {
      // Serialized too, because deepEqual ignores key order and GitHub's order is part of the spec.
      assert.deepEqual(strategy.combinations, want.combinations);
      assert.equal(JSON.stringify(strategy.combinations), JSON.stringify(want.combinations));
    }
    if (want.count !== undefined) assert.equal(strategy.combinations?.length ?? 0, want.count);
    if (want.failFast !== undefined) assert.equal(strategy.failFast, want.failFast);
    if (want.maxParallel !== undefined) assert.equal(strategy.maxParallel, want.maxParallel);
    if (want.keys !== undefined) assert.deepEqual(matrixKeys(fx.strategy), want.keys);
    assert.equal(strategy.nameParts?.length, strategy.combinations?.length);
    if (want.names !== undefined) {
      const { base, nameWasGiven } = want.names;
      const names = (strategy.nameParts ?? []).map((p) => matrixJobName(base, p, nameWasGiven));
      assert.deepEqual(names, want.names.expect);
    }
  });
}

test("a job without a matrix keeps its name, cut to 100 characters", () => {
  assert.equal(matrixJobName("build", null, false), "build");
  assert.equal(matrixJobName("x".repeat(120), null, true), `${"x".repeat(97)}...`);
});
