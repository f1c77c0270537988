import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./load.ts";
import type { EnvFileOptions, EnvFileResult } from "../../src/run/protocol/env-file.ts";
import { appendPathAdditions, parseEnvFile, parsePathFile } from "../../src/run/protocol/env-file.ts";

interface EnvCase {
  name: string;
  content: string;
  options?: EnvFileOptions;
  expected: EnvFileResult;
}

for (const c of fixture<EnvCase[]>("env-file.json")) {
  test(`env file: ${c.name}`, () => {
    assert.deepStrictEqual(parseEnvFile(c.content, c.options), c.expected);
  });
}

interface PathCase {
  name: string;
  content: string;
  expected: string[];
}

for (const c of fixture<PathCase[]>("path-file.json")) {
  test(`path file: ${c.name}`, () => {
    assert.deepStrictEqual(parsePathFile(c.content), c.expected);
  });
}

test("path additions: a re-added directory moves to the end", () => {
  assert.deepStrictEqual(appendPathAdditions(["/a", "/b"], ["/c", "/a"]), ["/b", "/c", "/a"]);
});
