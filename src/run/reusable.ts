/**
 * A job that calls a reusable workflow: the called workflow's jobs run as `caller/job` in the same
 * run, with the caller's `with` typed against `on.workflow_call.inputs`, and its outputs read back.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { evalString, evalTpl, type Contexts } from "../expr/evaluate.ts";
import { declaredInputs, typeInputs } from "../plan/inputs.ts";
import { formatDiagnostic, hasErrors } from "../common/diagnostic.ts";
import type { JobModel, WorkflowModel } from "../workflow/model.ts";
import type { Tpl } from "../expr/template.ts";
import { parseRemote } from "./actions/loader.ts";
import { combineResults, type JobReport } from "./types.ts";
import type { JobRef } from "./observer.ts";
import { runWorkflowJobs, type EngineDeps, type WorkflowRunInput } from "./workflow-run.ts";

/** GitHub allows ten levels of nested reusable workflows. */
export const MAX_CALL_DEPTH = 10;

export async function runCalledWorkflow(job: JobModel, inst: { reportId: string; name: string; combo: Record<string, unknown> | null; ctx: Contexts }, input: WorkflowRunInput, deps: EngineDeps, siblings: AbortSignal): Promise<JobReport[]> {
  const ref: JobRef = { runId: input.runId, reportId: inst.reportId, name: inst.name, matrix: inst.combo };
  const started = Date.now();
  const fail = (reason: string): JobReport[] => {
    deps.observer.log(ref, { kind: "error", text: reason, step: null });
    const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "failure", outputs: {}, steps: [], durationMs: Date.now() - started, reason };
    deps.observer.jobFinished(ref, report);
    return [report];
  };
  if (input.depth + 1 >= MAX_CALL_DEPTH) return fail(`reusable workflows are nested more than ${MAX_CALL_DEPTH} levels deep at '${job.uses}'`);
  let called: WorkflowModel;
  try {
    called = await loadCalled(job.uses as string, deps);
  } catch (e) {
    return fail((e as Error).message);
  }
  const withValues = (evalTpl((job.with ?? {}) as Tpl, inst.ctx) ?? {}) as Record<string, unknown>;
  const decls = declaredInputs(called.on, "workflow_call");
  if (decls === null) return fail(`'${job.uses}' cannot be called: it has no 'on: workflow_call' trigger`);
  const typed = typeInputs(evalDefaults(decls, inst.ctx), withValues, "workflow_call");
  if (typed.problems.length) return fail(`${job.uses}: ${typed.problems.join("; ")}`);
  const secrets = job.secrets === "inherit" ? (inst.ctx.secrets as Record<string, string>) : { GITHUB_TOKEN: String((inst.ctx.secrets as Record<string, string>)?.GITHUB_TOKEN ?? ""), ...((evalTpl((job.secrets ?? {}) as Tpl, inst.ctx) ?? {}) as Record<string, string>) };
  deps.observer.jobStarted(ref);
  const github = { ...(input.contexts.github as object), workflow_ref: job.uses };
  const sub = await runWorkflowJobs(
    { runId: input.runId, workflow: called, contexts: { ...input.contexts, github, inputs: typed.inputs, secrets }, onlyJob: null, prefix: `${inst.reportId}/`, depth: input.depth + 1 },
    { ...deps, cancel: AbortSignal.any([deps.cancel, siblings]) },
  );
  const jobsCtx: Record<string, unknown> = {};
  for (const [id, o] of sub.outcomes) jobsCtx[id] = { result: o.result, outputs: o.outputs };
  const outputs: Record<string, string> = {};
  const outDecls = ((called.on.workflow_call as { outputs?: Record<string, { value?: Tpl }> } | null)?.outputs ?? {}) as Record<string, { value?: Tpl }>;
  for (const [name, d] of Object.entries(outDecls)) {
    try {
      outputs[name] = evalString(d?.value ?? "", { ...input.contexts, github, inputs: typed.inputs, jobs: jobsCtx });
    } catch (e) {
      deps.observer.log(ref, { kind: "error", text: (e as Error).message, step: null });
    }
  }
  const result = combineResults([...sub.outcomes.values()].map((o) => o.result));
  const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result, outputs, steps: [], durationMs: Date.now() - started };
  deps.observer.jobFinished(ref, report);
  return [report, ...sub.reports];
}

function evalDefaults(decls: Record<string, { default?: unknown }>, ctx: Contexts): Record<string, { default?: unknown }> {
  const out: Record<string, { default?: unknown }> = {};
  for (const [k, d] of Object.entries(decls)) out[k] = d && d.default !== undefined ? { ...d, default: evalTpl(d.default as Tpl, ctx) } : d;
  return out;
}

async function loadCalled(uses: string, deps: EngineDeps): Promise<WorkflowModel> {
  let file: string;
  let name: string;
  if (uses.startsWith("./")) {
    file = path.join(deps.settings.repoRoot, uses);
    name = uses.slice(2);
  } else {
    const r = parseRemote(uses);
    if (!r || !r.subPath) throw new Error(`'${uses}' is not a reusable workflow reference: use ./.github/workflows/x.yml or owner/repo/.github/workflows/x.yml@ref`);
    const root = await deps.actions.fetch(r, uses);
    file = path.join(root, r.subPath);
    name = `${r.owner}/${r.repo}/${r.subPath}`;
  }
  const content = await readFile(file, "utf8").catch(() => {
    throw new Error(`reusable workflow '${uses}' not found (looked for ${file})`);
  });
  const { loadWorkflow } = await import("../workflow/load.ts");
  const loaded = await loadWorkflow({ name, content });
  if (!loaded.model || hasErrors(loaded.diagnostics)) throw new Error(`invalid reusable workflow '${uses}':\n${loaded.diagnostics.map(formatDiagnostic).join("\n")}`);
  return loaded.model;
}
