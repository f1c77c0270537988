/**
 * What a cache holds: the files and folders the `path` lines match (@actions/glob without implicit
 * descendants, so a folder is taken whole), each filed under the root it lives in. GitHub's tar keeps
 * paths relative to the workspace; Slipway's workspaces move between runs, so paths below the home
 * folder are kept relative to home and other outside paths stay absolute.
 */
import path from "node:path";
import { glob } from "../artifacts/glob.ts";

export type Root = "ws" | "home" | "abs";
export const ROOTS: Root[] = ["ws", "home", "abs"];

export interface Placed {
  source: string;
  root: Root;
  rel: string;
}

export async function resolveCachePaths(patterns: string[], workspace: string, home: string): Promise<{ ok: true; placed: Placed[] } | { ok: false; error: string }> {
  const g = await glob(patterns.join("\n"), { cwd: workspace, home, implicitDescendants: false, matchDirectories: true, excludeHiddenFiles: false });
  if (!g.ok) return g;
  const hits = g.result.hits.map((h) => h.path);
  // A match inside a matched folder is copied with that folder already.
  const outer = hits.filter((p) => !hits.some((q) => q !== p && isInside(p, q)));
  return { ok: true, placed: [...new Set(outer)].map((p) => place(p, workspace, home)) };
}

export function rootPath(root: Root, workspace: string, home: string): string {
  return root === "ws" ? workspace : root === "home" ? home : "/";
}

function place(source: string, workspace: string, home: string): Placed {
  if (isInside(source, workspace) || source === workspace) return { source, root: "ws", rel: path.relative(workspace, source) };
  if (isInside(source, home) || source === home) return { source, root: "home", rel: path.relative(home, source) };
  return { source, root: "abs", rel: source.replace(/^\/+/, "") };
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}
