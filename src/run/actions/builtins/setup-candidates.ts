/**
 * Finds the installs of a tool that this machine already has: the hosted-runner tool cache
 * ($RUNNER_TOOL_CACHE/<Tool>/<version>/<arch>/bin) and every matching executable on PATH.
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
  /** Which names in a PATH folder are this tool, in the order to try them. */
  pathExes(names: string[]): string[];
  versionArgs: string[];
  /** The tool's answer to versionArgs, as printed and as semver; null when it is not this tool. */
  parse(output: string): { printed: string; semver: string } | null;
}

export interface Candidate {
  exe: string;
  binDir: string;
  /** The tool-cache install folder (…/<version>/<arch>), or null for a PATH find. */
  cacheDir: string | null;
  printed: string;
  version: string;
}

const PROBE_TIMEOUT_MS = 5000;

/** Tool-cache installs first (what the real actions use), then PATH in order; one per real file. */
export async function findCandidates(kind: ToolKind, env: Record<string, string>, arch: string): Promise<Candidate[]> {
  const spots = [...cacheSpots(kind, env, arch), ...pathSpots(kind, env)];
  const seen = new Set<string>();
  const unique = spots.filter((s) => {
    const key = realOrSelf(s.exe);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const probed = await Promise.all(unique.map(async (s) => {
    const v = kind.parse(await askVersion(s.exe, kind.versionArgs, env));
    return v ? { ...s, printed: v.printed, version: v.semver } : null;
  }));
  return probed.filter((c): c is Candidate => c !== null);
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
    if (exe) spots.push({ exe, binDir, cacheDir });
  }
  return spots;
}

function pathSpots(kind: ToolKind, env: Record<string, string>): Spot[] {
  const dirs = [...new Set((env.PATH ?? "").split(path.delimiter).filter((d) => path.isAbsolute(d)))];
  return dirs.flatMap((binDir) =>
    kind.pathExes(listDir(binDir))
      .map((n) => path.join(binDir, n))
      .filter(isExecutable)
      .map((exe) => ({ exe, binDir, cacheDir: null })),
  );
}

/** stdout and stderr together (Python 2 prints its version on stderr); "" when it fails. */
function askVersion(exe: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile(exe, args, { env, timeout: PROBE_TIMEOUT_MS, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve(err ? "" : `${stdout}\n${stderr}`.trim());
    });
  });
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
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
