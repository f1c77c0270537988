/**
 * setup-node's version specs turned into a check on the versions this machine has.
 * `lts/…` and `latest` normally need nodejs.org's release list; offline we know that even
 * majors become LTS and their codenames, which is what the aliases mean.
 */
import semver from "semver";
import { rangeMatcher, type Matcher } from "./setup-select.ts";

/** LTS codenames by major, as nodejs.org names them. */
const LTS_CODENAMES: Record<string, number> = {
  argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14,
  gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24,
};

const NEWEST_KNOWN_LTS = Math.max(...Object.values(LTS_CODENAMES));

/** A matcher for the spec, or an error message; `available` are the semver versions found. */
export function nodeMatcher(spec: string, available: string[]): Matcher | string {
  const s = spec.trim();
  if (["latest", "current", "node"].includes(s.toLowerCase())) return (v) => semver.prerelease(v) === null;
  if (s.toLowerCase().startsWith("lts/")) return ltsMatcher(s, available);
  // An exact version (v-prefixed or not) or any semver range; the action cleans it the same way.
  const exact = semver.clean(s);
  return rangeMatcher(exact ?? s) ?? `'${spec}' is not a valid Node.js version spec`;
}

function ltsMatcher(spec: string, available: string[]): Matcher | string {
  const alias = spec.slice("lts/".length).toLowerCase();
  const isLts = (v: string) => semver.major(v) >= 4 && semver.major(v) % 2 === 0 && semver.prerelease(v) === null;
  if (alias === "*") return isLts;
  const n = Number(alias);
  if (alias !== "" && Number.isInteger(n) && n < 0) {
    // lts/-1 is the LTS line before the newest one, counted from the newest LTS that exists.
    const newest = Math.max(NEWEST_KNOWN_LTS, ...available.filter(isLts).map((v) => semver.major(v)));
    const major = newest + 2 * n;
    return (v) => isLts(v) && semver.major(v) === major;
  }
  const major = LTS_CODENAMES[alias];
  if (major === undefined) return `unknown LTS alias '${spec}' (known: ${Object.keys(LTS_CODENAMES).join(", ")})`;
  return (v) => semver.major(v) === major && semver.prerelease(v) === null;
}
