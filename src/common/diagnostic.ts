/** A user mistake found in a file: collected, never thrown, always with a position. */
export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the whole file is meant. */
  line: number;
  /** 1-based; 0 when the whole file is meant. */
  column: number;
  severity: "error" | "warning";
  message: string;
  /** Short id of the check that found it, e.g. "syntax", "expression", "step-id". */
  rule?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${where}: ${d.severity}: ${d.message}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
