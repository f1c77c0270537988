/** Choosing among the installs found: the highest version a spec accepts, or a message saying why none. */
import semver from "semver";
import type { Candidate } from "./setup-candidates.ts";

/** Accepts a semver version string. */
export type Matcher = (version: string) => boolean;

/** A semver range check, the way @actions/tool-cache applies a spec (prereleases only if the range names one). */
export function rangeMatcher(range: string): Matcher | null {
  if (semver.validRange(range) === null) return null;
  return (v) => semver.satisfies(v, range);
}

/** Highest accepted version; among equals the earlier candidate (tool cache, then PATH order). */
export function pickHighest(candidates: Candidate[], accepts: Matcher): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (accepts(c.version) && (!best || semver.gt(c.version, best.version))) best = c;
  }
  return best;
}

export function describeFound(candidates: Candidate[]): string {
  return candidates.length ? candidates.map((c) => `${c.version} at ${c.exe}`).join(", ") : "none";
}

export function noMatchMessage(action: string, tool: string, spec: string, candidates: Candidate[], cacheName: string, arch: string): string {
  return `${action}: no ${tool} matching '${spec}' on this machine (found: ${describeFound(candidates)}). ` +
    `Install it or place it under $RUNNER_TOOL_CACHE/${cacheName}/<version>/${arch}/bin.`;
}
