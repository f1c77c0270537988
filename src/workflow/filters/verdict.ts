/** Shared shapes for the trigger filters: one check's outcome and readers for loosely typed config. */
import { validatePatternList } from "../glob.ts";

export interface Verdict {
  ok: boolean;
  reason: string;
}

export const pass = (reason: string): Verdict => ({ ok: true, reason });
export const block = (reason: string): Verdict => ({ ok: false, reason });

export type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An event's config as a mapping; `on: push`, `push:` (null) and non-mappings have no filters. */
export function asMapping(v: unknown): Mapping {
  return isMapping(v) ? v : {};
}

/**
 * Filter lists may be one string or a sequence (the schema allows both). YAML can turn a bare
 * `1.0` into a number, so scalars are stringified rather than dropped. Undefined when absent.
 */
export function stringList(cfg: Mapping, key: string): string[] | undefined {
  if (!(key in cfg)) return undefined;
  const v = cfg[key];
  const items = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
  return items.filter((x) => typeof x !== "object" || x === null).map((x) => String(x));
}

export function show(list: readonly string[]): string {
  return `[${list.join(", ")}]`;
}

/** GitHub refuses a workflow with a bad pattern, so a bad list blocks instead of half-matching. */
export function checkListValid(key: string, list: readonly string[]): Verdict | undefined {
  const problems = validatePatternList(list);
  return problems.length ? block(`invalid ${key} filter: ${problems.join("; ")}`) : undefined;
}

/** Runs checks in order; the first failure is the answer, otherwise all reasons joined. */
export function all(checks: ReadonlyArray<() => Verdict>): Verdict {
  const reasons: string[] = [];
  for (const check of checks) {
    const v = check();
    if (!v.ok) return v;
    if (v.reason) reasons.push(v.reason);
  }
  return pass(reasons.join("; "));
}
