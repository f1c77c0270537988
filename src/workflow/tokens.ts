/** Turns GitHub's parser tokens into Slipway's plain `Tpl` values. */
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import { ensureStatusFunction } from "@actions/workflow-parser/model/converter/if-condition";
import { stringToTpl, type Tpl } from "../expr/template.ts";
import { positionKey, type ScalarIndex } from "./yaml-guard.ts";
import type { Position } from "./model.ts";

const INSERT_EXPRESSION = 4; // TokenType.InsertExpression

export function at(t: TemplateToken | undefined): Position {
  return { line: t?.range?.start.line ?? 0, column: t?.range?.start.column ?? 0 };
}

export function tokenToTpl(t: TemplateToken, scalars: ScalarIndex): Tpl {
  const pos = at(t);
  const where: [number, number] = [pos.line, pos.column];
  if (isString(t)) return stringToTpl(t.value, where);
  if (isBasicExpression(t)) {
    // The parser's own rebuild of interpolated strings is lossy (block scalars keep their
    // indentation); the YAML value at the same position is the truth.
    const real = scalars.get(positionKey(pos.line, pos.column));
    if (real !== undefined && real.includes("${{")) return stringToTpl(real, where);
    return { $expr: t.expression, at: where };
  }
  if (isNumber(t)) return t.value;
  if (isBoolean(t)) return t.value;
  if (isSequence(t)) {
    const out: Tpl[] = [];
    for (const item of t) out.push(tokenToTpl(item, scalars));
    return out;
  }
  if (isMapping(t)) {
    const pairs: Array<[Tpl | { $insert: true }, Tpl]> = [];
    let dynamic = false;
    for (const { key, value } of t) {
      const k: Tpl | { $insert: true } = key.templateTokenType === INSERT_EXPRESSION ? { $insert: true } : isString(key) ? key.value : tokenToTpl(key, scalars);
      if (typeof k !== "string") dynamic = true;
      pairs.push([k, tokenToTpl(value, scalars)]);
    }
    if (dynamic) return { $pairs: pairs };
    const out: Record<string, Tpl> = {};
    for (const [k, v] of pairs) out[k as string] = v;
    return out;
  }
  return null;
}

export function keyOf(t: TemplateToken): string {
  return isString(t) ? t.value : String(t);
}

/** A literal scalar as a string, for keys that may not hold expressions (`uses`, `id`, `needs`). */
export function literalString(t: TemplateToken | undefined): string | null {
  if (!t) return null;
  if (isString(t)) return t.value;
  if (isNumber(t) || isBoolean(t)) return String(t.value);
  return null;
}

export function entries(t: TemplateToken | undefined): Array<[string, TemplateToken]> {
  if (!t || !isMapping(t)) return [];
  const out: Array<[string, TemplateToken]> = [];
  for (const { key, value } of t as MappingToken) out.push([keyOf(key), value]);
  return out;
}

/** `if:` as an expression string with GitHub's implicit `success() &&`. */
export function conditionOf(t: TemplateToken | undefined, fallback = "success()"): string {
  if (!t) return fallback;
  let cond: string;
  if (isBasicExpression(t)) cond = t.expression;
  else if (isString(t)) cond = t.value.trim() === "" ? fallback : t.value;
  else if (isBoolean(t) || isNumber(t)) cond = String(t.value);
  else return fallback;
  const trimmed = cond.trim();
  if (trimmed.startsWith("${{") && trimmed.endsWith("}}")) cond = trimmed.slice(3, -2).trim();
  return ensureStatusFunction(cond, t.definitionInfo);
}
