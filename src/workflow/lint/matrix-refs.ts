/**
 * `matrix.<key>` must be a key of the job's literal matrix (its own keys plus those its
 * `include:` entries add). A matrix built by an expression (fromJSON...) is not judged.
 */
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding, listOrNone } from "./finding.ts";
import type { PlacedRef } from "./placed-refs.ts";

export function checkMatrixRef(file: string, { ref, place }: PlacedRef): Diagnostic | undefined {
  const job = place.job;
  const key = ref.path[0];
  if (ref.context !== "matrix" || job === undefined || key === undefined) return undefined;
  const matrix = job.matrix;
  if (matrix.kind === "none") {
    return finding(file, ref.at, "matrix-ref", `matrix.${key} is used but job '${job.id}' has no strategy.matrix`);
  }
  if (matrix.kind === "dynamic" || matrix.keys.some((k) => k.toLowerCase() === key.toLowerCase())) return undefined;
  const keys = [...new Set(matrix.keys)];
  return finding(file, ref.at, "matrix-ref", `matrix of job '${job.id}' has no key '${key}'; its keys: ${listOrNone(keys)}`);
}
