/** A `run:` step: writes the script, runs it through its shell, applies what it wrote to the command files. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { evalString } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Contexts } from "../../expr/evaluate.ts";
import type { Frame, JobRuntime } from "./runtime.ts";
import { resolveShell, scriptFor } from "./shell.ts";
import { execWithCommands } from "./exec-step.ts";

let scriptCounter = 0;

export async function runScript(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal, defaults: { shell: string | null; workingDirectory: string | null }): Promise<boolean> {
  const body = evalString(step.run, ctx);
  const shell = step.shell !== null ? evalString(step.shell, ctx) : defaults.shell;
  const wd = step.workingDirectory !== null ? evalString(step.workingDirectory, ctx) : defaults.workingDirectory;
  const name = `${process.pid}_${++scriptCounter}`;
  let hostFile = "";
  const cmd = resolveShell(shell || null, (ext) => {
    hostFile = path.join(rt.executor.paths.hostTemp, `${name}${ext}`);
    return path.posix.join(rt.executor.paths.temp, `${name}${ext}`);
  }, rt.hasBash);
  writeFileSync(hostFile, scriptFor(cmd.extension, body));
  const cwd = wd ? path.posix.resolve(rt.executor.paths.workspace, wd) : rt.executor.paths.workspace;
  rt.log.write({ kind: "command", text: rt.masker.mask(`${cmd.argv.join(" ")}`), step: index });
  return execWithCommands(rt, frame, step, index, { argv: cmd.argv, cwd, stepEnv, signal });
}
