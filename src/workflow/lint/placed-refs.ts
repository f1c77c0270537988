/**
 * Walks a workflow and lists every context reference with the place it sits in: which job,
 * which step of it, or the job's `outputs:`. The reference rules judge each one.
 */
import { isMapping, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { StringToken } from "@actions/workflow-parser/templates/tokens/string-token";
import type { WorkflowTemplate } from "@actions/workflow-parser/model/workflow-template";
import { contextRefs, type ContextRef } from "./context-refs.ts";
import { conditionSites, expressionSites, type ExpressionSite } from "./expression-sites.ts";
import { jobScope, type JobScope } from "./job-scope.ts";
import { itemsOf } from "./raw-tokens.ts";

export interface RefPlace {
  /** Undefined at workflow level (run-name, env, concurrency...). */
  job: JobScope | undefined;
  /** Index of the step holding the reference; undefined outside steps. */
  step: number | undefined;
  /** Inside the job's `outputs:`, which may read any step of the job. */
  jobOutputs: boolean;
}

export interface PlacedRef {
  ref: ContextRef;
  place: RefPlace;
}

export function placedRefs(root: TemplateToken, template: WorkflowTemplate): PlacedRef[] {
  const out: PlacedRef[] = [];
  if (!isMapping(root)) return out;
  const workflowLevel: RefPlace = { job: undefined, step: undefined, jobOutputs: false };
  for (const { key, value } of root) {
    if (!isString(key) || key.value === "on") continue;
    if (key.value === "jobs") jobsRefs(value, template, out);
    else add(expressionSites(value, key), workflowLevel, out);
  }
  return out;
}

function jobsRefs(jobs: TemplateToken, template: WorkflowTemplate, out: PlacedRef[]): void {
  if (!isMapping(jobs)) return;
  for (const { key, value } of jobs) {
    if (!isString(key) || !isMapping(value)) continue;
    const converted = template.jobs?.find((j) => j.id.value === key.value);
    jobRefs(jobScope(key.value, value, converted), value, out);
  }
}

function jobRefs(job: JobScope, token: TemplateToken, out: PlacedRef[]): void {
  if (!isMapping(token)) return;
  for (const { key, value } of token) {
    if (!isString(key)) continue;
    if (key.value === "steps") {
      itemsOf(value).forEach((step, index) => stepRefs(step, { job, step: index, jobOutputs: false }, out));
    } else {
      const place = { job, step: undefined, jobOutputs: key.value === "outputs" };
      add(sitesFor(key, value), place, out);
    }
  }
}

function stepRefs(step: TemplateToken, place: RefPlace, out: PlacedRef[]): void {
  if (!isMapping(step)) return;
  for (const { key, value } of step) if (isString(key)) add(sitesFor(key, value), place, out);
}

function sitesFor(key: StringToken, value: TemplateToken): ExpressionSite[] {
  return key.value === "if" ? conditionSites(value, key) : expressionSites(value, key);
}

function add(sites: ExpressionSite[], place: RefPlace, out: PlacedRef[]): void {
  for (const site of sites) for (const ref of contextRefs(site)) out.push({ ref, place });
}
