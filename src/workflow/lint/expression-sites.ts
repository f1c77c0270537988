/**
 * Finds every expression in a token subtree together with the document position of its
 * first character, so a reference inside it can be reported where the user wrote it.
 */
import { isBasicExpression, isMapping, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { BasicExpressionToken } from "@actions/workflow-parser/templates/tokens/basic-expression-token";
import type { StringToken } from "@actions/workflow-parser/templates/tokens/string-token";
import type { Pos } from "./finding.ts";

export interface ExpressionSite {
  /** Expression text exactly as laid out in the file (newlines and indentation kept). */
  text: string;
  /** Where `text[0]` sits in the file. */
  start: Pos;
  /** Contexts the schema allows here; undefined when unknown. */
  allowedContext: string[] | undefined;
}

/** All `${{ }}` expressions below `token`; `key` is the mapping key `token` is the value of. */
export function expressionSites(token: TemplateToken, key?: TemplateToken): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  collect(token, sites, key);
  return sites;
}

/**
 * Sites of an `if:` value: a bare string there is an expression too, which the reader leaves
 * as a string token for the converter to parse.
 */
export function conditionSites(token: TemplateToken, key?: TemplateToken): ExpressionSite[] {
  if (!isString(token)) return expressionSites(token, key);
  const site = bareConditionSite(token);
  return site === undefined ? [] : [site];
}

function collect(token: TemplateToken, sites: ExpressionSite[], key?: TemplateToken): void {
  if (isBasicExpression(token)) {
    const repair = layoutRepair(token, key);
    const parts = token.originalExpressions?.length ? token.originalExpressions : [token];
    for (const part of parts) {
      const site = embeddedSite(part);
      if (site !== undefined) sites.push({ ...site, start: repair(site.start) });
    }
  } else if (isMapping(token)) {
    for (const pair of token) collect(pair.value, sites, pair.key);
  } else if (isSequence(token)) {
    for (const item of token) collect(item, sites);
  }
}

function embeddedSite(token: BasicExpressionToken): ExpressionSite | undefined {
  const start = token.expressionRange?.start ?? token.range?.start;
  if (start === undefined) return undefined;
  return { text: token.expression, start, allowedContext: token.definitionInfo?.allowedContext };
}

/**
 * The reader (0.3.61) places expressions of a multi-line plain or quoted scalar as if the text
 * began on the next line, like a block scalar's does: one line too low, and on the first line
 * without the scalar's own column. Where the scalar starts is the parent's range when the
 * value was split into parts; for a lone expression it is taken to follow `key: `.
 */
function layoutRepair(token: BasicExpressionToken, key: TemplateToken | undefined): (p: Pos) => Pos {
  if (token.blockScalarHeader !== undefined || !token.source?.includes("\n")) return (p) => p;
  const keyEnd = key?.range?.end;
  const scalarStart = token.originalExpressions?.length
    ? token.range?.start
    : keyEnd && { line: keyEnd.line, column: keyEnd.column + 2 };
  return (p) => {
    const line = p.line - 1;
    const column = scalarStart !== undefined && line === scalarStart.line ? p.column + scalarStart.column - 1 : p.column;
    return { line, column };
  };
}

function bareConditionSite(token: StringToken): ExpressionSite | undefined {
  const range = token.range;
  if (range === undefined || token.value.trim() === "" || token.value.includes("${{")) return undefined;
  const allowedContext = token.definitionInfo?.allowedContext;
  const source = token.source ?? token.value;
  // A block scalar's source keeps the layout and begins on the line after its header.
  if (token.blockScalarHeader !== undefined) {
    return { text: source, start: { line: range.start.line + 1, column: 1 }, allowedContext };
  }
  // Otherwise the source begins at the token; it keeps line breaks that the value folds away.
  const quoted = source.startsWith('"') || source.startsWith("'");
  const text = quoted ? source.slice(1, -1) : source;
  return { text, start: { line: range.start.line, column: range.start.column + (quoted ? 1 : 0) }, allowedContext };
}
