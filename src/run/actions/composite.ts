/** A composite action: its steps run in a frame of their own; GITHUB_ENV and PATH changes reach the job. */
import { evalString, type Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { runSteps } from "../job/step-runner.ts";
import { actionInputs } from "./inputs.ts";
import { ActionError, type LoadedAction } from "./loader.ts";

/** GitHub refuses composite actions nested deeper than this. */
const MAX_DEPTH = 10;

export async function runComposite(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, action: LoadedAction, signal: AbortSignal): Promise<boolean> {
  if (action.model.runs.using !== "composite") return false;
  if (frame.depth >= MAX_DEPTH) throw new ActionError(`Composite actions are nested more than ${MAX_DEPTH} deep at '${step.uses}'`);
  const warn = (m: string) => rt.log.write({ kind: "warning", text: m, step: index });
  const inputs = actionInputs(action.model, step, ctx, warn);
  const inner: Frame = {
    steps: {},
    status: "success",
    inputs,
    envOverlay: { ...frame.envOverlay, ...stepEnv },
    github: { ...frame.github, action_path: rt.environment.execPath(action.dir), action_repository: action.repository, action_ref: action.ref },
    depth: frame.depth + 1,
    signal,
  };
  for (const s of action.model.runs.steps) {
    if (s.run !== null && s.shell === null) throw new ActionError(`'${step.uses}': a composite action's run step needs 'shell' (step '${s.generatedId ? "run" : s.id}')`);
  }
  await runSteps(rt, inner, action.model.runs.steps, { started: () => undefined, finished: () => undefined });
  const outCtx: Contexts = { ...ctx, steps: inner.steps, inputs, github: inner.github };
  const outputs: Record<string, string> = {};
  for (const [name, o] of Object.entries(action.model.outputs)) outputs[name] = o.value === null ? "" : evalString(o.value, outCtx);
  frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs };
  return inner.status === "success" && !signal.aborted && !rt.isCancelled();
}
