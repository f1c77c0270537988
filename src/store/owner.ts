/** Who owns a run: this process, and whether a recorded owner still lives. */
import { hostname } from "node:os";
import type { Owner } from "./store.ts";

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname() };
}

/**
 * True unless the owner provably stopped. An owner on another host cannot be checked from here, so it
 * counts as alive: better a stuck run than cancelling one that is still running. A reused pid also
 * reads as alive; that run is only closed once that pid is gone too.
 */
export function isOwnerAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
