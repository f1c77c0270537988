/** The per-step GITHUB_ENV / GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STATE / GITHUB_STEP_SUMMARY files. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseEnvFile, parsePathFile } from "../protocol/env-file.ts";

export interface CommandFiles {
  env: Record<string, string>;
  /** Reads what the step wrote; errors name the file and the problem. */
  collect(): Promise<CollectedCommands>;
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

let counter = 0;

/**
 * `hostDir` is where Slipway reads the files; `execDir` is the same folder as the step's
 * processes see it (they differ inside a container).
 */
export async function createCommandFiles(hostDir: string, execDir: string): Promise<CommandFiles> {
  const id = `${process.pid}_${++counter}`;
  const env: Record<string, string> = {};
  const hostPaths: Record<string, string> = {};
  await Promise.all(
    Object.entries(FILES).map(async ([variable, stem]) => {
      const file = `${stem}_${id}`;
      hostPaths[variable] = path.join(hostDir, file);
      env[variable] = path.posix.join(execDir, file);
      await writeFile(hostPaths[variable] as string, "");
    }),
  );
  return { env, collect: () => collect(hostPaths) };
}

async function collect(p: Record<string, string>): Promise<CollectedCommands> {
  const [envText, outText, stateText, pathText, summary] = await Promise.all(
    ["GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"].map((k) =>
      readFile(p[k] as string, "utf8").catch(() => ""),
    ),
  );
  const errors: string[] = [];
  const parse = (text: string, variable: string) => {
    const r = parseEnvFile(text ?? "");
    if (r.error) errors.push(`${variable}: ${r.error}`);
    return r.entries;
  };
  return {
    env: parse(envText ?? "", "GITHUB_ENV"),
    outputs: parse(outText ?? "", "GITHUB_OUTPUT"),
    state: parse(stateText ?? "", "GITHUB_STATE"),
    path: parsePathFile(pathText ?? ""),
    summary: summary ?? "",
    errors,
  };
}
