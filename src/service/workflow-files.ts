/** Finds and loads the workflow files `-C`/`-W` name. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/errors.ts";
import { formatDiagnostic, hasErrors, type Diagnostic } from "../common/diagnostic.ts";
import type { RepoConfig } from "../workflow/repo-config.ts";
import { REPO_CONFIG_FILE } from "../workflow/repo-config-file.ts";
import type { LoadedWorkflow, SourceFile } from "../workflow/load.ts";
import type { WorkflowModel } from "../workflow/model.ts";

export function findWorkflowFiles(root: string, w: string | undefined): string[] {
  const rel = w ?? ".github/workflows";
  const abs = path.resolve(root, rel);
  if (!existsSync(abs)) {
    if (w === undefined) return [];
    throw new InputError(`-W ${w}: no such file or folder under ${root}`);
  }
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(abs, f))
    .filter((f) => statSync(f).isFile());
}

export async function loadWorkflows(root: string, files: string[]): Promise<{ loaded: LoadedWorkflow[]; diagnostics: Diagnostic[] }> {
  return parseSources(readSources(root, files));
}

function readSources(root: string, files: string[]): SourceFile[] {
  return files.map((f) => ({ name: path.relative(root, f), content: readFileSync(f, "utf8") }));
}

/** GitHub's parser and the YAML library load on first use: a run whose models are cached needs neither. */
async function parseSources(sources: SourceFile[]): Promise<{ loaded: LoadedWorkflow[]; diagnostics: Diagnostic[] }> {
  const { loadWorkflow } = await import("../workflow/load.ts");
  const loaded = await Promise.all(sources.map((src) => loadWorkflow(src)));
  return { loaded, diagnostics: loaded.flatMap((l) => l.diagnostics) };
}

/**
 * The valid workflows, or an InputError with every error. With `cacheDir`, models of files already seen
 * valid are read back instead of parsed: GitHub's parser and its schema are most of a one-step run's
 * start-up, and a model is plain JSON. The key is the file's name and bytes plus the Slipway build.
 */
export async function loadValidWorkflows(root: string, w: string | undefined, cacheDir?: string): Promise<WorkflowModel[]> {
  const sources = readSources(root, findWorkflowFiles(root, w));
  const keys = cacheDir ? sources.map((s) => cacheKey(s.name, s.content)) : [];
  if (cacheDir) {
    const hits = keys.map((k) => readCachedModel(cacheDir, k));
    if (hits.every((m) => m !== null)) return hits as WorkflowModel[];
  }
  const { loaded, diagnostics } = await parseSources(sources);
  if (hasErrors(diagnostics)) throw new InputError("invalid workflow", diagnostics.filter((d) => d.severity === "error"));
  const models = loaded.map((l) => l.model).filter((m) => m !== null);
  if (cacheDir && models.length === sources.length) models.forEach((m, i) => writeCachedModel(cacheDir, keys[i] as string, m));
  return models;
}

let buildId: string | null = null;

/** Changes whenever Slipway is rebuilt or upgraded, so a model made by other code is never reused. */
function cacheKey(name: string, content: string): string {
  if (buildId === null) {
    const st = statSync(fileURLToPath(import.meta.url));
    buildId = `${st.size}:${st.mtimeMs}`;
  }
  return createHash("sha256").update(`${buildId}\0${name}\0${content}`).digest("hex");
}

function readCachedModel(dir: string, key: string): WorkflowModel | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, `${key}.json`), "utf8")) as WorkflowModel;
  } catch {
    return null;
  }
}

function writeCachedModel(dir: string, key: string, model: WorkflowModel): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(model));
    renameSync(tmp, path.join(dir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs the next run a parse.
  }
}

/** The repository's .slipway.yml, if it has one; a broken one is bad input (exit 2). */
export async function readRepoConfig(root: string): Promise<RepoConfig> {
  const file = path.join(root, REPO_CONFIG_FILE);
  if (!existsSync(file)) return { platforms: {}, images: {}, environments: {}, notifications: {} };
  const { parseRepoConfig } = await import("../workflow/repo-config.ts");
  const { config, diagnostics } = parseRepoConfig(readFileSync(file, "utf8"));
  for (const d of diagnostics.filter((x) => x.severity === "warning")) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) throw new InputError("invalid repository config", diagnostics.filter((d) => d.severity === "error"));
  return config;
}
