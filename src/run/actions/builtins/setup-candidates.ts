/**
 * Finds the installs of a tool that this machine already has: the hosted-runner tool cache
 * ($RUNNER_TOOL_CACHE/<Tool>/<version>/<arch>/bin), every matching executable on PATH, and the
 * installs behind version-manager shims on PATH (pyenv, nodenv, goenv, asdf) or in $NVM_DIR.
 * Each is asked its version, because names and folders can lie.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

export interface ToolKind {
  /** Folder under the tool cache: "node", "Python", "go". */
  cacheName: string;
  /** Executable names tried, in order, in a tool-cache bin folder. */
  cacheExes: string[];
  /** asdf's plugin folder for this tool ("nodejs", "python", "golang"). */
  asdfPlugin: string;
  /** Install bin folders of managers that put nothing on PATH themselves (nvm). */
  extraBins(env: Record<string, string>): string[];
  /** Which names in a PATH folder are this tool, in the order to try them. */
  pathExes(names: string[]): string[];
  versionArgs: string[];
  /** The tool's answer to versionArgs, as printed and as semver; null when it is not this tool. */
  parse(output: string): { printed: string; semver: string } | null;
}

export interface Candidate {
  exe: string;
  binDir: string;
  /** The tool-cache install folder (…/<version>/<arch>); null for other finds. */
  cacheDir: string | null;
  /** Found in a PATH folder that holds other programs too (/usr/bin), which must not be put first on PATH wholesale. */
  shared: boolean;
  printed: string;
  version: string;
}

const PROBE_TIMEOUT_MS = 5000;

/**
 * Tool-cache installs first (what the real actions use), then version-manager installs, then PATH
 * in order; one per real file. A manager's shims folder is replaced by the installs behind it:
 * a shim runs only the manager's currently selected version, and slowly.
 */
export async function findCandidates(kind: ToolKind, env: Record<string, string>, arch: string): Promise<Candidate[]> {
  const dirs = pathDirs(env);
  const shimRoots = dirs.filter(isShimDir).map((d) => path.dirname(d));
  const managed = [...shimRoots.flatMap((r) => managerBins(kind, r)), ...kind.extraBins(env)];
  const spots = [
    ...cacheSpots(kind, env, arch),
    ...managed.flatMap((binDir) => exeIn(binDir, kind.cacheExes, false, true)),
    ...dirs.filter((d) => !isShimDir(d)).flatMap((d) => pathSpotsIn(kind, d)),
  ];
  const seen = new Set<string>();
  const unique = spots.filter((s) => {
    const key = realOrSelf(s.exe);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const probed = await Promise.all(unique.map((s) => probe(kind, s, env)));
  return probed.filter((c): c is Candidate => c !== null);
}

/** What a bare `node`/`python3`/`go` runs now: the first PATH entry (shims included) that answers. */
export async function firstOnPath(kind: ToolKind, env: Record<string, string>): Promise<Candidate | undefined> {
  for (const spot of pathDirs(env).flatMap((d) => pathSpotsIn(kind, d))) {
    const c = await probe(kind, spot, env);
    if (c) return c;
  }
  return undefined;
}

async function probe(kind: ToolKind, s: Spot, env: Record<string, string>): Promise<Candidate | null> {
  const v = kind.parse(await askVersion(s.exe, kind.versionArgs, env));
  return v ? { ...s, printed: v.printed, version: v.semver } : null;
}

export function toolCacheRoot(env: Record<string, string>): string {
  return env.AGENT_TOOLSDIRECTORY?.trim() || env.RUNNER_TOOL_CACHE || "";
}

type Spot = Omit<Candidate, "printed" | "version">;

function cacheSpots(kind: ToolKind, env: Record<string, string>, arch: string): Spot[] {
  const root = toolCacheRoot(env);
  if (!root) return [];
  const toolDir = path.join(root, kind.cacheName);
  const spots: Spot[] = [];
  for (const version of listDir(toolDir)) {
    const cacheDir = path.join(toolDir, version, arch);
    const binDir = path.join(cacheDir, "bin");
    const exe = kind.cacheExes.map((n) => path.join(binDir, n)).find(isExecutable);
    if (exe) spots.push({ exe, binDir, cacheDir, shared: false });
  }
  return spots;
}

function pathDirs(env: Record<string, string>): string[] {
  return [...new Set((env.PATH ?? "").split(path.delimiter).filter((d) => path.isAbsolute(d)))];
}

function pathSpotsIn(kind: ToolKind, binDir: string): Spot[] {
  return exeIn(binDir, kind.pathExes(listDir(binDir)), true);
}

function exeIn(binDir: string, names: string[], shared: boolean, firstOnly = false): Spot[] {
  const found = names.map((n) => path.join(binDir, n)).filter(isExecutable);
  return (firstOnly ? found.slice(0, 1) : found).map((exe) => ({ exe, binDir, cacheDir: null, shared }));
}

/** pyenv/nodenv/goenv keep `<root>/shims` beside `<root>/versions`; asdf beside `<root>/installs`. */
function isShimDir(dir: string): boolean {
  const root = path.dirname(dir);
  return path.basename(dir) === "shims" && (isDir(path.join(root, "versions")) || isDir(path.join(root, "installs")));
}

function managerBins(kind: ToolKind, root: string): string[] {
  const versions = path.join(root, "versions");
  const asdf = path.join(root, "installs", kind.asdfPlugin);
  return [
    ...listDir(versions).map((v) => path.join(versions, v, "bin")),
    // asdf's golang plugin unpacks Go's own tree into <version>/go.
    ...listDir(asdf).flatMap((v) => [path.join(asdf, v, "bin"), path.join(asdf, v, "go", "bin")]),
  ];
}

/** stdout and stderr together (Python 2 prints its version on stderr); "" when it fails. */
function askVersion(exe: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile(exe, args, { env, timeout: PROBE_TIMEOUT_MS, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve(err ? "" : `${stdout}\n${stderr}`.trim());
    });
  });
}

export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
