/**
 * Where a chosen Python lives and what later steps need to use it: PATH folders in which
 * `python`, `python3` and `pythonX.Y` all mean this interpreter, and the variables
 * setup-python exports (pythonLocation, Python*_ROOT_DIR, PKG_CONFIG_PATH, LD_LIBRARY_PATH).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import semver from "semver";
import type { Candidate } from "./setup-candidates.ts";

export interface PythonInstall {
  version: string;
  /** The interpreter, as the action's python-path output. */
  pythonPath: string;
  /** sys.prefix: the install folder (pythonLocation). */
  location: string;
  /** Folders for PATH, first one first. */
  pathDirs: string[];
  /** A system prefix such as /usr, whose lib must not be forced ahead of others. */
  systemPrefix: boolean;
}

const SYSTEM_PREFIXES = ["/", "/usr", "/usr/local"];

export async function locatePython(c: Candidate, env: Record<string, string>): Promise<PythonInstall> {
  if (c.cacheDir) {
    // The hosted layout: bin/python etc. already there; the install folder goes on PATH too.
    return { version: path.basename(path.dirname(c.cacheDir)), pythonPath: path.join(c.binDir, "python"), location: c.cacheDir, pathDirs: [c.binDir, c.cacheDir], systemPrefix: false };
  }
  // A PATH find may be a pyenv shim or a python3.X beside another python3: ask where it really is.
  const where = await askSys(c.exe, env);
  const exe = where?.executable ?? c.exe;
  const location = where?.prefix ?? (path.basename(c.binDir) === "bin" ? path.dirname(c.binDir) : c.binDir);
  const binDir = path.dirname(exe);
  const pathDirs = answersToNames(binDir, exe, c.version) ? [binDir] : [shimDir(exe, c.version, env), binDir];
  return { version: c.version, pythonPath: exe, location, pathDirs, systemPrefix: SYSTEM_PREFIXES.includes(location) };
}

export function pythonEnv(install: PythonInstall, ldLibraryPath: string | undefined): Record<string, string> {
  const loc = install.location;
  const env: Record<string, string> = {
    pythonLocation: loc,
    PKG_CONFIG_PATH: `${loc}/lib/pkgconfig`,
    Python_ROOT_DIR: loc,
    Python2_ROOT_DIR: loc,
    Python3_ROOT_DIR: loc,
  };
  const lib = path.join(loc, "lib");
  const current = ldLibraryPath ? ldLibraryPath.split(":") : [];
  if (!install.systemPrefix && !current.includes(lib)) env.LD_LIBRARY_PATH = [lib, ...current].join(":");
  return env;
}

function askSys(exe: string, env: Record<string, string>): Promise<{ executable: string; prefix: string } | null> {
  const code = "import sys; print(sys.executable); print(sys.prefix)";
  return new Promise((resolve) => {
    execFile(exe, ["-c", code], { env, timeout: 5000, encoding: "utf8" }, (err, stdout) => {
      const [executable, prefix] = stdout.trim().split("\n").map((l) => l.trim());
      const usable = !err && executable && prefix && path.isAbsolute(executable) && path.isAbsolute(prefix) && existsSync(executable);
      resolve(usable ? { executable, prefix } : null);
    });
  });
}

/** Whether `python` and `python3` in dir are this very interpreter. */
function answersToNames(dir: string, exe: string, version: string): boolean {
  const target = realOrNull(exe);
  const minor = `python${semver.major(version)}.${semver.minor(version)}`;
  return target !== null && ["python", "python3", minor].every((n) => realOrNull(path.join(dir, n)) === target);
}

/** A folder of links so that every usual name runs the chosen interpreter (and its own pip). */
function shimDir(exe: string, version: string, env: Record<string, string>): string {
  const tag = createHash("sha256").update(exe).digest("hex").slice(0, 8);
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), "slipway-python", `${version}-${tag}`);
  mkdirSync(dir, { recursive: true });
  const mm = `${semver.major(version)}.${semver.minor(version)}`;
  const links: Record<string, string> = { python: exe, python3: exe, [`python${mm}`]: exe };
  const pip = path.join(path.dirname(exe), `pip${mm}`);
  if (existsSync(pip)) Object.assign(links, { pip, pip3: pip, [`pip${mm}`]: pip });
  for (const [name, target] of Object.entries(links)) {
    const at = path.join(dir, name);
    rmSync(at, { force: true });
    symlinkSync(target, at);
  }
  return dir;
}

function realOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}
