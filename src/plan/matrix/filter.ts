/**
 * Matching of `include`/`exclude` entries against a combination, the way GitHub does it: every
 * scalar leaf of the entry becomes a comparison `matrix[k1][k2]... == literal` evaluated with the
 * expression language's loose equality. That makes matching partial at every depth (keys absent
 * from the entry are ignored), case-insensitive for strings and keys, and type-coercing
 * ('12' == 12, null == '' == 0), and it lets an empty object or array in an entry match anything.
 */
import { data } from "@actions/expressions";
import { equals, toUpperSpecial } from "@actions/expressions/result";
import type { FilterLeaf, MatrixValue } from "./types.ts";

export function isMapping(v: unknown): v is { [k: string]: MatrixValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Expression contexts look keys up case-insensitively; so does GitHub's matrix code. */
export function sameKey(a: string, b: string): boolean {
  return toUpperSpecial(a) === toUpperSpecial(b);
}

export function findKey(keys: Iterable<string>, key: string): string | undefined {
  for (const k of keys) if (sameKey(k, key)) return k;
  return undefined;
}

export function filterLeaves(entry: [string, MatrixValue][]): FilterLeaf[] {
  const out: FilterLeaf[] = [];
  const walk = (path: (string | number)[], v: MatrixValue): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk([...path, i], x));
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk([...path, k], x);
    else out.push({ path, literal: v });
  };
  for (const [k, v] of entry) walk([k], v);
  return out;
}

/** Follows `path` like an expression index chain would: a missing step yields null. */
function resolve(root: Record<string, MatrixValue>, path: (string | number)[]): MatrixValue {
  let cur: MatrixValue = root;
  for (const step of path) {
    if (typeof step === "number") {
      cur = Array.isArray(cur) ? (cur[step] ?? null) : null;
    } else if (isMapping(cur)) {
      const k = findKey(Object.keys(cur), step);
      cur = k === undefined ? null : (cur[k] ?? null);
    } else {
      return null;
    }
  }
  return cur;
}

function toData(v: MatrixValue): data.ExpressionData {
  if (v === null) return new data.Null();
  if (typeof v === "boolean") return new data.BooleanData(v);
  if (typeof v === "number") return new data.NumberData(v);
  if (typeof v === "string") return new data.StringData(v);
  // Objects never equal a scalar literal; an empty container stands in for any of them.
  return Array.isArray(v) ? new data.Array() : new data.Dictionary();
}

export function matches(leaves: readonly FilterLeaf[], combination: Record<string, MatrixValue>): boolean {
  return leaves.every((leaf) => equals(toData(resolve(combination, leaf.path)), toData(leaf.literal)));
}
