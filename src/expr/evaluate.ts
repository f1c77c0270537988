/**
 * Evaluates GitHub expressions and deferred values (`Tpl`) against plain-JSON contexts.
 * Status functions and hashFiles depend on where the expression runs, so callers pass them in.
 */
import { data, Evaluator, Lexer, Parser, type Expr } from "@actions/expressions";
import type { Tpl } from "./template.ts";
import { isExpr, isPairs, isStr } from "./template.ts";
import { fromData, toData, toText, truthy, type Json } from "./data.ts";
import { patchLexer } from "./lexer-fix.ts";

patchLexer();

export const CONTEXT_NAMES = [
  "github", "env", "vars", "secrets", "inputs", "job", "jobs", "steps", "runner", "strategy", "matrix", "needs",
] as const;

/** What an expression can see at one site: its contexts and, where they exist there, the functions. */
export type Contexts = Partial<Record<(typeof CONTEXT_NAMES)[number], unknown>> & { functions?: ExprFunctions };

export interface ExprFunctions {
  success?: () => boolean;
  failure?: () => boolean;
  cancelled?: () => boolean;
  always?: () => boolean;
  hashFiles?: (patterns: string[]) => string;
}

/** Thrown when an expression cannot be parsed or evaluated; the caller decides what fails. */
export class ExpressionError extends Error {
  constructor(readonly expression: string, message: string) {
    super(message);
  }
}

const FUNCTION_INFO = [
  { name: "success", minArgs: 0, maxArgs: 0 },
  { name: "failure", minArgs: 0, maxArgs: 0 },
  { name: "cancelled", minArgs: 0, maxArgs: 0 },
  { name: "always", minArgs: 0, maxArgs: 0 },
  { name: "hashFiles", minArgs: 1, maxArgs: 255 },
];

const astCache = new Map<string, Expr>();

export function parseExpression(expr: string): Expr {
  let ast = astCache.get(expr);
  if (!ast) {
    try {
      const { tokens } = new Lexer(expr).lex();
      ast = new Parser(tokens, [...CONTEXT_NAMES], FUNCTION_INFO).parse();
    } catch (e) {
      throw new ExpressionError(expr, `Invalid expression '${expr}': ${(e as Error).message}`);
    }
    if (astCache.size > 5000) astCache.clear();
    astCache.set(expr, ast);
  }
  return ast;
}

export function evaluate(expr: string, contexts: Contexts, explicit?: ExprFunctions): Json {
  const fns = { ...contexts.functions, ...explicit };
  const ast = parseExpression(expr);
  const ctx = new data.Dictionary();
  for (const name of CONTEXT_NAMES) ctx.add(name, toData(contexts[name] ?? null));
  try {
    return fromData(new Evaluator(ast, ctx, functionMap(fns)).evaluate());
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    throw new ExpressionError(expr, `Error evaluating '${expr}': ${(e as Error).message}`);
  }
}

export function evaluateCondition(expr: string, contexts: Contexts, fns?: ExprFunctions): boolean {
  return truthy(evaluate(expr, contexts, fns));
}

function functionMap(fns: ExprFunctions): Map<string, { name: string; minArgs: number; maxArgs: number; call: (...a: data.ExpressionData[]) => data.ExpressionData }> {
  const m = new Map<string, { name: string; minArgs: number; maxArgs: number; call: (...a: data.ExpressionData[]) => data.ExpressionData }>();
  const status = (name: "success" | "failure" | "cancelled" | "always", dflt: boolean) => {
    const f = fns[name];
    m.set(name.toLowerCase(), { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(f ? f() : dflt) });
  };
  status("success", true);
  status("failure", false);
  status("cancelled", false);
  status("always", true);
  m.set("hashfiles", {
    name: "hashFiles",
    minArgs: 1,
    maxArgs: 255,
    call: (...args) => {
      if (!fns.hashFiles) throw new Error("hashFiles is not available here");
      return new data.StringData(fns.hashFiles(args.map((a) => a.coerceString())));
    },
  });
  return m;
}

export interface EvalOptions {
  /** A sequence item that is one expression yielding an array is spliced in (matrix vectors). */
  spliceSequences?: boolean;
}

/** Evaluates a deferred value: expressions keep their type, interpolated strings become strings. */
export function evalTpl(t: Tpl | undefined, contexts: Contexts, fns?: ExprFunctions, opts: EvalOptions = {}): Json {
  if (t === undefined || t === null) return null;
  if (typeof t !== "object") return t;
  if (isExpr(t)) return evaluate(t.$expr, contexts, fns);
  if (isStr(t)) return t.$str.map((p) => (typeof p === "string" ? p : toText(evaluate(p.$expr, contexts, fns)))).join("");
  if (Array.isArray(t)) {
    if (!opts.spliceSequences) return t.map((x) => evalTpl(x, contexts, fns, opts));
    return t.flatMap((x) => {
      const v = evalTpl(x, contexts, fns, opts);
      return isExpr(x) && Array.isArray(v) ? v : [v];
    });
  }
  const out: Record<string, Json> = {};
  if (isPairs(t)) {
    for (const [k, v] of t.$pairs) {
      const value = evalTpl(v, contexts, fns, opts);
      if (k && typeof k === "object" && "$insert" in k) {
        if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(out, value);
      } else out[toText(evalTpl(k as Tpl, contexts, fns, opts))] = value;
    }
    return out;
  }
  for (const [k, v] of Object.entries(t)) out[k] = evalTpl(v as Tpl, contexts, fns, opts);
  return out;
}

/** Evaluates to a string as GitHub does for string-typed keys (`run`, `env` values, `with` values). */
export function evalString(t: Tpl | undefined, contexts: Contexts, fns?: ExprFunctions): string {
  const v = evalTpl(t, contexts, fns);
  return typeof v === "string" ? v : toText(v);
}

export { toText, truthy, type Json };
