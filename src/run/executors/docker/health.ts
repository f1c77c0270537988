/**
 * Waits for a started service the way GitHub does: a container without a healthcheck is ready at
 * once; one with a healthcheck (from `options` or the image) must reach "healthy".
 */
import type Docker from "dockerode";

const NS = 1e9;
/** Docker's healthcheck defaults, in seconds. */
const DEFAULTS = { interval: 30, timeout: 30, retries: 3, startPeriod: 0 };
/** Time beyond what Docker itself needs to declare the container unhealthy. */
const MARGIN_MS = 30_000;

export class ServiceUnhealthyError extends Error {
  constructor(
    readonly service: string,
    readonly detail: string,
  ) {
    super(`service '${service}' did not become healthy: ${detail}`);
    this.name = "ServiceUnhealthyError";
  }
}

type Healthcheck = { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };

/** How long Docker may take to mark this healthcheck healthy or unhealthy, plus a margin. */
export function healthDeadlineMs(hc: Healthcheck): number {
  const s = (ns: number | undefined, d: number) => (ns ? ns / NS : d);
  const interval = s(hc.Interval, DEFAULTS.interval);
  const timeout = s(hc.Timeout, DEFAULTS.timeout);
  const retries = hc.Retries || DEFAULTS.retries;
  return (s(hc.StartPeriod, DEFAULTS.startPeriod) + retries * (interval + timeout)) * 1000 + MARGIN_MS;
}

export async function waitHealthy(container: Docker.Container, service: string, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  let info = await container.inspect();
  const hc = info.Config.Healthcheck as Healthcheck | undefined;
  if (!hc?.Test?.length || hc.Test[0] === "NONE") return;
  const deadline = Date.now() + healthDeadlineMs(hc);
  let delay = 250;
  let said = false;
  for (;;) {
    const status = info.State.Health?.Status;
    if (status === "healthy") return;
    if (!info.State.Running) throw new ServiceUnhealthyError(service, `its container exited with code ${info.State.ExitCode}`);
    if (status === "unhealthy") throw new ServiceUnhealthyError(service, `health check failed: ${lastOutput(info)}`);
    if (Date.now() > deadline) throw new ServiceUnhealthyError(service, `still '${status}' after ${Math.round(healthDeadlineMs(hc) / 1000)} s; last health check output: ${lastOutput(info)}`);
    if (signal?.aborted) throw new Error(`cancelled while waiting for service '${service}'`);
    if (!said) log(`${service} service is starting, waiting for it to become healthy`);
    said = true;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2000);
    info = await container.inspect();
  }
}

function lastOutput(info: Docker.ContainerInspectInfo): string {
  const entries = info.State.Health?.Log ?? [];
  const last = entries[entries.length - 1];
  if (!last) return "(no health check has finished yet)";
  const out = last.Output.trim();
  return `exit code ${last.ExitCode}${out ? `, output: ${out}` : ", no output"}`;
}
