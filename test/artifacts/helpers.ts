/** A throwaway machine for the artifact and cache tests: a data dir, a home, and workspaces per job. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ArtifactContext } from "../../src/run/actions/builtins/artifacts/index.ts";

export interface Machine {
  root: string;
  dataDir: string;
  home: string;
  cleanup(): void;
}

export function machine(): Machine {
  const root = mkdtempSync(path.join(os.tmpdir(), "slipway-blobs-"));
  const dataDir = path.join(root, "data");
  const home = path.join(root, "home");
  mkdirSync(dataDir);
  mkdirSync(home);
  return { root, dataDir, home, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes each file (content = its own path unless given) below dir. */
export function writeFiles(dir: string, files: string[] | Record<string, string>): void {
  const entries = Array.isArray(files) ? files.map((f) => [f, f] as const) : Object.entries(files);
  for (const [rel, content] of entries) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
}

/** Every file below dir as sorted relative paths. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const visit = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(path.join(dir, rel)).isDirectory()) visit(rel);
      else out.push(rel);
    }
  };
  try {
    visit("");
  } catch {
    return [];
  }
  return out.sort();
}

export function read(file: string): string {
  return readFileSync(file, "utf8");
}

export interface Job {
  ctx: ArtifactContext;
  workspace: string;
  lines: string[];
  warnings: string[];
  errors: string[];
}

/** A job of run runId with its own workspace; what it logs is collected. */
export function job(m: Machine, name: string, runId: number, inputs: Record<string, string> = {}): Job {
  const workspace = path.join(m.root, `ws-${name}-${runId}`);
  mkdirSync(workspace, { recursive: true });
  const lines: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const ctx: ArtifactContext = {
    inputs,
    workspace,
    dataDir: m.dataDir,
    runId,
    jobName: name,
    home: m.home,
    log: (l) => lines.push(l),
    warn: (l) => warnings.push(l),
    error: (l) => errors.push(l),
  };
  return { ctx, workspace, lines, warnings, errors };
}

export function withInputs(j: Job, inputs: Record<string, string>): Job {
  j.ctx = { ...j.ctx, inputs };
  return j;
}
