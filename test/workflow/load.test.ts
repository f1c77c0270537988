/** The parser front end: the two upstream bugs fixed, all errors in one pass, hostile YAML refused fast. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadWorkflow } from "../../src/workflow/load.ts";
import { evaluate, evalString } from "../../src/expr/evaluate.ts";

const rows: Array<{ name: string; expr: string; expect: unknown }> = JSON.parse(readFileSync(new URL("../fixtures/workflow/interpolation.json", import.meta.url), "utf8"));
for (const row of rows) {
  test(`expression: ${row.name}`, () => assert.deepEqual(evaluate(row.expr, {}), row.expect));
}

/** The script of a one-step workflow whose step is `step` (YAML at the step's indentation). */
async function firstRun(step: string, ctx = {}) {
  const content = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${step}`;
  const { model, diagnostics } = await loadWorkflow({ name: "w.yml", content });
  assert.deepEqual(diagnostics, []);
  return evalString(model?.jobs[0]?.steps[0]?.run ?? null, ctx);
}

test("a block scalar with ${{ }} keeps YAML's value, not the raw source (parser bug fix)", async () => {
  const script = await firstRun(`      - run: |
          echo "\${{ matrix.x }}"
            indented
          done
`, { matrix: { x: "X" } });
  assert.equal(script, 'echo "X"\n  indented\ndone\n');
});

test("a folded scalar with ${{ }} is folded and evaluated", async () => {
  const script = await firstRun(`      - run: >-
          echo \${{ 'a''b' }}
          there
`);
  assert.equal(script, "echo a'b there");
});

test("a plain scalar with doubled quotes outside the expression keeps them", async () => {
  const script = await firstRun(`      - run: echo 'a''b''c' \${{ 'x''y''z' }}
`);
  assert.equal(script, "echo 'a''b''c' x'y'z");
});

test("parse and conversion errors are reported together, with positions", async () => {
  const { diagnostics } = await loadWorkflow({ name: "w.yml", content: `on: push
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - run: true
  a:
    runs-on: ubuntu-latest
    needs: [nope]
    steps:
      - run: \${{ x
` });
  const messages = diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
  assert.ok(messages.some((m) => m.startsWith("11:14") && m.includes("not closed")), messages.join("\n"));
  assert.ok(messages.some((m) => m.includes("unknown job 'nope'")), messages.join("\n"));
});

// The one-second target is measured by `npm run bench`; the timeout here only guards against a hang.
test("a YAML alias bomb is refused, naming the file", { timeout: 10_000 }, async () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
  const { model, diagnostics } = await loadWorkflow({ name: "bomb.yml", content: `${levels.join("\n")}\non: push\njobs: {}\n` });
  assert.equal(model, null);
  assert.equal(diagnostics[0]?.file, "bomb.yml");
  assert.match(diagnostics[0]?.message ?? "", /alias/);
});

test("an oversized document is refused", async () => {
  const { model, diagnostics } = await loadWorkflow({ name: "big.yml", content: `on: push\n# ${"x".repeat(2 * 1024 * 1024)}\n` });
  assert.equal(model, null);
  assert.match(diagnostics[0]?.message ?? "", /limit/);
});
