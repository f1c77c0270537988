/**
 * Wires the built-in cache actions into a step. `actions/cache` restores now and saves in a post step
 * that runs when the job succeeded (its `post-if: success()`), and only when the exact key missed.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { evaluateCondition } from "../../../expr/evaluate.ts";
import type { StepModel } from "../../../workflow/model.ts";
import type { Frame, JobRuntime } from "../../job/runtime.ts";
import { frameContexts } from "../../job/runtime.ts";
import { restoreCache, saveCache, type CacheContext } from "./cache/index.ts";

export async function runCache(name: "cache" | "cache-restore" | "cache-save", rt: JobRuntime, frame: Frame, step: StepModel, index: number, stepEnv: Record<string, string>, inputs: Record<string, string>, log: (l: string) => void): Promise<boolean> {
  const ctx: CacheContext = {
    inputs,
    workspace: rt.executor.paths.hostWorkspace,
    dataDir: rt.settings.cacheScope ? path.join(rt.settings.dataDir, "scoped", createHash("sha256").update(rt.settings.cacheScope).digest("hex").slice(0, 24)) : rt.settings.dataDir,
    home: process.env.HOME ?? os.homedir(),
    log,
    warn: (l: string) => rt.log.write({ kind: "warning", text: rt.masker.mask(l), step: index }),
    error: (l: string) => rt.log.write({ kind: "error", text: rt.masker.mask(l), step: index }),
  };
  if (name === "cache-save") {
    const r = await saveCache(ctx, null);
    frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: r.outputs };
    return r.ok;
  }
  const r = await restoreCache(ctx, { keyOutputs: name === "cache-restore" });
  frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: r.outputs };
  if (name === "cache" && r.ok) {
    rt.scope.postSteps.push(async () => {
      if (!evaluateCondition("success()", frameContexts(rt, frame, stepEnv))) return;
      rt.log.write({ kind: "group", text: `Post ${step.uses}`, step: index });
      await saveCache(ctx, r.state);
      rt.log.write({ kind: "endgroup", text: "", step: index });
    });
  }
  return r.ok;
}
