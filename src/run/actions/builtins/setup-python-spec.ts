/** setup-python's version specs (CPython only) as a check on semver versions. */
import semver from "semver";
import { rangeMatcher, type Matcher } from "./setup-select.ts";

/** Python writes prereleases as 3.13.0rc1; the hosted tool cache as 3.13.0-rc.1. One form for both. */
export function pythonToSemver(version: string): string {
  return version.replace(/(\d+\.\d+\.\d+)-?(a|b|rc)\.?(\d+)/g, "$1-$2.$3");
}

export function pythonMatcher(spec: string, allowPrereleases: boolean): Matcher | string {
  const s = spec.trim();
  if (/^(pypy|graalpy)/i.test(s)) return `'${spec}': only CPython is available offline; PyPy and GraalPy are not supported`;
  if (/^\d+\.\d+(\.\d+)?t(-dev)?$/.test(s)) return `'${spec}': free-threaded Python builds are not supported offline`;
  // 3.13-dev means "3.13, prereleases included"; allow-prereleases does the same for x.y.
  let range = pythonToSemver(s).replace(/^(\d+)\.(\d+)-dev$/, "~$1.$2.0-0");
  if (allowPrereleases) range = range.replace(/^(\d+)\.(\d+)$/, "~$1.$2.0-0");
  return rangeMatcher(range) ?? `'${spec}' is not a valid Python version spec`;
}

/** `Python 3.11.7` → 3.11.7; `Python 3.13.0rc1` → 3.13.0-rc.1; `Python 3.12.0+` → 3.12.0. */
export function parsePythonVersion(output: string): { printed: string; semver: string } | null {
  const m = /^Python (\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)/m.exec(output);
  if (!m?.[1]) return null;
  const v = pythonToSemver(m[1]);
  return semver.valid(v) ? { printed: v, semver: v } : null;
}
