/**
 * Where a chosen Python lives and what later steps need to use it: PATH folders in which
 * `python`, `python3` and `pythonX.Y` all mean this interpreter, and the variables
 * setup-python exports (pythonLocation, Python*_ROOT_DIR, PKG_CONFIG_PATH, LD_LIBRARY_PATH).
 */
import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import type { Candidate } from "./setup-candidates.ts";
import { linkDir } from "./setup-links.ts";

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
  // sys.executable and sys.prefix say where it really lives, whatever name found it.
  const where = await askSys(c.exe, env);
  const exe = where?.executable ?? c.exe;
  const binDir = path.dirname(exe);
  const location = where?.prefix ?? (path.basename(binDir) === "bin" ? path.dirname(binDir) : binDir);
  const names = pythonNames(c.version);
  const links = () => linkDir(env, `python-${c.version}`, pythonLinks(exe, names, c.version));
  const pathDirs = c.shared ? [links()] : answersToNames(binDir, exe, names) ? [binDir] : [links(), binDir];
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

/** python, python3 (python2 for 2.x) and python3.11: the names a hosted install answers to. */
function pythonNames(version: string): string[] {
  return ["python", `python${semver.major(version)}`, `python${semver.major(version)}.${semver.minor(version)}`];
}

function answersToNames(dir: string, exe: string, names: string[]): boolean {
  const target = realOrNull(exe);
  return target !== null && names.every((n) => realOrNull(path.join(dir, n)) === target);
}

/** Each name runs this interpreter; pip likewise if its own pipX.Y is beside it. */
function pythonLinks(exe: string, names: string[], version: string): Record<string, string> {
  const links: Record<string, string> = Object.fromEntries(names.map((n) => [n, exe]));
  const mm = `${semver.major(version)}.${semver.minor(version)}`;
  const pip = path.join(path.dirname(exe), `pip${mm}`);
  if (existsSync(pip)) for (const n of ["pip", `pip${semver.major(version)}`, `pip${mm}`]) links[n] = pip;
  return links;
}

function realOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}
