/**
 * One line of an @actions/glob pattern list, as upload-artifact and cache read their `path` input:
 * `!` negates, `~` is the home folder, relative lines start at the workspace, a trailing `/` matches
 * directories only, `*` `?` `[…]` match within a segment and `**` matches any number of segments.
 * Hidden names are matched (the library sets minimatch's `dot`); braces are literal (`nobrace`).
 */

export type Segment = { kind: "literal"; text: string } | { kind: "glob"; re: RegExp } | { kind: "globstar" };

export interface GlobPattern {
  negate: boolean;
  /** Absolute path, one entry per segment below the root. */
  segments: Segment[];
  /** Written with a trailing slash: matches directories only. */
  dirOnly: boolean;
  /** Added for implicit descendants: its trailing `**` must match at least one segment. */
  implicit: boolean;
  /** The literal folder before the first wildcard segment, where the search starts. */
  searchPath: string;
}

/** Bits of @actions/glob's MatchKind. */
export const MATCH_DIRECTORY = 1;
export const MATCH_FILE = 2;
const MATCH_ALL = 3;

/** Parses one non-comment line; a string result is the library's error for that line. */
export function parsePattern(line: string, cwd: string, home: string): GlobPattern | string {
  let text = line.trim();
  let negate = false;
  while (text.startsWith("!")) {
    negate = !negate;
    text = text.slice(1).trim();
  }
  if (!text) return `Invalid pattern '${line}'. Pattern cannot be empty.`;
  const raw = text.split(/\/+/);
  if (raw.some((s, i) => { const lit = literalOf(s); return lit === ".." || (lit === "." && i > 0); })) {
    return `Invalid pattern '${text}'. Relative pathing '.' and '..' is not allowed.`;
  }
  text = text.replace(/\/\/+/g, "/");
  const dirOnly = text.length > 1 && text.endsWith("/");
  const { base, rest } = splitBase(text, cwd, home);
  const baseSegs = base.split("/").filter(Boolean).map((t): Segment => ({ kind: "literal", text: t }));
  const restSegs = rest.split("/").filter(Boolean).map(compileSegment);
  const segments = [...baseSegs, ...restSegs];
  return { negate, segments, dirOnly, implicit: false, searchPath: searchPathOf(segments) };
}

/** The pattern plus `/**`, which @actions/glob adds so a folder stands for everything in it. */
export function withDescendants(p: GlobPattern): GlobPattern {
  return { ...p, segments: [...p.segments, { kind: "globstar" }], dirOnly: false, implicit: true };
}

export function needsDescendants(p: GlobPattern): boolean {
  return p.dirOnly || p.segments[p.segments.length - 1]?.kind !== "globstar";
}

/** MatchKind bits of one pattern for an absolute path (split into segments). */
export function matchKind(p: GlobPattern, segs: string[]): number {
  if (!matchFrom(p.segments, 0, segs, 0, false, p.implicit ? 1 : 0)) return 0;
  return p.dirOnly ? MATCH_DIRECTORY : MATCH_ALL;
}

/** True when the path could be an ancestor of a match, so the walk must descend into it. */
export function partialMatch(p: GlobPattern, segs: string[]): boolean {
  return matchFrom(p.segments, 0, segs, 0, true, 0);
}

export function splitPath(abs: string): string[] {
  return abs.split("/").filter(Boolean);
}

function matchFrom(pat: Segment[], pi: number, segs: string[], si: number, partial: boolean, minTail: number): boolean {
  while (pi < pat.length) {
    const seg = pat[pi] as Segment;
    if (seg.kind === "globstar") {
      if (pi === pat.length - 1) return partial || segs.length - si >= minTail;
      for (let k = si; k <= segs.length; k++) if (matchFrom(pat, pi + 1, segs, k, partial, minTail)) return true;
      return false;
    }
    if (si >= segs.length) return partial;
    const name = segs[si] as string;
    if (seg.kind === "literal" ? seg.text !== name : !seg.re.test(name)) return false;
    pi++;
    si++;
  }
  return si === segs.length;
}

function splitBase(text: string, cwd: string, home: string): { base: string; rest: string } {
  if (text === "." || text.startsWith("./")) return { base: cwd, rest: text.slice(1) };
  if (text === "~" || text.startsWith("~/")) return { base: home, rest: text.slice(1) };
  if (text.startsWith("/")) return { base: "/", rest: text };
  return { base: cwd, rest: text };
}

function searchPathOf(segments: Segment[]): string {
  const literal: string[] = [];
  for (const s of segments) {
    if (s.kind !== "literal") break;
    literal.push(s.text);
  }
  return "/" + literal.join("/");
}

/** The segment's text with escapes removed, or null when it has a wildcard. */
function literalOf(segment: string): string | null {
  const compiled = compileSegment(segment);
  return compiled.kind === "literal" ? compiled.text : null;
}

function compileSegment(segment: string): Segment {
  if (segment === "**") return { kind: "globstar" };
  let re = "";
  let literal = "";
  let wild = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "\\" && i + 1 < segment.length) {
      const next = segment[++i] as string;
      re += escapeRe(next);
      literal += next;
    } else if (c === "*") {
      re += "[^/]*";
      wild = true;
    } else if (c === "?") {
      re += "[^/]";
      wild = true;
    } else if (c === "[" && segment.indexOf("]", i + 2) > 0) {
      const end = segment.indexOf("]", i + 2);
      re += charClass(segment.slice(i + 1, end));
      wild = true;
      i = end;
    } else {
      re += escapeRe(c);
      literal += c;
    }
  }
  return wild ? { kind: "glob", re: new RegExp(`^${re}$`) } : { kind: "literal", text: literal };
}

function charClass(body: string): string {
  const negated = body.startsWith("!") || body.startsWith("^");
  const inner = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&");
  return `[${negated ? "^" : ""}${inner}]`;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
