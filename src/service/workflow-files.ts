/** Finds and loads the workflow files `-C`/`-W` name. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/errors.ts";
import { readText } from "../git/discover.ts";
import { markUnusualStart } from "../common/start-hint.ts";
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
 * start-up, and a model is plain JSON. An entry is found by the file's name and bytes plus the Slipway build.
 */
export async function loadValidWorkflows(root: string, w: string | undefined, cacheDir?: string): Promise<WorkflowModel[]> {
  const sources = readSources(root, findWorkflowFiles(root, w));
  if (cacheDir) {
    const hits = sources.map((s) => readCachedModel(cacheDir, s));
    if (hits.every((m) => m !== null)) return hits as WorkflowModel[];
    markUnusualStart();
  }
  const { loaded, diagnostics } = await parseSources(sources);
  if (hasErrors(diagnostics)) throw new InputError("invalid workflow", diagnostics.filter((d) => d.severity === "error"));
  const models = loaded.map((l) => l.model).filter((m) => m !== null);
  if (cacheDir && models.length === sources.length) models.forEach((m, i) => writeCachedModel(cacheDir, sources[i] as SourceFile, m));
  return models;
}

let buildId: string | null = null;

/**
 * Changes whenever Slipway is rebuilt or upgraded, so a model made by other code is never reused: the
 * bundle's content hash, which the build writes beside it (npm gives every installed file the same
 * modification time, so size and time alone could match across versions); size and time where there
 * is no bundle (the sources run directly, as in tests).
 */
function currentBuild(): string {
  if (buildId === null) {
    const file = fileURLToPath(import.meta.url);
    const id = /^[0-9a-f]{64}$/m.exec(readText(`${file}.id`) ?? "")?.[0];
    if (id) buildId = id;
    else {
      const st = statSync(file);
      buildId = `${st.size}:${st.mtimeMs}`;
    }
  }
  return buildId;
}


/** What a cache entry holds: the model, and what it was made from, compared on every read. */
interface CacheEntry {
  build: string;
  name: string;
  content: string;
  model: WorkflowModel;
}

/**
 * The entry's file name: a fast hash of the build, name and bytes. It only finds the entry, which then
 * must match exactly, so a collision costs a parse, never a wrong model; a cryptographic hash would
 * load node:crypto, a few milliseconds of every run's start-up.
 */
function cacheFile(dir: string, src: SourceFile): string {
  return path.join(dir, `${fingerprint(`${currentBuild()}\0${src.name}\0${src.content}`)}.json`);
}

/** Two 32-bit multiply-xor lanes over the UTF-16 code units, as 16 hex digits. */
function fingerprint(text: string): string {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f) ^ Math.imul(a ^ (a >>> 13), 0x165667b1);
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

function readCachedModel(dir: string, src: SourceFile): WorkflowModel | null {
  try {
    const entry = JSON.parse(readFileSync(cacheFile(dir, src), "utf8")) as Partial<CacheEntry>;
    const same = entry.build === currentBuild() && entry.name === src.name && entry.content === src.content;
    return same && entry.model ? entry.model : null;
  } catch {
    return null;
  }
}

function writeCachedModel(dir: string, src: SourceFile, model: WorkflowModel): void {
  try {
    mkdirSync(dir, { recursive: true });
    const file = cacheFile(dir, src);
    const tmp = `${file}.${process.pid}.tmp`;
    const entry: CacheEntry = { build: currentBuild(), name: src.name, content: src.content, model };
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
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
