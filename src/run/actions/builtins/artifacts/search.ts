/**
 * upload-artifact's file search: the files the `path` lines match (folders stand for their contents),
 * and the root folder whose layout the artifact keeps. With several search paths the root is their
 * least common ancestor; a single file named exactly keeps only its name; otherwise the search path.
 */
import path from "node:path";
import { glob } from "./glob.ts";

export interface SearchResult {
  files: string[];
  root: string;
}

export async function findFilesToUpload(
  searchPath: string,
  opts: { workspace: string; home: string; includeHiddenFiles: boolean; log(line: string): void },
): Promise<{ ok: true; result: SearchResult } | { ok: false; error: string }> {
  const g = await glob(searchPath, { cwd: opts.workspace, home: opts.home, implicitDescendants: true, matchDirectories: true, excludeHiddenFiles: !opts.includeHiddenFiles });
  if (!g.ok) return g;
  const files = g.result.hits.filter((h) => !h.isDirectory).map((h) => h.path);
  noteCaseClashes(files, opts.log);
  const searchPaths = g.result.searchPaths;
  if (searchPaths.length > 1) {
    opts.log("Multiple search paths detected. Calculating the least common ancestor of all paths");
    const root = leastCommonAncestor(searchPaths);
    opts.log(`The least common ancestor is ${root}. This will be the root directory of the artifact`);
    return { ok: true, result: { files, root } };
  }
  const only = searchPaths[0] ?? opts.workspace;
  if (files.length === 1 && files[0] === only) return { ok: true, result: { files, root: path.dirname(only) } };
  return { ok: true, result: { files, root: only } };
}

/** Segment-wise common prefix: `/a/foo` and `/a/foobar` give `/a`. */
export function leastCommonAncestor(paths: string[]): string {
  const split = paths.map((p) => path.normalize(p).split("/"));
  const shortest = Math.min(...split.map((s) => s.length));
  const common: string[] = [];
  for (let i = 0; i < shortest; i++) {
    const seg = split[0]?.[i];
    if (seg === undefined || split.some((s) => s[i] !== seg)) break;
    common.push(seg);
  }
  return path.join("/", ...common);
}

/** Artifacts are case-insensitive: say when two uploaded paths differ only by case. */
function noteCaseClashes(files: string[], log: (line: string) => void): void {
  const seen = new Set<string>();
  for (const f of files) {
    const lower = f.toLowerCase();
    if (seen.has(lower)) log(`Uploads are case insensitive: ${f} was detected that it will be overwritten by another file with the same path`);
    seen.add(lower);
  }
}
