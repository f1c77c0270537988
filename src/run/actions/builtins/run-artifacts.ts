/** Wires the built-in upload-artifact / download-artifact into a step: version from the ref, outputs back. */
import type { StepModel } from "../../../workflow/model.ts";
import type { Frame, JobRuntime } from "../../job/runtime.ts";
import { downloadArtifact, uploadArtifact } from "./artifacts/index.ts";

/** `@v4` and later use v4's inputs and rules (immutable names, merge-multiple); older refs v3's. */
export function majorVersion(uses: string): number {
  const m = /@v?(\d+)/.exec(uses);
  return m ? Number(m[1]) : 4;
}

export async function runArtifacts(name: "upload-artifact" | "download-artifact", rt: JobRuntime, frame: Frame, step: StepModel, index: number, inputs: Record<string, string>, log: (l: string) => void): Promise<boolean> {
  const gh = rt.contexts.github as { run_id: string; job: string };
  const ctx = {
    inputs,
    workspace: rt.executor.paths.hostWorkspace,
    dataDir: rt.settings.dataDir,
    runId: Number(gh.run_id),
    jobName: gh.job,
    home: process.env.HOME,
    log,
    warn: (l: string) => rt.log.write({ kind: "warning", text: rt.masker.mask(l), step: index }),
    error: (l: string) => rt.log.write({ kind: "error", text: rt.masker.mask(l), step: index }),
  };
  const version = majorVersion(step.uses ?? "") >= 4 ? "v4" : "v3";
  const r = name === "upload-artifact" ? await uploadArtifact(ctx, version) : await downloadArtifact(ctx, version);
  frame.steps[step.id] = { outcome: "success", conclusion: "success", outputs: r.outputs };
  return r.ok;
}
