/** Builds the diagnostics that every lint rule returns. */
import type { Diagnostic } from "../../common/diagnostic.ts";

/** 1-based line and column in the linted file. */
export interface Pos {
  line: number;
  column: number;
}

export function finding(
  file: string,
  at: Pos | undefined,
  rule: string,
  message: string,
  severity: Diagnostic["severity"] = "error",
): Diagnostic {
  return { file, line: at?.line ?? 0, column: at?.column ?? 0, severity, message, rule };
}

/** Human list for messages: "a, b" or "none". */
export function listOrNone(names: readonly string[]): string {
  return names.length > 0 ? names.map((n) => `'${n}'`).join(", ") : "none";
}
