/**
 * `steps.<id>` must name a step of the same job that runs before the reading step: the steps
 * context only holds steps that have finished. Job `outputs:` are read after all steps.
 */
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding, listOrNone } from "./finding.ts";
import type { PlacedRef } from "./placed-refs.ts";

export function checkStepRef(file: string, { ref, place }: PlacedRef): Diagnostic | undefined {
  const job = place.job;
  const id = ref.path[0];
  if (ref.context !== "steps" || job === undefined || id === undefined) return undefined;
  const index = job.stepIds.findIndex((s) => s?.toLowerCase() === id.toLowerCase());
  if (index < 0) {
    const known = job.stepIds.filter((s): s is string => s !== undefined);
    return finding(file, ref.at, "step-ref", `unknown step id '${id}': job '${job.id}' has step ids ${listOrNone(known)}`);
  }
  if (place.step === undefined || index < place.step) return undefined;
  const why = index === place.step ? "a step cannot read its own results" : "it runs later in the job";
  return finding(file, ref.at, "step-ref", `step '${id}' is not defined before this step: ${why}`);
}
