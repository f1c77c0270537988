/**
 * Everything Slipway creates on the daemon carries these labels, so a job can remove exactly its own
 * things at teardown and `slipway gc` can find what a crashed run left behind.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";

export const RUN_LABEL = "org.slipway.run";
export const JOB_LABEL = "org.slipway.job";
/** One job instance: jobKey may repeat across matrix legs or retries, this never does. */
export const INSTANCE_LABEL = "org.slipway.instance";

export interface Owner {
  runId: string | number;
  jobKey: string;
  instance: string;
}

export function newOwner(runId: string | number, jobKey: string): Owner {
  return { runId, jobKey, instance: randomBytes(6).toString("hex") };
}

export function ownerLabels(o: Owner): Record<string, string> {
  return { [RUN_LABEL]: String(o.runId), [JOB_LABEL]: o.jobKey, [INSTANCE_LABEL]: o.instance };
}

/** A daemon-safe name: `slipway_<run>_<job>_<what>_<instance>`. */
export function resourceName(o: Owner, what: string): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]+/g, "-").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 40);
  return ["slipway", clean(String(o.runId)), clean(o.jobKey), clean(what), o.instance].filter(Boolean).join("_");
}

export interface Removed {
  containers: number;
  networks: number;
  volumes: number;
}

/**
 * Removes the containers (with their anonymous volumes), then networks, then volumes that carry all
 * of `labels` (a null value matches any) and that `doomed` accepts. Things already gone are fine.
 */
export async function removeLabelled(docker: Docker, labels: Record<string, string | null>, doomed: (labels: Record<string, string>) => boolean = () => true): Promise<Removed> {
  const filters = JSON.stringify({ label: Object.entries(labels).map(([k, v]) => (v === null ? k : `${k}=${v}`)) });
  const removed: Removed = { containers: 0, networks: 0, volumes: 0 };
  for (const c of await docker.listContainers({ all: true, filters })) {
    if (!doomed(c.Labels ?? {})) continue;
    if (await gone(docker.getContainer(c.Id).remove({ force: true, v: true }))) removed.containers++;
  }
  for (const n of await docker.listNetworks({ filters })) {
    if (!doomed(n.Labels ?? {})) continue;
    if (await gone(docker.getNetwork(n.Id).remove())) removed.networks++;
  }
  const { Volumes } = await docker.listVolumes({ filters });
  for (const v of Volumes ?? []) {
    if (!doomed(v.Labels ?? {})) continue;
    if (await gone(docker.getVolume(v.Name).remove())) removed.volumes++;
  }
  return removed;
}

/** true when removed now, false when it was already gone or is being removed by someone else. */
async function gone(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    const code = (e as { statusCode?: number }).statusCode;
    if (code === 404 || code === 409) return false;
    throw e;
  }
}
