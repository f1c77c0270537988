/** Removes what runs that are no longer alive left on the daemon (a crash skips their teardown). */
import type Docker from "dockerode";
import { RUN_LABEL, removeLabelled, type Removed } from "./labels.ts";

export async function collectGarbage(docker: Docker, isRunAlive: (runId: string) => boolean): Promise<Removed> {
  return removeLabelled(docker, { [RUN_LABEL]: null }, (labels) => !isRunAlive(labels[RUN_LABEL] ?? ""));
}
