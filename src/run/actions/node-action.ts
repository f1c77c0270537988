/** A JavaScript action (node12…node24), run with this machine's Node, with its pre and post steps. */
import path from "node:path";
import { evaluateCondition, type Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { frameContexts, statusFunctions } from "../job/runtime.ts";
import { execWithCommands } from "../job/exec-step.ts";
import { actionInputs, inputEnv } from "./inputs.ts";
import type { LoadedAction } from "./loader.ts";

export async function runNodeAction(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal, action: LoadedAction): Promise<boolean> {
  const runs = action.model.runs;
  if (runs.using === "composite" || runs.using === "docker") return false;
  const warn = (m: string) => rt.log.write({ kind: "warning", text: m, step: index });
  const inputs = actionInputs(action.model, step, ctx, warn);
  const extraEnv = { ...inputEnv(inputs), GITHUB_ACTION_PATH: action.dir, GITHUB_ACTION_REPOSITORY: action.repository, GITHUB_ACTION_REF: action.ref };
  const node = process.execPath;
  const script = (file: string) => ({ argv: [node, path.join(action.dir, file)], cwd: rt.executor.paths.workspace });
  const stateKey = `${step.id}#${index}`;
  if (runs.pre && evaluateCondition(runs.preIf, ctx, statusFunctions(rt, frame))) {
    // GitHub runs `pre` before the job's first step; Slipway runs it right before the main script
    // (the action is only known once its step is reached). Documented in docs/differences.md.
    const ok = await execWithCommands(rt, frame, step, index, { ...script(runs.pre), stepEnv, signal, extraEnv, stateKey });
    if (!ok) return false;
  }
  const ok = await execWithCommands(rt, frame, step, index, { ...script(runs.main), stepEnv, signal, extraEnv, stateKey });
  if (runs.post) {
    const post = runs.post;
    const postIf = runs.postIf;
    rt.scope.postSteps.push(async () => {
      const fns = statusFunctions(rt, frame);
      if (!evaluateCondition(postIf, frameContexts(rt, frame, stepEnv), fns)) return;
      rt.log.write({ kind: "group", text: `Post ${step.uses}`, step: index });
      const state = rt.scope.state.get(stateKey) ?? {};
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      const postOk = await execWithCommands(rt, frame, { ...step, id: `${step.id}__post` }, index, { ...script(post), stepEnv, signal: rt.signal, extraEnv: { ...extraEnv, ...stateEnv }, stateKey });
      rt.log.write({ kind: "endgroup", text: "", step: index });
      if (!postOk) rt.scope.postFailed = true;
    });
  }
  return ok;
}
