/**
 * Table-driven: each fixture under test/fixtures/lint/ states its findings in leading comments.
 *   # expect: LINE:COL SEVERITY RULE ["message part"]   a finding lint must report
 *   # parser: LINE:COL ["message part"]                 an error GitHub's parser reports itself
 * Workflow fixtures must have exactly the parser errors listed, which shows lint does not
 * repeat them; a fixture without `expect` lines must produce no findings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { parseWorkflow, NoOperationTraceWriter, convertWorkflowTemplate } from "@actions/workflow-parser";
import { ErrorPolicy } from "@actions/workflow-parser/model/convert";
import { lintActionManifest, lintTemplate } from "../../src/workflow/lint/index.ts";
import type { Diagnostic } from "../../src/common/diagnostic.ts";

const root = new URL("../fixtures/lint/", import.meta.url);

interface Expected {
  key: string;
  part: string | undefined;
}

function expectations(content: string, tag: "expect" | "parser"): Expected[] {
  const out: Expected[] = [];
  const pattern = new RegExp(`^# ${tag}: (\\S+(?: \\S+ \\S+)?)(?: "(.*)")?$`);
  for (const line of content.split("\n")) {
    const m = pattern.exec(line.trim());
    if (m) out.push({ key: tag === "expect" ? m[1]! : m[1]!.split(" ")[0]!, part: m[2] });
  }
  return out;
}

function assertFound(found: { key: string; message: string }[], expected: Expected[]): void {
  const keys = (xs: { key: string }[]) => xs.map((x) => x.key).sort();
  assert.deepEqual(keys(found), keys(expected), JSON.stringify(found, null, 1));
  for (const e of expected) {
    if (e.part === undefined) continue;
    const hit = found.some((f) => f.key === e.key && f.message.includes(e.part!));
    assert.ok(hit, `no finding at ${e.key} containing "${e.part}": ${JSON.stringify(found, null, 1)}`);
  }
}

const asFound = (d: Diagnostic) => ({ key: `${d.line}:${d.column} ${d.severity} ${d.rule}`, message: d.message });

function fixtures(folder: string): string[] {
  return readdirSync(new URL(folder, root)).filter((f) => f.endsWith(".yml")).sort();
}

for (const name of fixtures("workflows/")) {
  test(`workflow ${name}`, async () => {
    const content = readFileSync(new URL(`workflows/${name}`, root), "utf8");
    const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    assert.ok(parsed.value, "fixture must parse as YAML");
    const template = await convertWorkflowTemplate(parsed.context, parsed.value, undefined, { errorPolicy: ErrorPolicy.TryConversion });
    const parserErrors = parsed.context.errors.getErrors().map((e) => ({
      key: `${e.range?.start.line}:${e.range?.start.column}`,
      message: e.message,
    }));
    assertFound(parserErrors, expectations(content, "parser"));
    assertFound(lintTemplate(name, parsed.value, template).map(asFound), expectations(content, "expect"));
  });
}

for (const name of fixtures("actions/")) {
  test(`action manifest ${name}`, () => {
    const content = readFileSync(new URL(`actions/${name}`, root), "utf8");
    assertFound(lintActionManifest(name, content).map(asFound), expectations(content, "expect"));
  });
}
