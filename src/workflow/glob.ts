/**
 * GitHub's filter patterns ("Filter pattern cheat sheet"), used by branches, tags, paths and their
 * -ignore lists. A pattern becomes an anchored RegExp:
 *   `*` any run without `/`, `**` any run, `**\/` zero or more leading directories,
 *   `?` / `+` zero-or-one / one-or-more of the preceding character or class,
 *   `[...]` one character from an alphanumeric set or range, `\x` the literal x.
 * A leading `!` belongs to pattern lists (see `matchPatternList`), not to a single glob.
 */

export interface Glob {
  readonly pattern: string;
  /** Set when the pattern is invalid; such a glob matches nothing. */
  readonly error?: string;
  match(value: string): boolean;
}

/** What the token before a quantifier was; `+` after an already repeated token is rejected. */
type Prev = "start" | "atom" | "repeated" | "lazy";

interface Scan {
  chars: string[];
  pos: number;
  out: string[];
  prev: Prev;
  errors: string[];
}

const REGEX_SYNTAX = /[\^$\\.*+?()[\]{}|/]/;
const CLASS_SYNTAX = /[\^$\\.*+?()[\]{}|/-]/;
const NEVER = /$^/;

function escapeChar(ch: string, inClass = false): string {
  return (inClass ? CLASS_SYNTAX : REGEX_SYNTAX).test(ch) ? `\\${ch}` : ch;
}

function fail(s: Scan, message: string): void {
  s.errors.push(`position ${s.pos}: ${message}`);
}

function scanStars(s: Scan): void {
  const double = s.chars[s.pos + 1] === "*";
  if (!double) {
    s.out.push("[^/]*");
    s.pos += 1;
  } else if (s.chars[s.pos + 2] === "/") {
    // `**/` may also match nothing, so `**/README.md` covers the root README.md.
    s.out.push("(?:.+/)?");
    s.pos += 3;
  } else {
    s.out.push(".*");
    s.pos += 2;
  }
  s.prev = "repeated";
}

function scanQuantifier(s: Scan, q: "?" | "+"): void {
  // With nothing before it there is nothing to repeat: GitHub reads it as a literal.
  if (s.prev === "start") {
    s.out.push(escapeChar(q));
    s.prev = "atom";
  } else if (s.prev === "atom") {
    s.out.push(q);
    s.prev = "repeated";
  } else if (s.prev === "repeated" && q === "?") {
    // Lazy modifier in regex terms: it changes nothing about which names match.
    s.out.push("?");
    s.prev = "lazy";
  } else {
    fail(s, `'${q}' cannot follow a wildcard or another '?' or '+'`);
  }
  s.pos += 1;
}

function isAlnum(ch: string): boolean {
  return /^[A-Za-z0-9]$/.test(ch);
}

function sameRangeClass(a: string, b: string): boolean {
  const cls = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 0);
  return cls(a) !== 0 && cls(a) === cls(b) && a <= b;
}

/** Reads one class member at s.pos (a char, an escape, or a range) and returns its regex text. */
function scanClassMember(s: Scan, end: number): string | undefined {
  const ch = s.chars[s.pos] ?? "";
  if (ch === "\\") {
    const next = s.chars[s.pos + 1];
    if (next === undefined || s.pos + 1 >= end) return void fail(s, "missing character after '\\'");
    s.pos += 2;
    return escapeChar(next, true);
  }
  if (!isAlnum(ch)) {
    s.pos += 1;
    return void fail(s, `'${ch}' in brackets: ranges can only include a-z, A-Z and 0-9`);
  }
  const to = s.chars[s.pos + 2];
  if (s.chars[s.pos + 1] === "-" && to !== undefined && s.pos + 2 < end) {
    s.pos += 3;
    if (!sameRangeClass(ch, to)) return void fail(s, `invalid range '${ch}-${to}': ranges can only include a-z, A-Z and 0-9`);
    return `${ch}-${to}`;
  }
  s.pos += 1;
  return ch;
}

function scanClass(s: Scan): void {
  const open = s.pos;
  let end = s.pos + 1;
  while (end < s.chars.length && s.chars[end] !== "]") end += s.chars[end] === "\\" ? 2 : 1;
  if (end >= s.chars.length) {
    fail(s, "missing closing ']' after '['");
    s.pos = s.chars.length;
    return;
  }
  if (end === open + 1) fail(s, "empty brackets '[]'");
  s.pos = open + 1;
  const members: string[] = [];
  while (s.pos < end) members.push(scanClassMember(s, end) ?? "");
  s.out.push(`[${members.join("")}]`);
  s.pos = end + 1;
  s.prev = "atom";
}

function scanEscape(s: Scan): void {
  const next = s.chars[s.pos + 1];
  if (next === undefined) {
    fail(s, "missing character after '\\'");
    s.pos += 1;
    return;
  }
  s.out.push(escapeChar(next));
  s.pos += 2;
  s.prev = "atom";
}

function scanOne(s: Scan): void {
  const ch = s.chars[s.pos] ?? "";
  if (ch === "*") return scanStars(s);
  if (ch === "?" || ch === "+") return scanQuantifier(s, ch);
  if (ch === "[") return scanClass(s);
  if (ch === "\\") return scanEscape(s);
  s.out.push(escapeChar(ch));
  s.pos += 1;
  s.prev = "atom";
}

function translate(pattern: string): { source: string; errors: string[] } {
  const s: Scan = { chars: Array.from(pattern), pos: 0, out: [], prev: "start", errors: [] };
  if (pattern === "") s.errors.push("pattern is empty");
  while (s.pos < s.chars.length) scanOne(s);
  return { source: `^${s.out.join("")}$`, errors: s.errors };
}

const cache = new Map<string, Glob>();

/** Compiles one pattern (without list negation). Invalid patterns yield a glob that never matches. */
export function compileGlob(pattern: string): Glob {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const { source, errors } = translate(pattern);
  const error = errors.length ? `Invalid pattern '${pattern}': ${errors.join("; ")}` : undefined;
  const re = error ? NEVER : new RegExp(source, "su");
  const glob: Glob = { pattern, error, match: (value) => !error && re.test(value) };
  cache.set(pattern, glob);
  return glob;
}

/** A message saying why the pattern is invalid, or undefined. A leading `!` is allowed. */
export function validateGlob(pattern: string): string | undefined {
  return compileGlob(splitNegation(pattern).pattern).error;
}

/** `!x` negates x in a list; `\!x` is the literal `!x` and stays a positive pattern. */
export function splitNegation(entry: string): { negative: boolean; pattern: string } {
  return entry.startsWith("!") ? { negative: true, pattern: entry.slice(1) } : { negative: false, pattern: entry };
}

/**
 * GitHub's ordered list semantics: each pattern that matches sets the verdict, positive to included
 * and `!` to excluded, so the last matching pattern wins. Nothing matching means excluded.
 */
export function matchPatternList(patterns: readonly string[], value: string): boolean {
  let included = false;
  for (const entry of patterns) {
    const { negative, pattern } = splitNegation(entry);
    if (compileGlob(pattern).match(value)) included = !negative;
  }
  return included;
}

/** Every problem in a filter list: invalid patterns, and `!` patterns with no positive one to negate. */
export function validatePatternList(patterns: readonly string[]): string[] {
  const problems = patterns.flatMap((p) => validateGlob(p) ?? []);
  const negatives = patterns.filter((p) => splitNegation(p).negative);
  if (negatives.length > 0 && negatives.length === patterns.length) {
    problems.push(`Pattern list [${patterns.join(", ")}] has only '!' patterns; at least one positive pattern is required`);
  }
  return problems;
}
