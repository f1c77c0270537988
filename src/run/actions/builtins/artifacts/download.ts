/**
 * actions/download-artifact for this run's artifacts. A named artifact goes straight into `path`;
 * otherwise each artifact goes into `path/<name>/` unless v4's `merge-multiple` puts them all in `path`.
 * `run-id` with `github-token` may only name this run: Slipway has no other run's artifacts to offer here.
 */
import path from "node:path";
import { filesDir, listStored, type StoredArtifact } from "./artifact-store.ts";
import { copyContent, listFiles } from "./fs-tree.ts";
import { homeOf, InputReader, resolveDest } from "./inputs.ts";
import { nameMatcher } from "./name-match.ts";
import { failWith, type ArtifactContext, type BuiltinOutcome } from "./types.ts";

interface Selection {
  artifacts: StoredArtifact[];
  /** Each artifact into its own folder named after it. */
  perName: boolean;
}

export async function downloadArtifact(ctx: ArtifactContext, version: "v3" | "v4"): Promise<BuiltinOutcome> {
  const r = new InputReader(ctx.inputs);
  const dest = resolveDest(r.str("path"), ctx.workspace, homeOf(ctx.home));
  const all = await listStored(ctx.dataDir, ctx.runId);
  const picked = version === "v3" ? selectV3(r, all) : selectV4(r, all, ctx);
  if (r.errors.length) return failWith(ctx, r.errors.join("\n"));
  if (typeof picked === "string") return failWith(ctx, version === "v4" ? `Unable to download artifact(s): ${picked}` : picked);
  for (const a of picked.artifacts) {
    const into = picked.perName ? path.join(dest, a.name) : dest;
    for (const f of await listFiles(filesDir(a))) await copyContent(path.join(filesDir(a), f.rel), path.join(into, f.rel), 0o644);
    ctx.log(`Artifact ${a.name} was downloaded to ${into}`);
  }
  ctx.log(`Total of ${picked.artifacts.length} artifact(s) downloaded`);
  ctx.log(version === "v4" ? "Download artifact has finished successfully" : "Artifact download has finished successfully");
  return { ok: true, outputs: { "download-path": dest } };
}

function selectV3(r: InputReader, all: StoredArtifact[]): Selection | string {
  const name = r.str("name");
  if (!name) return { artifacts: all, perName: true };
  const found = all.find((a) => a.name === name);
  return found ? { artifacts: [found], perName: false } : `Unable to find an artifact with the name: ${name}${existing(all)}`;
}

function selectV4(r: InputReader, all: StoredArtifact[], ctx: ArtifactContext): Selection | string {
  const name = r.str("name");
  const ids = r.str("artifact-ids");
  const pattern = r.str("pattern");
  const merge = r.bool("merge-multiple", false);
  const runId = r.str("run-id");
  if (r.str("github-token") && runId && runId !== String(ctx.runId)) {
    return `Slipway can only download artifacts of the current run (${ctx.runId}), not of run ${runId}.`;
  }
  if (name && ids) return "Inputs 'name' and 'artifact-ids' cannot be used together. Please specify only one.";
  if (name) {
    const found = all.find((a) => a.name === name);
    return found ? { artifacts: [found], perName: false } : `Artifact '${name}' not found${existing(all)}`;
  }
  if (ids) return selectIds(ids, all, merge, ctx);
  if (pattern) {
    ctx.log(`Filtering artifacts by pattern '${pattern}'`);
    const match = nameMatcher(pattern);
    return { artifacts: all.filter((a) => match(a.name)), perName: !merge };
  }
  ctx.log("No input name, artifact-ids or pattern filtered specified, downloading all artifacts");
  if (!merge) ctx.log("An extra directory with the artifact name will be created for each download");
  return { artifacts: all, perName: !merge };
}

function selectIds(text: string, all: StoredArtifact[], merge: boolean, ctx: ArtifactContext): Selection | string {
  const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return "No valid artifact IDs provided in 'artifact-ids' input";
  const wanted: number[] = [];
  for (const p of parts) {
    const n = parseInt(p, 10);
    if (isNaN(n)) return `Invalid artifact ID: '${p}'. Must be a number.`;
    wanted.push(n);
  }
  const artifacts = all.filter((a) => wanted.includes(a.id));
  if (!artifacts.length) return `None of the provided artifact IDs were found${existing(all)}`;
  const missing = wanted.filter((id) => !artifacts.some((a) => a.id === id));
  if (missing.length) ctx.warn(`Could not find the following artifact IDs: ${missing.join(", ")}`);
  return { artifacts, perName: !merge };
}

function existing(all: StoredArtifact[]): string {
  return all.length ? `. Artifacts of this run: ${all.map((a) => `${a.name} (id ${a.id})`).join(", ")}` : ". This run has no artifacts.";
}
