/** Small readers over the parser's raw token tree, which keeps every position. */
import { isMapping, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { KeyValuePair } from "@actions/workflow-parser/templates/tokens/key-value-pair";
import type { Pos } from "./finding.ts";

export function startOf(token: TemplateToken | undefined): Pos | undefined {
  return token?.range?.start;
}

/** The entry of a mapping whose key is the literal string `key`, if any. */
export function entryOf(token: TemplateToken | undefined, key: string): KeyValuePair | undefined {
  if (token === undefined || !isMapping(token)) return undefined;
  for (const pair of token) if (isString(pair.key) && pair.key.value === key) return pair;
  return undefined;
}

export function valueOf(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return entryOf(token, key)?.value;
}

/** Literal string keys of a mapping (expression keys are skipped). */
export function keysOf(token: TemplateToken | undefined): string[] {
  if (token === undefined || !isMapping(token)) return [];
  const keys: string[] = [];
  for (const pair of token) if (isString(pair.key)) keys.push(pair.key.value);
  return keys;
}

/** Items of a sequence, or none when the token is not one. */
export function itemsOf(token: TemplateToken | undefined): TemplateToken[] {
  if (token === undefined || !isSequence(token)) return [];
  return [...token];
}

export function stringValue(token: TemplateToken | undefined): string | undefined {
  return token !== undefined && isString(token) ? token.value : undefined;
}
