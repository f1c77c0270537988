/**
 * nektos/act's own runner fixtures with act's expected results (../shared/conformance/act), run
 * through `slipway run` exactly as the suite's README describes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, commitAll, slipway, tmpDir } from "../helpers/cli.ts";

const SUITE = [path.resolve(ROOT, "../shared/conformance/act"), path.resolve(ROOT, "../../shared/conformance/act")].find((p) => existsSync(p));

interface Row {
  fixture: string;
  event: string;
  expect: "success" | "failure" | "invalid";
  args: string[];
  note?: string;
}

const EXIT = { success: 0, failure: 1, invalid: 2 } as const;

if (!SUITE) {
  test("act conformance suite", { skip: "../shared/conformance/act is not beside this checkout" }, () => {});
} else {
  const rows: Row[] = JSON.parse(readFileSync(path.join(SUITE, "expectations.json"), "utf8"));
  // Rows where act's expectation contradicts GitHub's documented behaviour: Slipway follows GitHub.
  // Each is listed with its reason in docs/differences.md.
  const deviations: Array<{ fixture: string; expect: Row["expect"]; reason: string }> = JSON.parse(readFileSync(path.join(ROOT, "test/conformance/deviations.json"), "utf8"));
  for (const d of deviations) {
    const row = rows.find((r) => r.fixture === d.fixture);
    if (row) row.expect = d.expect;
  }
  const copies: Record<string, string> = {};
  for (const part of ["runner", "model"]) {
    const dir = tmpDir(`act-${part}-`);
    cpSync(path.join(SUITE, "testdata", part), dir, { recursive: true });
    commitAll(dir, "master");
    copies[part] = dir;
  }
  const dataDir = tmpDir("act-data-");
  for (const row of rows) {
    test(`${row.fixture} (${row.event}) → ${row.expect}`, () => {
      const [part, ...rest] = row.fixture.split("/");
      const args = row.args.map((a) => (a.endsWith(".json") ? path.join(SUITE, "testdata", a) : a));
      const r = slipway(["run", row.event, "-C", copies[part as string] as string, "-W", rest.join("/"), "--data-dir", dataDir, ...args], { timeoutMs: 120_000 });
      assert.equal(r.code, EXIT[row.expect], `exit ${r.code}, expected ${EXIT[row.expect]}\n--- stderr ---\n${r.stderr.slice(-4000)}`);
      assert.ok(!/internal error|\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr), `stack trace in output:\n${r.stderr.slice(-2000)}`);
    });
  }
}
