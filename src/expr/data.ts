/** Conversion between plain JSON and the expression library's data classes. */
import { data } from "@actions/expressions";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const cache = new WeakMap<object, data.ExpressionData>();
const immutable = new WeakSet<object>();

/**
 * Declares that an object will not change again, so its conversion may be cached: contexts such as
 * `github` are large and read by every expression. Mutable contexts (`steps`, `env`) are never cached.
 */
export function markImmutable<T extends object>(v: T): T {
  immutable.add(v);
  return v;
}

export function toData(v: unknown): data.ExpressionData {
  if (v === null || v === undefined) return new data.Null();
  if (typeof v === "string") return new data.StringData(v);
  if (typeof v === "number") return new data.NumberData(v);
  if (typeof v === "boolean") return new data.BooleanData(v);
  if (typeof v !== "object") return new data.StringData(String(v));
  const hit = cache.get(v);
  if (hit) return hit;
  let out: data.ExpressionData;
  if (Array.isArray(v)) out = new data.Array(...v.map(toData));
  else {
    const d = new data.Dictionary();
    for (const [k, x] of Object.entries(v)) if (x !== undefined) d.add(k, toData(x));
    out = d;
  }
  if (immutable.has(v)) cache.set(v, out);
  return out;
}

export function fromData(d: data.ExpressionData): Json {
  switch (d.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
      return (d as data.BooleanData).value;
    case data.Kind.Number:
      return d.number();
    case data.Kind.String:
      return d.coerceString();
    case data.Kind.Array:
      return (d as data.Array).values().map(fromData);
    default: {
      const out: Record<string, Json> = {};
      for (const p of (d as data.Dictionary).pairs()) out[p.key] = fromData(p.value);
      return out;
    }
  }
}

/** GitHub's string conversion, used when an expression's value is put into a string. */
export function toText(v: Json): string {
  return toData(v).coerceString();
}

/** GitHub's truthiness. */
export function truthy(v: Json): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  return true;
}
