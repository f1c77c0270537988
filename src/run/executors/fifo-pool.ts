/**
 * Named pipes for step output. Node's own child pipes are socketpairs, and a socket cannot be
 * reopened through /dev/stdout or /dev/stderr (`tee /dev/stderr`, `echo x > /dev/stderr` fail with
 * ENXIO), which works on GitHub's runner where a step's output is a real pipe. FIFOs are real pipes;
 * they are made in batches (one `mkfifo` process per batch) and reused from step to step.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BATCH = 8;

export interface FifoPair {
  out: string;
  err: string;
}

let dir: string | null = null;
let created = 0;
const free: FifoPair[] = [];

function fifoDir(): string {
  if (!dir) {
    dir = mkdtempSync(path.join(os.tmpdir(), "slipway-fifo-"));
    const d = dir;
    process.once("exit", () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

let making: Promise<void> | null = null;

/** Makes a batch ahead of need, so the first step does not wait for `mkfifo`. */
export function warmFifos(): void {
  if (!free.length && !making) making = makeBatch().finally(() => (making = null));
}

export async function acquireFifos(): Promise<FifoPair> {
  if (!free.length && making) await making.catch(() => undefined);
  const pair = free.pop();
  if (pair) return pair;
  await makeBatch();
  return free.pop() as FifoPair;
}

async function makeBatch(): Promise<void> {
  const d = fifoDir();
  const batch: FifoPair[] = [];
  for (let i = 0; i < BATCH; i++, created++) batch.push({ out: path.join(d, `${created}.out`), err: path.join(d, `${created}.err`) });
  await run("mkfifo", ["-m", "600", ...batch.flatMap((p) => [p.out, p.err])]);
  free.push(...batch);
}

export function releaseFifos(pair: FifoPair): void {
  free.push(pair);
}

/** A pair some leftover process still writes to is never handed out again. */
export function discardFifos(pair: FifoPair): void {
  for (const f of [pair.out, pair.err]) rmSync(f, { force: true });
}
