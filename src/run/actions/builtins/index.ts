/**
 * Actions Slipway implements itself because the published ones need GitHub's services or download
 * toolchains. Matched by repository, any ref. See docs/differences.md.
 */
import type { Contexts } from "../../../expr/evaluate.ts";
import type { StepModel } from "../../../workflow/model.ts";
import type { Frame, JobRuntime } from "../../job/runtime.ts";
import { stepProcessEnv } from "../../job/process-env.ts";
import { actionInputs } from "../inputs.ts";
import type { BuiltinResult } from "./setup-tools.ts";

export type BuiltinName =
  | "checkout"
  | "setup-node"
  | "setup-python"
  | "setup-go"
  | "upload-artifact"
  | "download-artifact"
  | "cache"
  | "cache-restore"
  | "cache-save";

const BUILTINS: Record<string, BuiltinName> = {
  "actions/checkout": "checkout",
  "actions/setup-node": "setup-node",
  "actions/setup-python": "setup-python",
  "actions/setup-go": "setup-go",
  "actions/upload-artifact": "upload-artifact",
  "actions/download-artifact": "download-artifact",
  "actions/cache": "cache",
  "actions/cache/restore": "cache-restore",
  "actions/cache/save": "cache-save",
};

export function builtinFor(uses: string): BuiltinName | null {
  const at = uses.indexOf("@");
  return at > 0 ? (BUILTINS[uses.slice(0, at).toLowerCase()] ?? null) : null;
}

export async function runBuiltin(name: BuiltinName, rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>): Promise<boolean> {
  const log = (line: string) => rt.log.write({ kind: "output", text: rt.masker.mask(line), step: index });
  const inputs = actionInputs(null, step, ctx, log);
  // Each built-in loads on first use: most runs need only a few, and start-up time counts.
  if (name === "checkout") {
    const { checkout } = await import("./checkout.ts");
    const gh = rt.contexts.github as { sha: string; ref: string };
    await checkout({ repoRoot: rt.settings.repoRoot, sha: gh.sha, eventRef: gh.ref, inputs, workspace: rt.executor.paths.hostWorkspace, log });
    frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: { ref: gh.ref, commit: gh.sha } };
    return true;
  }
  if (name === "upload-artifact" || name === "download-artifact") return (await import("./run-artifacts.ts")).runArtifacts(name, rt, frame, step, index, inputs, log);
  if (name === "cache" || name === "cache-restore" || name === "cache-save") return (await import("./run-cache.ts")).runCache(name, rt, frame, step, index, stepEnv, inputs, log);
  const { setupGo, setupNode, setupPython } = await import("./setup-tools.ts");
  const setup = { "setup-node": setupNode, "setup-python": setupPython, "setup-go": setupGo }[name];
  const env = stepProcessEnv(rt, frame, stepEnv, {});
  const r: BuiltinResult = await setup({ inputs, workspace: rt.executor.paths.hostWorkspace, env, log });
  for (const p of [...r.addPath].reverse()) rt.scope.addedPath.unshift(p);
  Object.assign(rt.scope.addedEnv, r.addEnv);
  frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: r.outputs };
  return r.ok;
}
