/** A `uses:` step: finds the action and runs it by its kind. */
import path from "node:path";
import type { Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { ActionError, parseRemote, type LoadedAction } from "./loader.ts";
import { runBuiltin, builtinFor } from "./builtins/index.ts";
import { runComposite } from "./composite.ts";
import { runNodeAction } from "./node-action.ts";
import { runDockerAction, runDockerUri } from "./docker-step.ts";

export async function runUses(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal): Promise<boolean> {
  const uses = step.uses ?? "";
  const builtin = builtinFor(uses);
  if (builtin) return runBuiltin(builtin, rt, frame, step, index, ctx, stepEnv);
  if (uses.startsWith("docker://")) return runDockerUri(rt, frame, step, index, ctx, stepEnv, signal);
  const action = await locate(rt, uses);
  const runs = action.model.runs;
  switch (runs.using) {
    case "composite":
      return runComposite(rt, frame, step, index, ctx, stepEnv, action, signal);
    case "docker":
      return runDockerAction(rt, frame, step, index, ctx, stepEnv, signal, action);
    default:
      return runNodeAction(rt, frame, step, index, ctx, stepEnv, signal, action);
  }
}

async function locate(rt: JobRuntime, uses: string): Promise<LoadedAction> {
  if (uses.startsWith("./") || uses === ".") {
    return rt.actions.loadDir(path.join(rt.executor.paths.hostWorkspace, uses), uses);
  }
  const remote = parseRemote(uses);
  if (!remote) throw new ActionError(`'${uses}' is not a valid action reference: use owner/repo[/path]@ref, ./local/path or docker://image`);
  return rt.actions.loadRemote(remote, uses);
}
