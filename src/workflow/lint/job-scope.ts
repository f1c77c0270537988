/** What a job declares that expressions inside it may refer to. */
import { isMapping, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { WorkflowJob } from "@actions/workflow-parser/model/workflow-template";
import { itemsOf, keysOf, stringValue, valueOf } from "./raw-tokens.ts";

/** Matrix keys known statically, "dynamic" when an expression decides them, "none" without a matrix. */
export type MatrixKeys = { kind: "none" } | { kind: "dynamic" } | { kind: "keys"; keys: string[] };

export interface JobScope {
  id: string;
  /** Jobs listed in `needs:`; undefined when the converter could not tell. */
  needs: string[] | undefined;
  matrix: MatrixKeys;
  /** Step ids in order; undefined for steps without an id. */
  stepIds: (string | undefined)[];
}

export function jobScope(id: string, job: TemplateToken, converted: WorkflowJob | undefined): JobScope {
  return {
    id,
    // A converted job without `needs:` needs nothing; an unconverted one is unknown.
    needs: converted && (converted.needs ?? []).map((n) => n.value),
    matrix: matrixKeys(valueOf(job, "strategy")),
    stepIds: itemsOf(valueOf(job, "steps")).map((step) => stringValue(valueOf(step, "id"))),
  };
}

function matrixKeys(strategy: TemplateToken | undefined): MatrixKeys {
  if (strategy === undefined) return { kind: "none" };
  if (!isMapping(strategy)) return { kind: "dynamic" };
  const matrix = valueOf(strategy, "matrix");
  if (matrix === undefined) return { kind: "none" };
  if (!hasOnlyLiteralKeys(matrix)) return { kind: "dynamic" };
  const keys = keysOf(matrix).filter((k) => k !== "include" && k !== "exclude");
  const include = valueOf(matrix, "include");
  if (include === undefined) return { kind: "keys", keys };
  // An include built by an expression may add any key.
  if (!isSequence(include)) return { kind: "dynamic" };
  for (const item of include) {
    if (!hasOnlyLiteralKeys(item)) return { kind: "dynamic" };
    keys.push(...keysOf(item));
  }
  return { kind: "keys", keys };
}

function hasOnlyLiteralKeys(token: TemplateToken): boolean {
  return isMapping(token) && [...token].every((pair) => isString(pair.key));
}
