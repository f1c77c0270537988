/**
 * Named pipes for step output. Node's own child pipes are socketpairs, and a socket cannot be
 * reopened through /dev/stdout or /dev/stderr (`tee /dev/stderr`, `echo x > /dev/stderr` fail with
 * ENXIO), which works on GitHub's runner where a step's output is a real pipe. FIFOs are real pipes;
 * they are made in batches (one `mkfifo` process per batch) and reused from step to step.
 *
 * They are reused from run to run too: that `mkfifo` process was a visible share of a one-step
 * `slipway run`. At exit, each pair that no process writes to any more goes on a shelf, a folder of
 * this user's in the temp folder; the next Slipway takes pairs off it by renaming them into its own
 * folder (a rename succeeds for one taker only) and runs `mkfifo` only when the shelf is empty.
 */
import { execFile } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BATCH = 8;
const SHELF = path.join(os.tmpdir(), `slipway-fifos-${process.getuid?.() ?? "user"}`);

export interface FifoPair {
  out: string;
  err: string;
}

let dir: string | null = null;
let shelf: string | null | undefined;
let created = 0;
const free: FifoPair[] = [];

/** The shelf, when it is a folder of this user's that nobody else may enter; else null (no reuse). */
function usableShelf(): string | null {
  if (shelf !== undefined) return shelf;
  shelf = null;
  try {
    mkdirSync(SHELF, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") return shelf;
  }
  if (privateToMe(SHELF, "dir")) shelf = SHELF;
  return shelf;
}

function fifoDir(): string {
  if (!dir) {
    dir = ownFolder();
    const d = dir;
    process.once("exit", () => shelve(d));
  }
  return dir;
}

/** This process's own folder: on the shelf when there is one, so pairs move in and out by renaming. */
function ownFolder(): string {
  const s = usableShelf();
  if (s) {
    try {
      return mkdtempSync(path.join(s, `run-${process.pid}-`));
    } catch {
      shelf = null; // Removed meanwhile: no reuse this time.
    }
  }
  return mkdtempSync(path.join(os.tmpdir(), "slipway-fifo-"));
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
  if (takeShelved(d)) return;
  const batch: FifoPair[] = [];
  for (let i = 0; i < BATCH; i++, created++) {
    const p = path.join(d, `new-${created}`);
    mkdirSync(p, { mode: 0o700 });
    batch.push(pairIn(p));
  }
  await run("mkfifo", ["-m", "600", ...batch.flatMap((p) => [p.out, p.err])]);
  free.push(...batch);
}

/** Moves up to a batch of shelved pairs into this process's folder; false when there was none. */
function takeShelved(d: string): boolean {
  const s = usableShelf();
  if (!s) return false;
  let names: string[];
  try {
    names = readdirSync(s).filter((n) => n.startsWith("pair-"));
  } catch {
    return false;
  }
  let taken = 0;
  for (const name of names) {
    if (taken === BATCH) break;
    try {
      renameSync(path.join(s, name), path.join(d, name));
    } catch {
      continue; // Another Slipway took it first.
    }
    if (!soundPair(path.join(d, name))) {
      rmSync(path.join(d, name), { recursive: true, force: true });
      continue;
    }
    free.push(pairIn(path.join(d, name)));
    taken++;
  }
  return taken > 0;
}

/**
 * A shelved pair may have been damaged since it was made (a temp cleaner removed a pipe) or replaced by
 * a step (a file or a link where a pipe was): only this user's private folder of two private FIFOs is used.
 */
function soundPair(dir: string): boolean {
  return privateToMe(dir, "dir") && privateToMe(path.join(dir, "out"), "fifo") && privateToMe(path.join(dir, "err"), "fifo");
}

/** A folder or FIFO itself (not a link's target) of this user's that nobody else may use; false when it is gone. */
function privateToMe(p: string, kind: "dir" | "fifo"): boolean {
  try {
    const st = lstatSync(p);
    return (kind === "dir" ? st.isDirectory() : st.isFIFO()) && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function pairIn(p: string): FifoPair {
  return { out: path.join(p, "out"), err: path.join(p, "err") };
}

/** Only pairs handed back (whose writers are all gone) are shelved; the rest go with the folder. */
function shelve(d: string): void {
  const s = shelf;
  if (s) {
    const stamp = `${process.pid}-${Date.now().toString(36)}`;
    free.forEach((p, i) => {
      try {
        renameSync(path.dirname(p.out), path.join(s, `pair-${stamp}-${i}`));
      } catch {
        // Removed with the folder below.
      }
    });
  }
  rmSync(d, { recursive: true, force: true });
}

export function releaseFifos(pair: FifoPair): void {
  free.push(pair);
}

/** A pair some leftover process still writes to is never handed out again. */
export function discardFifos(pair: FifoPair): void {
  rmSync(path.dirname(pair.out), { recursive: true, force: true });
}
