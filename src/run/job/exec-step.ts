/** Runs one step process with its command files and output processing, then applies the effects. */
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "./runtime.ts";
import { createCommandFiles } from "./command-files.ts";
import { stepProcessEnv } from "./process-env.ts";
import { StepOutput } from "./step-output.ts";

export interface StepProcess {
  argv: string[];
  cwd: string;
  stepEnv: Record<string, string>;
  signal: AbortSignal;
  /** Extra variables (INPUT_*, STATE_*) for actions. */
  extraEnv?: Record<string, string>;
  /** Where ::save-state / GITHUB_STATE values go; defaults to the step's own state slot. */
  stateKey?: string;
  /**
   * Runs the process somewhere other than the job's executor (a Docker action's own container);
   * its env then carries the command files' paths as this machine sees them.
   */
  runner?: (env: Record<string, string>, onLine: (line: string) => void, signal: AbortSignal) => Promise<{ exitCode: number; aborted: boolean }>;
}

/** Returns true when the process succeeded and every command it issued was accepted. */
export async function execWithCommands(rt: JobRuntime, frame: Frame, step: StepModel, index: number, p: StepProcess): Promise<boolean> {
  const files = createCommandFiles(rt.executor.paths.hostTemp, p.runner ? rt.executor.paths.hostTemp : rt.executor.paths.temp);
  const env = stepProcessEnv(rt, frame, p.stepEnv, { ...files.env, ...(p.extraEnv ?? {}) });
  const outputs: Record<string, string> = {};
  const stateKey = p.stateKey ?? step.id;
  const state = rt.scope.state.get(stateKey) ?? {};
  rt.scope.state.set(stateKey, state);
  const out = new StepOutput(
    rt.log,
    rt.masker,
    index,
    {
      setOutput: (n, v) => (outputs[n] = v),
      saveState: (n, v) => (state[n] = v),
      setEnv: (n, v) => (rt.scope.addedEnv[n] = v),
      addPath: (d) => rt.scope.addedPath.unshift(d),
    },
    { env, workspace: rt.executor.paths.workspace },
  );
  let exitCode: number;
  let aborted = false;
  try {
    const onLine = (l: string) => {
      rt.tails.add(index, rt.masker.mask(l));
      out.line(l);
    };
    const r = p.runner ? await p.runner(env, onLine, p.signal) : await rt.executor.exec({ argv: p.argv, env, cwd: p.cwd, signal: p.signal, onLine });
    exitCode = r.exitCode;
    aborted = r.aborted;
  } catch (e) {
    out.emit("error", `Could not start '${p.argv[0]}': ${(e as Error).message}`);
    return false;
  }
  const c = files.collect();
  for (const { name, value } of c.env) {
    // GitHub refuses NODE_OPTIONS through GITHUB_ENV: it would reach every later action's Node.
    if (name.toUpperCase() === "NODE_OPTIONS") out.emit("error", "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.");
    else rt.scope.addedEnv[name] = value;
  }
  for (const d of c.path.reverse()) rt.scope.addedPath.unshift(d);
  for (const { name, value } of c.outputs) outputs[name] = value;
  for (const { name, value } of c.state) state[name] = value;
  if (c.summary.trim()) rt.scope.summaries.push(rt.masker.mask(c.summary));
  for (const e of c.errors) out.emit("error", e);
  const prior = frame.steps[step.id]?.outputs ?? {};
  frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: { ...prior, ...outputs } };
  if (aborted) return false;
  if (exitCode !== 0) out.emit("error", `Process completed with exit code ${exitCode}.`);
  return exitCode === 0 && !out.failed && c.errors.length === 0;
}
