/** A checkout's workflows for the server: the valid ones, and a diagnostic per broken file. */
import path from "node:path";
import { formatDiagnostic, type Diagnostic } from "../common/diagnostic.ts";
import type { WorkflowModel } from "../workflow/model.ts";
import { findWorkflowFiles, loadWorkflows } from "./workflow-files.ts";

export interface CheckoutWorkflows {
  workflows: WorkflowModel[];
  /** Broken files, by path relative to the checkout, with their first errors. */
  broken: Map<string, string>;
}

export async function checkoutWorkflows(root: string): Promise<CheckoutWorkflows> {
  const files = findWorkflowFiles(root, undefined);
  const { loaded } = await loadWorkflows(root, files);
  const broken = new Map<string, string>();
  const workflows: WorkflowModel[] = [];
  loaded.forEach((l, i) => {
    const errors = l.diagnostics.filter((d: Diagnostic) => d.severity === "error");
    if (errors.length || !l.model) broken.set(path.relative(root, files[i] as string), errors.slice(0, 5).map(formatDiagnostic).join("\n") || "invalid workflow");
    else workflows.push(l.model);
  });
  return { workflows, broken };
}
