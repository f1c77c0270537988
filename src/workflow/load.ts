/**
 * Loads one workflow file: guards against hostile YAML, runs GitHub's parser and converter for
 * their validation, and builds Slipway's plain model. All findings come back as diagnostics in one pass.
 */
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { ErrorPolicy } from "@actions/workflow-parser/model/convert";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { WorkflowTemplate } from "@actions/workflow-parser/model/workflow-template";
import type { TemplateContext } from "@actions/workflow-parser/templates/template-context";
import type { Diagnostic } from "../common/diagnostic.ts";
import { guardYaml } from "./yaml-guard.ts";
import { convertWorkflow } from "./convert-workflow.ts";
import type { WorkflowModel } from "./model.ts";

export interface SourceFile {
  /** Path relative to the repository root. */
  name: string;
  content: string;
}

export interface LoadedWorkflow {
  model: WorkflowModel | null;
  diagnostics: Diagnostic[];
  /** GitHub's token tree and converted template, for lint rules. */
  root: TemplateToken | null;
  template: WorkflowTemplate | null;
}

export async function loadWorkflow(src: SourceFile): Promise<LoadedWorkflow> {
  const guard = guardYaml(src.name, src.content);
  if (guard.diagnostics.length) return { model: null, diagnostics: guard.diagnostics, root: null, template: null };
  const parsed = parseWorkflow({ name: src.name, content: src.content }, new NoOperationTraceWriter());
  const diagnostics = contextDiagnostics(src.name, parsed.context);
  if (!parsed.value) {
    if (!diagnostics.length) diagnostics.push({ file: src.name, line: 1, column: 1, severity: "error", message: "the file is empty", rule: "syntax" });
    return { model: null, diagnostics, root: null, template: null };
  }
  const seen = parsed.context.errors.count;
  // TryConversion: the default policy skips conversion on parse errors and so hides its findings.
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, undefined, {
    errorPolicy: ErrorPolicy.TryConversion,
  });
  diagnostics.push(...contextDiagnostics(src.name, parsed.context).slice(seen));
  const model = convertWorkflow(src.name, parsed.value, guard.scalars);
  return { model, diagnostics: dedupe(diagnostics), root: parsed.value, template };
}

const PREFIX = /^.*? \(Line: (\d+), Col: (\d+)\): /;

export function contextDiagnostics(file: string, context: TemplateContext): Diagnostic[] {
  return context.errors.getErrors().map((e) => {
    const m = PREFIX.exec(e.message);
    const line = e.range?.start.line ?? (m ? Number(m[1]) : 1);
    const column = e.range?.start.column ?? (m ? Number(m[2]) : 1);
    const message = m ? e.message.slice(m[0].length) : e.message.replace(/^[^:]*: /, "");
    return { file, line, column, severity: "error" as const, message, rule: "syntax" };
  });
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

