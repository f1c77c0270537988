/** A JavaScript action (node12…node24), run with this machine's Node, with its pre and post steps. */
import path from "node:path";
import { evaluateCondition, type Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { frameContexts } from "../job/runtime.ts";
import { execWithCommands } from "../job/exec-step.ts";
import { actionInputs, inputEnv } from "./inputs.ts";
import type { LoadedAction } from "./loader.ts";

function actionEnv(rt: JobRuntime, action: LoadedAction, step: StepModel, ctx: Contexts, index: number): Record<string, string> {
  const warn = (m: string) => rt.log.write({ kind: "warning", text: m, step: index });
  const inputs = actionInputs(action.model, step, ctx, warn);
  return { ...inputEnv(inputs), GITHUB_ACTION_PATH: rt.environment.execPath(action.dir), GITHUB_ACTION_REPOSITORY: action.repository, GITHUB_ACTION_REF: action.ref };
}

function script(rt: JobRuntime, action: LoadedAction, file: string) {
  return { argv: [rt.environment.node, path.posix.join(rt.environment.execPath(action.dir), file)], cwd: rt.executor.paths.workspace };
}

/** The state slot shared by an action's pre, main and post: one per step occurrence. */
function stateKey(step: StepModel, frame: Frame): string {
  return `${frame.depth}:${step.id}`;
}

/**
 * Runs an action's `pre` at the start of the job, as GitHub does for repository actions (local
 * actions are not on disk before checkout, so GitHub runs no `pre` for them; neither does Slipway).
 */
export async function runNodePre(rt: JobRuntime, frame: Frame, step: StepModel, index: number, action: LoadedAction): Promise<boolean> {
  const runs = action.model.runs;
  if (runs.using === "composite" || runs.using === "docker" || !runs.pre) return true;
  const ctx = frameContexts(rt, frame);
  if (!evaluateCondition(runs.preIf, ctx)) return true;
  rt.log.write({ kind: "group", text: `Pre ${step.uses}`, step: index });
  const ok = await execWithCommands(rt, frame, { ...step, id: `${step.id}__pre` }, index, { ...script(rt, action, runs.pre), stepEnv: {}, signal: rt.stepSignal(), extraEnv: actionEnv(rt, action, step, ctx, index), stateKey: stateKey(step, frame) });
  delete frame.steps[`${step.id}__pre`];
  rt.log.write({ kind: "endgroup", text: "", step: index });
  return ok;
}

export async function runNodeAction(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal, action: LoadedAction): Promise<boolean> {
  const runs = action.model.runs;
  if (runs.using === "composite" || runs.using === "docker") return false;
  const extraEnv = actionEnv(rt, action, step, ctx, index);
  const key = stateKey(step, frame);
  const ok = await execWithCommands(rt, frame, step, index, { ...script(rt, action, runs.main), stepEnv, signal, extraEnv, stateKey: key });
  if (runs.post) {
    const post = runs.post;
    rt.scope.postSteps.push(async () => {
      if (!evaluateCondition(runs.postIf, frameContexts(rt, frame, stepEnv))) return;
      rt.log.write({ kind: "group", text: `Post ${step.uses}`, step: index });
      const state = rt.scope.state.get(key) ?? {};
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      const postOk = await execWithCommands(rt, frame, { ...step, id: `${step.id}__post` }, index, { ...script(rt, action, post), stepEnv, signal: rt.stepSignal(), extraEnv: { ...extraEnv, ...stateEnv }, stateKey: key });
      delete frame.steps[`${step.id}__post`];
      rt.log.write({ kind: "endgroup", text: "", step: index });
      if (!postOk) rt.scope.postFailed = true;
    });
  }
  return ok;
}
