/**
 * Checks GitHub applies (or that always signal a mistake) beyond what @actions/workflow-parser
 * reports itself. Its own findings (schema, expression syntax, unknown or cyclic `needs`,
 * duplicate ids, cron syntax) are not repeated here.
 */
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { WorkflowTemplate } from "@actions/workflow-parser/model/workflow-template";
import { sortDiagnostics, type Diagnostic } from "../../common/diagnostic.ts";
import { checkUses } from "./action-refs.ts";
import { checkEventFilters } from "./event-filters.ts";
import { checkInputRef, declaredInputs } from "./input-refs.ts";
import { checkMatrixRef } from "./matrix-refs.ts";
import { checkNeedsRef } from "./needs-refs.ts";
import { placedRefs } from "./placed-refs.ts";
import { valueOf } from "./raw-tokens.ts";
import { checkStepRef } from "./step-refs.ts";

export { lintActionManifest } from "./action-manifest.ts";

export function lintTemplate(file: string, root: TemplateToken, template: WorkflowTemplate): Diagnostic[] {
  const on = valueOf(root, "on");
  const inputs = declaredInputs(on);
  const out: Diagnostic[] = [...checkEventFilters(file, on), ...checkUses(file, root)];
  for (const placed of placedRefs(root, template)) {
    const found =
      checkStepRef(file, placed) ?? checkNeedsRef(file, placed) ?? checkMatrixRef(file, placed) ?? checkInputRef(file, placed, inputs);
    if (found !== undefined) out.push(found);
  }
  return sortDiagnostics(out);
}
