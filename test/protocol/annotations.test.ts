import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./load.ts";
import type { Annotation } from "../../src/run/protocol/annotations.ts";
import { limitAnnotationMessage, MAX_ANNOTATION_MESSAGE_LENGTH, toAnnotation } from "../../src/run/protocol/annotations.ts";
import { parseCommandLine } from "../../src/run/protocol/workflow-command.ts";

interface AnnotationCase {
  name: string;
  line: string;
  workspace?: string;
  expected: Annotation | null;
}

for (const c of fixture<AnnotationCase[]>("annotations.json")) {
  test(`annotation: ${c.name}`, () => {
    const cmd = parseCommandLine(c.line);
    assert.ok(cmd, "fixture line must parse");
    assert.deepStrictEqual(toAnnotation(cmd, { workspace: c.workspace }), c.expected);
  });
}

test("annotation messages are cut to the runner's limit", () => {
  assert.equal(limitAnnotationMessage("x".repeat(5000)).length, MAX_ANNOTATION_MESSAGE_LENGTH);
  assert.equal(limitAnnotationMessage("short"), "short");
});
