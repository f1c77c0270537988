/** `needs.<id>` only holds the jobs this job lists in its own `needs:`, not every job of the workflow. */
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding, listOrNone } from "./finding.ts";
import type { PlacedRef } from "./placed-refs.ts";

export function checkNeedsRef(file: string, { ref, place }: PlacedRef): Diagnostic | undefined {
  const needs = place.job?.needs;
  const id = ref.path[0];
  if (ref.context !== "needs" || needs === undefined || id === undefined) return undefined;
  if (needs.some((n) => n.toLowerCase() === id.toLowerCase())) return undefined;
  const message = `job '${place.job?.id}' does not need '${id}', so needs.${id} is never set; its needs: ${listOrNone(needs)}`;
  return finding(file, ref.at, "needs-ref", message);
}
