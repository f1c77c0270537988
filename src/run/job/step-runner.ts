/** Runs a list of steps with GitHub's rules for `if`, `continue-on-error`, timeouts and cancellation. */
import { evalString, evalTpl, evaluateCondition, truthy, type Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import { isExpr, isStr } from "../../expr/template.ts";
import type { Result } from "../types.ts";
import type { Frame, JobRuntime } from "./runtime.ts";
import { frameContexts, statusFunctions } from "./runtime.ts";
import { runScript } from "./run-script.ts";
import { runUses } from "../actions/run-uses.ts";

export interface StepRecordSink {
  started(index: number, step: StepModel, name: string): void;
  finished(index: number, step: StepModel, name: string, outcome: Result, conclusion: Result): void;
}

export async function runSteps(rt: JobRuntime, frame: Frame, steps: StepModel[], sink: StepRecordSink): Promise<void> {
  for (const step of steps) await runStep(rt, frame, step, sink);
}

async function runStep(rt: JobRuntime, frame: Frame, step: StepModel, sink: StepRecordSink): Promise<void> {
  const index = rt.nextStepIndex();
  const fns = statusFunctions(rt, frame);
  let name = defaultName(step);
  let outcome: Result;
  try {
    const stepEnv = evalEnv(step.env, frameContexts(rt, frame), rt);
    const ctx = frameContexts(rt, frame, stepEnv);
    name = step.name !== null ? evalString(step.name, ctx) || name : evaluatedName(step, ctx) ?? name;
    if (!evaluateCondition(step.if, ctx, fns)) {
      frame.steps[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      sink.finished(index, step, name, "skipped", "skipped");
      return;
    }
    sink.started(index, step, name);
    rt.log.write({ kind: "group", text: rt.masker.mask(`Run ${name.replace(/^Run /, "")}`), step: index });
    outcome = await withTimeout(rt, frame, step, ctx, index, (signal) =>
      step.run !== null
        ? runScript(rt, frame, step, index, ctx, stepEnv, signal, defaults(rt, ctx))
        : runUses(rt, frame, step, index, ctx, stepEnv, signal),
    );
  } catch (e) {
    sink.started(index, step, name);
    rt.log.write({ kind: "error", text: rt.masker.mask((e as Error).message), step: index });
    outcome = "failure";
  }
  rt.log.write({ kind: "endgroup", text: "", step: index });
  const continueOnError = outcome === "failure" && continueOnErrorOf(rt, frame, step);
  const conclusion: Result = continueOnError ? "success" : outcome;
  const prior = frame.steps[step.id]?.outputs ?? {};
  frame.steps[step.id] = { outcome, conclusion, outputs: prior };
  if (conclusion === "failure") frame.status = "failure";
  sink.finished(index, step, name, outcome, conclusion);
}

async function withTimeout(rt: JobRuntime, frame: Frame, step: StepModel, ctx: Contexts, index: number, body: (s: AbortSignal) => Promise<boolean>): Promise<Result> {
  // GitHub's runner reads a step's timeout as whole minutes.
  const minutes = step.timeoutMinutes === null ? 0 : Math.trunc(Number(evalTpl(step.timeoutMinutes, ctx)));
  const timer = new AbortController();
  const handle = minutes > 0 ? setTimeout(() => timer.abort(), minutes * 60_000) : null;
  const jobCancel = rt.stepSignal();
  const signal = AbortSignal.any(frame.signal ? [jobCancel, timer.signal, frame.signal] : [jobCancel, timer.signal]);
  try {
    const ok = await body(signal);
    if (timer.signal.aborted) {
      rt.log.write({ kind: "error", text: "The action has timed out.", step: index });
      return "failure";
    }
    if (!ok && (jobCancel.aborted || rt.isCancelled())) return "cancelled";
    return ok ? "success" : "failure";
  } finally {
    if (handle) clearTimeout(handle);
  }
}

function continueOnErrorOf(rt: JobRuntime, frame: Frame, step: StepModel): boolean {
  try {
    return truthy(evalTpl(step.continueOnError, frameContexts(rt, frame)));
  } catch {
    return false;
  }
}

function defaults(rt: JobRuntime, ctx: Contexts): { shell: string | null; workingDirectory: string | null } {
  const d = rt.defaultsRun;
  return {
    shell: d.shell === null ? null : evalString(d.shell, ctx) || null,
    workingDirectory: d.workingDirectory === null ? null : evalString(d.workingDirectory, ctx) || null,
  };
}

export function evalEnv(env: StepModel["env"], ctx: Contexts, _rt: JobRuntime | null): Record<string, string> {
  if (env === null) return {};
  const v = evalTpl(env, ctx);
  const out: Record<string, string> = {};
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === "string" ? x : x === null ? "" : JSON.stringify(x);
  }
  return out;
}

/** GitHub names an unnamed run step after the first non-blank line of its evaluated script. */
function evaluatedName(step: StepModel, ctx: Contexts): string | null {
  if (step.run === null) return null;
  try {
    const first = evalString(step.run, ctx).split("\n").find((l) => l.trim() !== "");
    return `Run ${first?.trim() ?? ""}`;
  } catch {
    return null;
  }
}

function defaultName(step: StepModel): string {
  if (step.uses) return `Run ${step.uses}`;
  const run = step.run;
  if (typeof run === "string") return `Run ${run.split("\n")[0]?.trim() ?? ""}`;
  if (isStr(run)) {
    const first = run.$str.map((p) => (typeof p === "string" ? p : `\${{ ${p.$expr} }}`)).join("");
    return `Run ${first.split("\n")[0]?.trim() ?? ""}`;
  }
  if (isExpr(run)) return `Run \${{ ${run.$expr} }}`;
  return "Run";
}
