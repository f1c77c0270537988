/** The per-step GITHUB_ENV / GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STATE / GITHUB_STEP_SUMMARY files. */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnvFile, parsePathFile } from "../protocol/env-file.ts";

export interface CommandFiles {
  env: Record<string, string>;
  /** Reads what the step wrote; errors name the file and the problem. */
  collect(): CollectedCommands;
}

export interface CollectedCommands {
  env: Array<{ name: string; value: string }>;
  outputs: Array<{ name: string; value: string }>;
  state: Array<{ name: string; value: string }>;
  path: string[];
  summary: string;
  errors: string[];
}

const FILES = {
  GITHUB_ENV: "set_env",
  GITHUB_OUTPUT: "set_output",
  GITHUB_PATH: "add_path",
  GITHUB_STATE: "save_state",
  GITHUB_STEP_SUMMARY: "step_summary",
} as const;

type Variable = keyof typeof FILES;

let counter = 0;

/**
 * `hostDir` is where Slipway reads the files; `execDir` is the same folder as the step's processes
 * see it (they differ inside a container). Synchronous on purpose: five tiny files per step are
 * cheaper to touch directly than through the thread pool, and a run has hundreds of steps.
 */
export function createCommandFiles(hostDir: string, execDir: string): CommandFiles {
  const id = `${process.pid}_${++counter}`;
  const env: Record<string, string> = {};
  const hostPaths = {} as Record<Variable, string>;
  for (const [variable, stem] of Object.entries(FILES) as Array<[Variable, string]>) {
    const file = `${stem}_${id}`;
    hostPaths[variable] = path.join(hostDir, file);
    env[variable] = path.posix.join(execDir, file);
    writeFileSync(hostPaths[variable], "");
  }
  return { env, collect: () => collect(hostPaths) };
}

function read(file: string): string {
  try {
    return statSync(file).size === 0 ? "" : readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function collect(p: Record<Variable, string>): CollectedCommands {
  const errors: string[] = [];
  const parse = (variable: Variable) => {
    const r = parseEnvFile(read(p[variable]));
    if (r.error) errors.push(`${variable}: ${r.error}`);
    return r.entries;
  };
  return {
    env: parse("GITHUB_ENV"),
    outputs: parse("GITHUB_OUTPUT"),
    state: parse("GITHUB_STATE"),
    path: parsePathFile(read(p.GITHUB_PATH)),
    summary: read(p.GITHUB_STEP_SUMMARY),
    errors,
  };
}
