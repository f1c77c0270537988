/**
 * `::error`, `::warning` and `::notice` commands as annotation records, with the runner's
 * clean-up of inconsistent line/column properties (IssueCommandExtension.ValidateLinesAndColumns).
 */
import type { Command } from "./workflow-command.ts";
import { parseDotNetInt } from "./dotnet-text.ts";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  title?: string;
}

/** The runner cuts annotation messages (after masking) to this many UTF-16 units. */
export const MAX_ANNOTATION_MESSAGE_LENGTH = 4096;
/** Per step and level, the runner keeps this many annotations; later ones are only logged. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

export function isAnnotationLevel(name: string): name is AnnotationLevel {
  return name === "error" || name === "warning" || name === "notice";
}

export function limitAnnotationMessage(message: string): string {
  return message.length > MAX_ANNOTATION_MESSAGE_LENGTH ? message.slice(0, MAX_ANNOTATION_MESSAGE_LENGTH) : message;
}

type Positions = Partial<Record<"line" | "endLine" | "col" | "endColumn", string>>;

/**
 * Mirrors ValidateLinesAndColumns step by step. Note the runner compares `line` and `endLine` as
 * strings, and compares against the numbers parsed before an end value was copied into a start.
 */
export function validatePositions(input: Positions): Positions {
  const p: Positions = { ...input };
  const lineNumber = parseDotNetInt(p.line);
  const endLineNumber = parseDotNetInt(p.endLine);
  const colNumber = parseDotNetInt(p.col);
  const endColNumber = parseDotNetInt(p.endColumn);
  let hasLine = lineNumber !== undefined;
  const hasEndLine = endLineNumber !== undefined;
  let hasCol = colNumber !== undefined;
  const hasEndCol = endColNumber !== undefined;
  const hasColumn = hasCol || hasEndCol;

  if (hasEndLine && !hasLine) {
    p.line = p.endLine;
    hasLine = true;
  }
  if (hasEndCol && !hasCol) {
    p.col = p.endColumn;
    hasCol = true;
  }
  const dropColumns = () => {
    delete p.col;
    delete p.endColumn;
  };
  if (!hasLine && hasColumn) dropColumns();
  if (hasEndLine && p.line !== p.endLine && hasColumn) dropColumns();
  if (hasLine && hasEndLine && endLineNumber! < (lineNumber ?? 0)) {
    delete p.line;
    delete p.endLine;
  }
  if (hasCol && hasEndCol && endColNumber! < (colNumber ?? 0)) dropColumns();
  return p;
}

/** IOUtil.MakeRelative on a POSIX host: strip the workspace prefix when it is a whole directory. */
export function relativeToWorkspace(file: string, workspace: string): string {
  if (!file.startsWith(workspace)) return file;
  if (file.length === workspace.length) return "";
  if (workspace.endsWith("/")) return file.slice(workspace.length);
  return file[workspace.length] === "/" ? file.slice(workspace.length + 1) : file;
}

export interface AnnotationOptions {
  /** GITHUB_WORKSPACE as the step saw it; files under it are reported relative to it. */
  workspace?: string;
}

function annotationFile(file: string | undefined, opts: AnnotationOptions): string | undefined {
  if (!file || opts.workspace === undefined) return file || undefined;
  const relative = relativeToWorkspace(file, opts.workspace);
  // The runner keeps the original path when the file is the workspace itself.
  return relative === "" ? file : relative;
}

/** The annotation an error/warning/notice command makes, or null for any other command. */
export function toAnnotation(cmd: Command, opts: AnnotationOptions = {}): Annotation | null {
  if (!isAnnotationLevel(cmd.name)) return null;
  const pos = validatePositions(cmd.props);
  const out: Annotation = { level: cmd.name, message: cmd.message };
  const file = annotationFile(cmd.props.file, opts);
  if (file !== undefined) out.file = file;
  for (const key of ["line", "col", "endLine", "endColumn"] as const) {
    const n = parseDotNetInt(pos[key]);
    if (n !== undefined) out[key] = n;
  }
  if (cmd.props.title !== undefined) out.title = cmd.props.title;
  return out;
}
