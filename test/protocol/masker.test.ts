import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./load.ts";
import { Masker } from "../../src/run/protocol/masker.ts";

interface MaskCase {
  name: string;
  encoders?: boolean;
  add?: string[];
  addValue?: string[];
  addSecret?: string[];
  thenAdd?: string[];
  checks: { input: string; expected: string }[];
}

for (const c of fixture<MaskCase[]>("masker.json")) {
  test(`masker: ${c.name}`, () => {
    const m = new Masker(c.encoders ? {} : { encoders: [] });
    for (const v of c.add ?? []) m.add(v);
    for (const v of c.addValue ?? []) m.addValue(v);
    for (const v of c.addSecret ?? []) m.addSecret(v);
    if (c.thenAdd) {
      m.mask("warm the compiled pattern");
      for (const v of c.thenAdd) m.add(v);
    }
    for (const { input, expected } of c.checks) assert.equal(m.mask(input), expected, JSON.stringify(input));
  });
}

test("masker: 200k lines with 50 secrets stay fast", () => {
  const m = new Masker();
  for (let i = 0; i < 50; i++) m.add(`token-${i}-${"x".repeat(i % 7)}-value`);
  const line = "2024-01-01T00:00:00Z compiling module 1234 of the build; token-8-x-value is not it";
  const start = performance.now();
  let masked = "";
  for (let i = 0; i < 200_000; i++) masked = m.mask(line);
  const ms = performance.now() - start;
  assert.equal(masked, "2024-01-01T00:00:00Z compiling module 1234 of the build; *** is not it");
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
});
