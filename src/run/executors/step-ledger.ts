/**
 * Step process groups written down outside the process, so a Slipway killed with SIGKILL (which runs no
 * exit handler) has its steps' leftovers killed at the next start. Each entry is a file named
 * OWNER_PID-GROUP_ID holding the group leader's start time, so a recycled pid is never killed by mistake.
 */
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const DIR = path.join(os.tmpdir(), `slipway-steps-${process.getuid?.() ?? "user"}`);
const writes = new Map<number, Promise<void>>();

/** The kernel's start time of a process (clock ticks since boot), or null where /proc cannot tell. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

export function recordGroup(pgid: number): void {
  const started = startTime(pgid);
  if (started === null) return;
  const p = mkdir(DIR, { recursive: true })
    .then(() => writeFile(path.join(DIR, `${process.pid}-${pgid}`), started))
    .catch(() => undefined);
  writes.set(pgid, p);
}

export function forgetGroup(pgid: number): void {
  const p = writes.get(pgid);
  if (!p) return;
  writes.delete(pgid);
  void p.then(() => unlink(path.join(DIR, `${process.pid}-${pgid}`))).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Kills the step groups of Slipway processes that are gone; returns how many groups it killed. */
export async function reapOrphanGroups(): Promise<number> {
  let names: string[];
  try {
    names = await readdir(DIR);
  } catch {
    return 0;
  }
  let killed = 0;
  for (const name of names) {
    const m = /^(\d+)-(\d+)$/.exec(name);
    if (!m) continue;
    const [owner, pgid] = [Number(m[1]), Number(m[2])];
    if (owner === process.pid || alive(owner)) continue;
    const recorded = await readFile(path.join(DIR, name), "utf8").catch(() => null);
    if (recorded !== null && recorded === startTime(pgid)) {
      try {
        process.kill(-pgid, "SIGKILL");
        killed++;
      } catch {
        // Already gone.
      }
    }
    await unlink(path.join(DIR, name)).catch(() => undefined);
  }
  return killed;
}
