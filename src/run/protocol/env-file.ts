/**
 * The files a step writes to hand values back: GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STATE
 * (`NAME=value` or `NAME<<DELIM` heredocs) and GITHUB_PATH (one directory per line). Parsing
 * follows actions/runner's EnvFileKeyValuePairs and AddPathFileCommand, quirks included.
 */

export interface EnvFileEntry {
  name: string;
  value: string;
}

export interface EnvFileResult {
  /** Entries before the first error; the runner applies these even when the file is bad. */
  entries: EnvFileEntry[];
  /** The runner's message for the first malformed entry; parsing stops there. */
  error?: string;
}

export interface EnvFileOptions {
  /** Windows runners also split on CRLF; elsewhere a CR stays part of the line and the value. */
  windows?: boolean;
}

interface Line {
  text: string;
  /** The line break that ended it, or null for a last line without one. */
  newline: "\n" | "\r\n" | null;
}

/** Reads lines starting at `pos.index`, advancing it, as the runner's ReadLine does. */
function readLine(text: string, pos: { index: number }, windows: boolean): Line | null {
  const start = pos.index;
  if (start >= text.length) return null;
  const lf = text.indexOf("\n", start);
  if (lf < 0) {
    pos.index = text.length;
    return { text: text.slice(start), newline: null };
  }
  if (windows && lf > start && text[lf - 1] === "\r") {
    pos.index = lf + 1;
    return { text: text.slice(start, lf - 1), newline: "\r\n" };
  }
  pos.index = lf + 1;
  return { text: text.slice(start, lf), newline: "\n" };
}

class EnvFileError extends Error {}

/** Reads a heredoc body after `NAME<<DELIM`; the value excludes the break before the delimiter. */
function readHeredoc(text: string, pos: { index: number }, delimiter: string, windows: boolean): string {
  const start = pos.index;
  let end = start;
  for (;;) {
    const line = readLine(text, pos, windows);
    if (line === null) throw new EnvFileError(`Invalid value. Matching delimiter not found '${delimiter}'`);
    if (line.text === delimiter) break;
    if (line.newline === null) throw new EnvFileError("Invalid value. EOF marker missing new line.");
    end = pos.index - line.newline.length;
  }
  return text.slice(start, end);
}

function parseEntry(line: string, text: string, pos: { index: number }, windows: boolean): EnvFileEntry {
  const eq = line.indexOf("=");
  const heredoc = line.indexOf("<<");
  // Whichever marker comes first decides the form.
  if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
    // The runner means to reject an empty name here but tests the whole line, so `=x` passes
    // with an empty name; kept as is.
    return { name: line.slice(0, eq), value: line.slice(eq + 1) };
  }
  if (heredoc >= 0) {
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === "" || delimiter === "") {
      throw new EnvFileError(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
    }
    return { name, value: readHeredoc(text, pos, delimiter, windows) };
  }
  throw new EnvFileError(`Invalid format '${line}'`);
}

/** File.ReadAllText drops a byte-order mark; a caller reading the file as UTF-8 may not have. */
function stripBom(content: string): string {
  return content.startsWith("\uFEFF") ? content.slice(1) : content;
}

export function parseEnvFile(content: string, opts: EnvFileOptions = {}): EnvFileResult {
  const text = stripBom(content);
  const windows = opts.windows ?? false;
  const pos = { index: 0 };
  const entries: EnvFileEntry[] = [];
  for (let line = readLine(text, pos, windows); line !== null; line = readLine(text, pos, windows)) {
    if (line.text === "") continue;
    try {
      entries.push(parseEntry(line.text, text, pos, windows));
    } catch (e) {
      if (!(e instanceof EnvFileError)) throw e;
      return { entries, error: e.message };
    }
  }
  return { entries };
}

/**
 * GITHUB_PATH: File.ReadAllLines splits on CR, LF and CRLF on every platform; empty lines are
 * skipped, whitespace-only lines are kept. Order is as written; later duplicates win when applied.
 */
export function parsePathFile(content: string): string[] {
  return stripBom(content)
    .split(/\r\n|\r|\n/)
    .filter((line) => line !== "");
}

/**
 * Applies GITHUB_PATH additions to the runner's prepend list: a re-added directory moves to the
 * end, and the PATH a later step sees lists the newest addition first.
 */
export function appendPathAdditions(prependPath: readonly string[], added: readonly string[]): string[] {
  const out = [...prependPath];
  for (const dir of added) {
    const at = out.indexOf(dir);
    if (at >= 0) out.splice(at, 1);
    out.push(dir);
  }
  return out;
}
