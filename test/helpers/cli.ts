/** Runs the built `slipway` CLI as a user would, in a child process. */
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin/slipway.js");

export interface CliResult {
  code: number;
  /** The CLI process's pid: Docker resources it creates are labelled with it. */
  pid: number;
  stdout: string;
  stderr: string;
  json: any;
}

export function slipway(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    input: opts.input,
    maxBuffer: 64 << 20,
  });
  let json: any = null;
  if (args.includes("--json")) {
    try {
      json = JSON.parse(r.stdout.trim().split("\n").pop() ?? "null");
    } catch {
      json = null;
    }
  }
  return { code: r.status ?? -1, pid: r.pid ?? 0, stdout: r.stdout, stderr: r.stderr, json };
}

export function tmpDir(prefix = "slipway-test-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A git repository with the given files, committed on `branch`. */
export function gitRepo(files: Record<string, string>, opts: { branch?: string; from?: string } = {}): string {
  const dir = tmpDir("slipway-repo-");
  if (opts.from) cpSync(opts.from, dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), content);
  }
  commitAll(dir, opts.branch ?? "main");
  return dir;
}

export function commitAll(dir: string, branch = "main", message = "test"): void {
  const git = (...a: string[]) => execFileSync("git", a, { cwd: dir, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  try {
    git("rev-parse", "--git-dir");
  } catch {
    git("init", "-q", "-b", branch);
  }
  git("add", "-A");
  git("commit", "-q", "--allow-empty", "-m", message);
}
