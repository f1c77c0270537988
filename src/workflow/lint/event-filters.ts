/**
 * GitHub refuses an event that sets both a filter and its `-ignore` twin (branches,
 * tags, paths); negated `!` patterns in the positive filter are the way to combine them.
 */
import { isMapping, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding } from "./finding.ts";
import { entryOf } from "./raw-tokens.ts";

const FILTERS = ["branches", "tags", "paths"];

export function checkEventFilters(file: string, on: TemplateToken | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (on === undefined || !isMapping(on)) return out;
  for (const { key, value } of on) {
    if (!isString(key) || !isMapping(value)) continue;
    for (const filter of FILTERS) {
      const positive = entryOf(value, filter);
      const ignore = entryOf(value, `${filter}-ignore`);
      if (positive === undefined || ignore === undefined) continue;
      const later = before(positive.key, ignore.key) ? ignore.key : positive.key;
      const message = `event '${key.value}' sets both '${filter}' and '${filter}-ignore'; GitHub allows only one: use '!' patterns in '${filter}' instead`;
      out.push(finding(file, later.range?.start, "filter-conflict", message));
    }
  }
  return out;
}

function before(a: TemplateToken, b: TemplateToken): boolean {
  const pa = a.range?.start;
  const pb = b.range?.start;
  if (pa === undefined || pb === undefined) return true;
  return pa.line < pb.line || (pa.line === pb.line && pa.column < pb.column);
}
