/**
 * actions/upload-artifact (v3 and v4 inputs and messages) storing into Slipway's data dir. v4 refuses a
 * name already used in the run unless `overwrite: true`; v3 adds the files to the existing artifact.
 * As on GitHub, file permissions are not kept: files come back 644.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { appendArtifact, commitArtifact, filesDir, listStored, stageUpload, type Meta, type StoredArtifact } from "./artifact-store.ts";
import { copyContent } from "./fs-tree.ts";
import { homeOf, InputReader } from "./inputs.ts";
import { findFilesToUpload } from "./search.ts";
import { failWith, type ArtifactContext, type BuiltinOutcome } from "./types.ts";
import { artifactNameError, artifactPathError } from "./validate.ts";

const NO_FILE_OPTIONS = ["warn", "error", "ignore"] as const;
type NoFileOption = (typeof NO_FILE_OPTIONS)[number];

interface UploadInputs {
  name: string;
  searchPath: string;
  ifNoFilesFound: NoFileOption;
  retentionDays: number | null;
  overwrite: boolean;
  includeHiddenFiles: boolean;
  archive: boolean;
}

const CONFLICT =
  "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run";

export async function uploadArtifact(ctx: ArtifactContext, version: "v3" | "v4"): Promise<BuiltinOutcome> {
  const failed = (msg: string): BuiltinOutcome => failWith(ctx, msg);
  const inputs = readInputs(ctx.inputs, version);
  if (typeof inputs === "string") return failed(inputs);
  const found = await findFilesToUpload(inputs.searchPath, { workspace: ctx.workspace, home: homeOf(ctx.home), includeHiddenFiles: inputs.includeHiddenFiles, log: ctx.log });
  if (!found.ok) return failed(found.error);
  const { files, root } = found.result;
  if (files.length === 0) return noFiles(ctx, inputs);
  ctx.log(`With the provided path, there will be ${files.length} file${files.length === 1 ? "" : "s"} uploaded`);
  if (!inputs.archive && files.length > 1) return failed(`When 'archive' is set to false, only a single file can be uploaded. Found ${files.length} files to upload.`);
  const name = inputs.archive ? inputs.name : path.basename(files[0] as string);
  const nameError = artifactNameError(name);
  if (nameError) return failed(nameError);
  if (version === "v4" && !inputs.overwrite && (await listStored(ctx.dataDir, ctx.runId)).some((a) => a.name === name)) return failed(CONFLICT);

  const stage = await stageUpload(ctx.dataDir, ctx.runId);
  const copyError = await copyInto(stage, files, root);
  if (copyError) {
    await rm(stage, { recursive: true, force: true });
    return failed(copyError);
  }
  const meta: Meta = { name, jobName: ctx.jobName, version, expiresAt: expiry(inputs.retentionDays) };
  const stored = version === "v3" ? await appendArtifact(ctx.dataDir, ctx.runId, stage, meta) : await commitArtifact(ctx.dataDir, ctx.runId, stage, meta, inputs.overwrite);
  if (stored === "conflict") return failed(CONFLICT);
  return { ok: true, outputs: reportUpload(ctx, stored, version) };
}

function readInputs(raw: Record<string, string>, version: "v3" | "v4"): UploadInputs | string {
  const r = new InputReader(raw);
  const searchPath = r.required("path");
  const ifNoFilesFound = r.str("if-no-files-found", "warn");
  const common = { name: r.str("name", "artifact"), searchPath, includeHiddenFiles: r.bool("include-hidden-files", false) };
  const v4 = version === "v4" ? { overwrite: r.bool("overwrite", false), archive: r.bool("archive", true) } : { overwrite: false, archive: true };
  if (r.errors.length) return r.errors.join("\n");
  if (!(NO_FILE_OPTIONS as readonly string[]).includes(ifNoFilesFound)) {
    return `Unrecognized if-no-files-found input. Provided: ${ifNoFilesFound}. Available options: ${NO_FILE_OPTIONS.join(",")}`;
  }
  const retention = r.str("retention-days");
  const retentionDays = retention ? parseInt(retention, 10) : null;
  if (retentionDays !== null && isNaN(retentionDays)) return "Invalid retention-days";
  const level = r.str("compression-level");
  if (version === "v4" && level) {
    const n = parseInt(level, 10);
    if (isNaN(n)) return "Invalid compression-level";
    if (n < 0 || n > 9) return "Invalid compression-level. Valid values are 0-9";
  }
  return { ...common, ...v4, ifNoFilesFound: ifNoFilesFound as NoFileOption, retentionDays };
}

function noFiles(ctx: ArtifactContext, inputs: UploadInputs): BuiltinOutcome {
  const msg = `No files were found with the provided path: ${inputs.searchPath}. No artifacts will be uploaded.`;
  switch (inputs.ifNoFilesFound) {
    case "warn":
      ctx.warn(msg);
      return { ok: true, outputs: {} };
    case "error":
      return failWith(ctx, msg);
    case "ignore":
      ctx.log(msg);
      return { ok: true, outputs: {} };
  }
}

/** Copies each file to its path below the root; returns the first path error. */
async function copyInto(stage: string, files: string[], root: string): Promise<string | null> {
  for (const file of files) {
    const rel = path.relative(root, file);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return `The rootDirectory: ${root} is not a parent directory of the file: ${file}`;
    const bad = artifactPathError(rel);
    if (bad) return bad;
    await copyContent(file, path.join(stage, "files", rel), 0o644);
  }
  return null;
}

/** retention-days 0 or absent means the default retention, which Slipway leaves open. */
function expiry(days: number | null): string | null {
  if (!days || days <= 0) return null;
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

function reportUpload(ctx: ArtifactContext, a: StoredArtifact, version: "v3" | "v4"): Record<string, string> {
  if (version === "v3") {
    ctx.log(`Artifact ${a.name} has been successfully uploaded!`);
    return {};
  }
  ctx.log(`Artifact ${a.name} has been successfully uploaded! Final size is ${a.size} bytes. Artifact ID is ${a.id}`);
  const url = pathToFileURL(filesDir(a)).href;
  ctx.log(`Artifact download URL: ${url}`);
  return { "artifact-id": String(a.id), "artifact-url": url, "artifact-digest": a.digest };
}
