/**
 * The walk of @actions/glob's DefaultGlobber, which upload-artifact and cache use: start at each
 * pattern's literal search path, follow symbolic links (skipping broken ones and cycles), descend only
 * where a pattern could still match, and apply the lines in order so a later `!` line removes matches.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { MATCH_DIRECTORY, MATCH_FILE, matchKind, needsDescendants, parsePattern, partialMatch, splitPath, withDescendants, type GlobPattern } from "./glob-pattern.ts";

export interface GlobOptions {
  cwd: string;
  home: string;
  implicitDescendants: boolean;
  matchDirectories: boolean;
  excludeHiddenFiles: boolean;
}

export interface GlobHit {
  path: string;
  isDirectory: boolean;
}

export interface GlobResult {
  hits: GlobHit[];
  /** Search paths of the non-negated lines, those under another one dropped, as getSearchPaths() returns. */
  searchPaths: string[];
}

export type GlobOutcome = { ok: true; result: GlobResult } | { ok: false; error: string };

export function parsePatterns(text: string, cwd: string, home: string): { ok: true; patterns: GlobPattern[] } | { ok: false; error: string } {
  const patterns: GlobPattern[] = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (!line || line.startsWith("#")) continue;
    const p = parsePattern(line, cwd, home);
    if (typeof p === "string") return { ok: false, error: p };
    patterns.push(p);
  }
  return { ok: true, patterns };
}

export async function glob(text: string, opts: GlobOptions): Promise<GlobOutcome> {
  const parsed = parsePatterns(text, opts.cwd, opts.home);
  if (!parsed.ok) return parsed;
  const searchPaths = searchPathsOf(parsed.patterns);
  const patterns = parsed.patterns.flatMap((p) => (opts.implicitDescendants && needsDescendants(p) ? [p, withDescendants(p)] : [p]));
  const hits: GlobHit[] = [];
  for (const start of searchPaths) {
    if (await lstat(start).catch(() => null)) await walk(start, [], patterns, opts, hits);
  }
  return { ok: true, result: { hits, searchPaths } };
}

export function searchPathsOf(patterns: GlobPattern[]): string[] {
  const candidates = new Set(patterns.filter((p) => !p.negate).map((p) => p.searchPath));
  const result: string[] = [];
  for (const sp of candidates) {
    let parent = path.dirname(sp);
    let child = sp;
    let covered = false;
    while (parent !== child && !covered) {
      covered = candidates.has(parent);
      child = parent;
      parent = path.dirname(parent);
    }
    if (!covered) result.push(sp);
  }
  return result;
}

async function walk(item: string, chain: string[], patterns: GlobPattern[], opts: GlobOptions, hits: GlobHit[]): Promise<void> {
  const segs = splitPath(item);
  let kind = 0;
  for (const p of patterns) kind = p.negate ? kind & ~matchKind(p, segs) : kind | matchKind(p, segs);
  const partial = kind !== 0 || patterns.some((p) => !p.negate && partialMatch(p, segs));
  if (!partial) return;
  const st = await followedStat(item);
  if (!st) return;
  if (opts.excludeHiddenFiles && path.basename(item).startsWith(".")) return;
  if (!st.isDirectory()) {
    if (kind & MATCH_FILE) hits.push({ path: item, isDirectory: false });
    return;
  }
  const real = await realpath(item).catch(() => item);
  // A link back to a folder being walked would never end.
  if (chain.includes(real)) return;
  if (kind & MATCH_DIRECTORY && opts.matchDirectories) hits.push({ path: item, isDirectory: true });
  const children = (await readdir(item).catch(() => [] as string[])).sort();
  for (const name of children) await walk(path.join(item, name), [...chain, real], patterns, opts, hits);
}

/** stat through links; null for a broken link or a path that vanished. */
async function followedStat(p: string): Promise<Stats | null> {
  return stat(p).catch(() => null);
}
