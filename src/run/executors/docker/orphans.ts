/** What a killed Slipway left on the Docker daemon: labelled with a run whose owning process is gone. */
import { hostname } from "node:os";
import { connectDocker } from "./client.ts";
import { collectGarbage } from "./gc.ts";
import type { Removed } from "./labels.ts";

/** Run labels read `<run>@<host>:<pid>`; a label of another form (or host) is left alone. */
export function ownerAlive(runLabel: string): boolean {
  const m = /@([^:@]+):(\d+)$/.exec(runLabel);
  if (!m || m[1] !== hostname()) return true;
  try {
    process.kill(Number(m[2]), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function removeOrphans(): Promise<Removed> {
  const docker = await connectDocker(process.env, 3000);
  return collectGarbage(docker, ownerAlive);
}
