/** Finds and loads the workflow files `-C`/`-W` name. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../common/errors.ts";
import { formatDiagnostic, hasErrors, type Diagnostic } from "../common/diagnostic.ts";
import { parseRepoConfig, REPO_CONFIG_FILE, type RepoConfig } from "../workflow/repo-config.ts";
import { loadWorkflow, type LoadedWorkflow } from "../workflow/load.ts";

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
  const loaded = await Promise.all(files.map((f) => loadWorkflow({ name: path.relative(root, f), content: readFileSync(f, "utf8") })));
  return { loaded, diagnostics: loaded.flatMap((l) => l.diagnostics) };
}

export async function loadValidWorkflows(root: string, w: string | undefined) {
  const { loaded, diagnostics } = await loadWorkflows(root, findWorkflowFiles(root, w));
  if (hasErrors(diagnostics)) throw new InputError("invalid workflow", diagnostics.filter((d) => d.severity === "error"));
  return loaded.map((l) => l.model).filter((m) => m !== null);
}

/** The repository's .slipway.yml, if it has one; a broken one is bad input (exit 2). */
export function readRepoConfig(root: string): RepoConfig {
  const file = path.join(root, REPO_CONFIG_FILE);
  if (!existsSync(file)) return { platforms: {}, images: {} };
  const { config, diagnostics } = parseRepoConfig(readFileSync(file, "utf8"));
  for (const d of diagnostics.filter((x) => x.severity === "warning")) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(diagnostics)) throw new InputError("invalid repository config", diagnostics.filter((d) => d.severity === "error"));
  return config;
}
