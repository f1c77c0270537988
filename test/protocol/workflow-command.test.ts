import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./load.ts";
import type { Command } from "../../src/run/protocol/workflow-command.ts";
import {
  COMMAND_NAMES,
  escapeData,
  escapeProperty,
  formatCommand,
  parseCommandLine,
  unescapeData,
  unescapeProperty,
} from "../../src/run/protocol/workflow-command.ts";

interface ParseCase {
  name: string;
  line: string;
  expected: Command | null;
}

for (const c of fixture<ParseCase[]>("command-parse.json")) {
  test(`parse: ${c.name}`, () => {
    assert.deepStrictEqual(parseCommandLine(c.line), c.expected);
  });
}

interface EscapeCase {
  raw: string;
  data: string;
  property: string;
}

for (const c of fixture<EscapeCase[]>("escaping.json")) {
  test(`escape: ${JSON.stringify(c.raw)}`, () => {
    assert.equal(escapeData(c.raw), c.data);
    assert.equal(escapeProperty(c.raw), c.property);
    assert.equal(unescapeData(c.data), c.raw);
    assert.equal(unescapeProperty(c.property), c.raw);
  });
}

test("formatCommand output parses back to the same command", () => {
  const cmd: Command = { name: "error", props: { file: "a,b:c.ts", title: "50% done\r\n" }, message: "x::y\n%" };
  assert.deepStrictEqual(parseCommandLine(formatCommand(cmd)), cmd);
});

test("the fixture covers every registered command", () => {
  const names = new Set(fixture<ParseCase[]>("command-parse.json").map((c) => c.expected?.name));
  for (const name of COMMAND_NAMES) assert.ok(names.has(name), name);
});
