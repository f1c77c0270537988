/**
 * Parses an expression site and lists the context references in it (`steps.build.outputs.x`,
 * `needs['lint'].result`, `matrix.os`, ...), each with the position of its context name.
 */
import { Lexer, Parser, data } from "@actions/expressions";
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Unary } from "@actions/expressions/ast";
import type { Expr } from "@actions/expressions/ast";
import type { FunctionInfo } from "@actions/expressions/funcs/info";
import { splitAllowedContext } from "@actions/workflow-parser/templates/allowed-context";
import type { ExpressionSite } from "./expression-sites.ts";
import type { Pos } from "./finding.ts";

export interface ContextRef {
  /** Context name, lower-cased (expression names are case-insensitive). */
  context: string;
  /** Leading property names that are literal (`a.b['c']` gives a, b, c); stops at the first computed one. */
  path: string[];
  at: Pos;
}

// Used only where the schema gave no allowed list: every context and status function.
const ALL_CONTEXTS = ["github", "env", "vars", "job", "jobs", "steps", "runner", "secrets", "strategy", "matrix", "needs", "inputs"];
const ALL_FUNCTIONS: FunctionInfo[] = [
  { name: "hashFiles", minArgs: 1, maxArgs: 255 },
  ...["success", "failure", "cancelled", "always"].map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
];

/**
 * References in one site; none when the text does not parse with the contexts allowed there,
 * because GitHub's parser has already reported that expression.
 */
export function contextRefs(site: ExpressionSite): ContextRef[] {
  const tree = parse(site);
  if (tree === undefined) return [];
  const refs: ContextRef[] = [];
  walk(tree, site, refs);
  return refs;
}

function parse(site: ExpressionSite): Expr | undefined {
  const allowed = site.allowedContext?.length ? splitAllowedContext(site.allowedContext) : undefined;
  try {
    const tokens = new Lexer(site.text).lex().tokens;
    return new Parser(tokens, allowed?.namedContexts ?? ALL_CONTEXTS, allowed?.functions ?? ALL_FUNCTIONS).parse();
  } catch {
    return undefined;
  }
}

function walk(expr: Expr, site: ExpressionSite, refs: ContextRef[]): void {
  if (expr instanceof IndexAccess || expr instanceof ContextAccess) return walkChain(expr, site, refs);
  if (expr instanceof FunctionCall || expr instanceof Logical) return expr.args.forEach((a) => walk(a, site, refs));
  if (expr instanceof Binary) {
    walk(expr.left, site, refs);
    return walk(expr.right, site, refs);
  }
  if (expr instanceof Unary) return walk(expr.expr, site, refs);
  if (expr instanceof Grouping) return walk(expr.group, site, refs);
}

/** One reference per access chain: `steps.a.outputs.b` is a single ref, not four. */
function walkChain(expr: IndexAccess | ContextAccess, site: ExpressionSite, refs: ContextRef[]): void {
  const indexes: Expr[] = [];
  let root: Expr = expr;
  while (root instanceof IndexAccess) {
    indexes.unshift(root.index);
    root = root.expr;
  }
  // Computed indexes may hold references of their own: steps[needs.a.outputs.id].
  for (const index of indexes) if (!(index instanceof Literal)) walk(index, site, refs);
  if (!(root instanceof ContextAccess)) return walk(root, site, refs);
  refs.push({ context: root.name.lexeme.toLowerCase(), path: literalPath(indexes), at: toDocument(root.name.range.start, site) });
}

function literalPath(indexes: Expr[]): string[] {
  const path: string[] = [];
  for (const index of indexes) {
    if (!(index instanceof Literal) || !(index.literal instanceof data.StringData)) break;
    path.push(index.literal.value);
  }
  return path;
}

/** Lexer positions are 0-based and relative to the expression text. */
function toDocument(p: { line: number; column: number }, site: ExpressionSite): Pos {
  if (p.line === 0) return { line: site.start.line, column: site.start.column + p.column };
  return { line: site.start.line + p.line, column: p.column + 1 };
}
