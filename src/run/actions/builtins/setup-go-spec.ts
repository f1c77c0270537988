/**
 * setup-go's version specs as a check on semver versions. Go names releases go1.20, go1.21.5,
 * go1.22rc1; setup-go compares them as 1.20.0, 1.21.5, 1.22.0-rc.1.
 */
import semver from "semver";
import { rangeMatcher, type Matcher } from "./setup-select.ts";

export function goToSemver(version: string): string | null {
  const m = /^(?:go)?(\d+(?:\.\d+){0,2})(?:(rc|beta)(\d+))?$/.exec(version.trim());
  if (!m?.[1]) return null;
  const base = semver.coerce(m[1])?.version;
  if (!base) return null;
  return m[2] ? `${base}-${m[2]}.${m[3]}` : base;
}

/** `go version go1.21.5 linux/amd64` → printed 1.21.5, semver 1.21.5. */
export function parseGoVersion(output: string): { printed: string; semver: string } | null {
  const m = /^go version go(\S+)/m.exec(output);
  const v = m?.[1] ? goToSemver(m[1]) : null;
  return m?.[1] && v ? { printed: m[1], semver: v } : null;
}

/**
 * `stable` is the newest release; `oldstable` the newest of the minor line before it. Offline,
 * "newest" can only mean newest on this machine.
 */
export function goMatcher(spec: string, available: string[]): Matcher | string {
  const s = spec.trim();
  const releases = available.filter((v) => semver.prerelease(v) === null).sort(semver.rcompare);
  if (s === "stable") {
    const newest = releases[0];
    return (v) => v === newest;
  }
  if (s === "oldstable") {
    const lines = [...new Set(releases.map((v) => `${semver.major(v)}.${semver.minor(v)}`))];
    const line = lines[1];
    return (v) => line !== undefined && semver.prerelease(v) === null && `${semver.major(v)}.${semver.minor(v)}` === line;
  }
  // A Go-style prerelease (1.22rc1) is one exact version; everything else is a semver range.
  const goPre = /(rc|beta)\d+$/.test(s) ? goToSemver(s) : null;
  return rangeMatcher(goPre ?? s) ?? `'${spec}' is not a valid Go version spec`;
}
