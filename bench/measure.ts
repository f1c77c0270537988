// Runs one command under /usr/bin/time, bounded by a timeout, and reports wall time and peak RSS.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

export interface Sample {
  seconds: number;
  /** Largest resident set of any one process in the tree (GNU time's %M); null without GNU time. */
  rssMb: number | null;
  ok: boolean;
  /** Why it failed: exit code or timeout, plus the end of stderr. */
  error?: string;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export async function measure(cmd: string, args: string[], opts: RunOptions = {}): Promise<Sample> {
  const scratch = mkdtempSync(join(tmpdir(), "slipway-bench-time-"));
  const rssFile = join(scratch, "rss");
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime ? [GNU_TIME, ["-f", "%M", "-o", rssFile, cmd, ...args]] : [cmd, args];
  try {
    const started = process.hrtime.bigint();
    const result = await spawnBounded(file, argv, opts);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssMb = useTime ? readRssMb(rssFile) : null;
    return { seconds, rssMb, ...result };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readRssMb(file: string): number | null {
  // GNU time writes "Command exited with non-zero status N" above the figure when the child fails.
  const last = readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
  const kb = Number(last);
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
}

interface Outcome {
  ok: boolean;
  error?: string;
}

/** Spawns in its own process group so a timeout ends the whole tree, not just the direct child. */
function spawnBounded(file: string, args: string[], opts: RunOptions): Promise<Outcome> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, error: err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, error: `timed out after ${timeoutMs / 1000} s` });
      else if (code !== 0) resolve({ ok: false, error: `exit ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}` });
      else resolve({ ok: true });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
