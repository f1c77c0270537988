/**
 * The check names a workflow's jobs would report, read from the file without running it: a literal
 * `name:` or the job id, with a literal matrix expanded as GitHub names its instances (`Test (3.11)`).
 * A name or matrix with expressions, and the jobs of a called workflow, are not knowable here and are
 * left out. Pure.
 */
import { isLiteral } from "../../expr/template.ts";
import { expandStrategy, matrixJobName } from "../../plan/matrix.ts";
import type { JobModel, WorkflowModel } from "../../workflow/model.ts";

export function staticCheckNames(wf: WorkflowModel): string[] {
  return wf.jobs.flatMap(jobNames);
}

function jobNames(job: JobModel): string[] {
  if (job.name !== null && !isLiteral(job.name)) return [];
  const given = job.name !== null;
  const base = given ? String(job.name) : job.id;
  if (job.uses !== null) return [];
  if (job.strategy === null) return [base];
  if (!isLiteral(job.strategy)) return [];
  const { strategy, problems } = expandStrategy(job.strategy);
  if (problems.length) return [];
  const parts = strategy.nameParts ?? [null];
  return parts.map((p) => matrixJobName(base, p, given));
}
