/** GitHub runs the `pre` of every repository action of a job before the job's first step. */
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { builtinFor } from "./builtins/index.ts";
import { parseRemote } from "./loader.ts";
import { runNodePre } from "./node-action.ts";

/** Returns false when a `pre` failed, which fails the job before its steps, as on GitHub. */
export async function runPreSteps(rt: JobRuntime, frame: Frame, steps: StepModel[]): Promise<boolean> {
  for (const step of steps) {
    const uses = step.uses;
    if (!uses || uses.startsWith("./") || uses.startsWith("docker://") || builtinFor(uses)) continue;
    const remote = parseRemote(uses);
    if (!remote) continue;
    // A failure to fetch is reported by the step itself, with the step's name.
    const action = await rt.actions.loadRemote(remote, uses).catch(() => null);
    if (!action) continue;
    const runs = action.model.runs;
    if (runs.using === "composite" || runs.using === "docker" || !runs.pre) continue;
    if (!(await runNodePre(rt, frame, step, rt.nextStepIndex(), action))) return false;
  }
  return true;
}
