/**
 * Deferred values: the plain-JSON form of anything in a workflow that is evaluated at run time.
 * A literal stays itself; `{ $expr }` is one whole `${{ }}`; `{ $str }` is a string with
 * interpolations, concatenated after evaluation (what GitHub does with `format()`).
 */
export type Tpl = null | boolean | number | string | Tpl[] | TplExpr | TplStr | TplPairs | { [key: string]: Tpl };

/**
 * A mapping whose keys are evaluated too: `${{ expr }}: value`, or `${{ insert }}: mapping`, which
 * merges the mapping's pairs in place.
 */
export interface TplPairs {
  $pairs: Array<[Tpl | { $insert: true }, Tpl]>;
}

export function isPairs(t: unknown): t is TplPairs {
  return typeof t === "object" && t !== null && !Array.isArray(t) && Array.isArray((t as TplPairs).$pairs);
}
export interface TplExpr {
  $expr: string;
  /** Where the expression stands, [line, column], for error messages. */
  at?: [number, number];
}
export interface TplStr {
  $str: Array<string | TplExpr>;
  at?: [number, number];
}

export function isExpr(t: unknown): t is TplExpr {
  return typeof t === "object" && t !== null && !Array.isArray(t) && typeof (t as TplExpr).$expr === "string";
}

export function isStr(t: unknown): t is TplStr {
  return typeof t === "object" && t !== null && !Array.isArray(t) && Array.isArray((t as TplStr).$str);
}

/** True when a value contains nothing to evaluate. */
export function isLiteral(t: Tpl): boolean {
  if (t === null || typeof t !== "object") return true;
  if (isExpr(t) || isStr(t) || isPairs(t)) return false;
  if (Array.isArray(t)) return t.every(isLiteral);
  return Object.values(t).every(isLiteral);
}

export interface Interpolation {
  parts: Array<string | { expr: string; offset: number }>;
  error?: { offset: number; message: string };
}

/**
 * Splits `a ${{ x }} b` into literal and expression parts. The closing `}}` is searched outside
 * single-quoted string literals, as GitHub's template reader does, so `${{ '}}' }}` is one expression.
 */
export function splitInterpolation(s: string): Interpolation {
  const parts: Interpolation["parts"] = [];
  let pos = 0;
  for (;;) {
    const open = s.indexOf("${{", pos);
    if (open < 0) break;
    const close = findClose(s, open + 3);
    if (close < 0) {
      return {
        parts,
        error: {
          offset: open,
          message: "The expression is not closed. An unescaped ${{ sequence was found, but the closing }} sequence was not found.",
        },
      };
    }
    if (open > pos) parts.push(s.slice(pos, open));
    parts.push({ expr: s.slice(open + 3, close).trim(), offset: open });
    pos = close + 2;
  }
  if (pos < s.length) parts.push(s.slice(pos));
  return { parts };
}

function findClose(s: string, from: number): number {
  let inString = false;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === "}" && s[i + 1] === "}") return i;
  }
  return -1;
}

/** Builds the deferred form of a string scalar. */
export function stringToTpl(s: string, at?: [number, number]): Tpl {
  if (!s.includes("${{")) return s;
  const { parts, error } = splitInterpolation(s);
  if (error) return s;
  const mapped = parts.map((p) => (typeof p === "string" ? p : withAt({ $expr: p.expr }, at)));
  if (mapped.length === 1 && typeof mapped[0] !== "string") return mapped[0] as TplExpr;
  return withAt({ $str: mapped }, at);
}

function withAt<T extends TplExpr | TplStr>(t: T, at?: [number, number]): T {
  if (at) t.at = at;
  return t;
}
