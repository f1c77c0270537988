/** Built-in actions/setup-python: picks a CPython this machine already has instead of downloading one. */
import { archOf, failure, isTrue, noteIgnoredInputs, type BuiltinContext, type BuiltinResult } from "./setup-context.ts";
import { findCandidates, firstOnPath, type ToolKind } from "./setup-candidates.ts";
import { parsePythonVersion, pythonMatcher } from "./setup-python-spec.ts";
import { locatePython, pythonEnv, type PythonInstall } from "./setup-python-env.ts";
import { noMatchMessage, pickHighest } from "./setup-select.ts";
import { pythonVersionsFromFile, readWorkspaceFile } from "./setup-version-files.ts";

const ACTION = "setup-python";

export const PYTHON: ToolKind = {
  cacheName: "Python",
  cacheExes: ["python", "python3"],
  asdfPlugin: "python",
  extraBins: () => [],
  // python3 before python (often Python 2 on older machines), then python3.X by minor.
  pathExes: (names) => [
    ...["python3", "python"].filter((n) => names.includes(n)),
    ...names.filter((n) => /^python3\.\d+$/.test(n)).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8))),
  ],
  versionArgs: ["--version"],
  parse: parsePythonVersion,
};

export async function setupPython(ctx: BuiltinContext): Promise<BuiltinResult> {
  const specs = resolveSpecs(ctx);
  if (!Array.isArray(specs)) return failure(ctx, specs.error);
  const arch = archOf(ctx);
  noteIgnoredInputs(ctx, ACTION, Boolean(ctx.inputs.cache));
  if (specs.length === 0) return usePathPython(ctx);
  const candidates = await findCandidates(PYTHON, ctx.env, arch);

  const installs: PythonInstall[] = [];
  for (const spec of specs) {
    const accepts = pythonMatcher(spec, isTrue(ctx.inputs["allow-prereleases"]));
    if (typeof accepts === "string") return failure(ctx, `${ACTION}: ${accepts}`);
    const chosen = pickHighest(candidates, accepts);
    if (!chosen) return failure(ctx, noMatchMessage(ACTION, "Python", spec, candidates, "Python", arch));
    const install = await locatePython(chosen, ctx.env);
    ctx.log(`${ACTION}: using Python ${install.version} at ${install.pythonPath} for '${spec}'`);
    installs.push(install);
  }
  return combine(ctx, installs);
}

/** Several versions: each is set up in turn, so the last one listed ends up first on PATH. */
function combine(ctx: BuiltinContext, installs: PythonInstall[]): BuiltinResult {
  const last = installs[installs.length - 1]!;
  const outputs = { "python-version": last.version, "python-path": last.pythonPath, "cache-hit": "false" };
  if (ctx.inputs["update-environment"] === "false") return { ok: true, outputs, addPath: [], addEnv: {} };
  const addPath = [...new Set([...installs].reverse().flatMap((i) => i.pathDirs))];
  return { ok: true, outputs, addPath, addEnv: pythonEnv(last, ctx.env.LD_LIBRARY_PATH) };
}

async function usePathPython(ctx: BuiltinContext): Promise<BuiltinResult> {
  ctx.log(`${ACTION}: warning: the python-version input is not set; the Python on PATH is used as it is.`);
  const onPath = await firstOnPath(PYTHON, ctx.env);
  if (!onPath) return { ok: true, outputs: { "cache-hit": "false" }, addPath: [], addEnv: {} };
  return { ok: true, outputs: { "python-version": onPath.version, "python-path": onPath.exe, "cache-hit": "false" }, addPath: [], addEnv: {} };
}

/** python-version (several lines allowed) wins over python-version-file; with neither, .python-version if present. */
function resolveSpecs(ctx: BuiltinContext): string[] | { error: string } {
  const given = (ctx.inputs["python-version"] ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const file = ctx.inputs["python-version-file"] ?? "";
  if (given.length) {
    if (file) ctx.log(`${ACTION}: both python-version and python-version-file are given; only python-version is used`);
    return given;
  }
  if (file) {
    const text = readWorkspaceFile(ctx.workspace, file);
    if (text === null) return { error: `${ACTION}: the python-version-file '${file}' does not exist in the workspace` };
    const versions = pythonVersionsFromFile(text, file);
    ctx.log(`${ACTION}: resolved ${file} as ${versions.join(", ") || "(nothing)"}`);
    return versions;
  }
  ctx.log(`${ACTION}: neither python-version nor python-version-file is given; looking for .python-version`);
  const text = readWorkspaceFile(ctx.workspace, ".python-version");
  if (text === null) return [];
  const versions = pythonVersionsFromFile(text, ".python-version");
  ctx.log(`${ACTION}: resolved .python-version as ${versions.join(", ")}`);
  return versions;
}
