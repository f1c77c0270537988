/**
 * Runs one container to completion the way `docker run --rm` does: output streamed line by line,
 * the exit code returned, the container removed whatever happens.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { pumpLines } from "../../executors/docker/exec.ts";

/** An aborted action gets SIGTERM, then SIGKILL after this many seconds (`docker stop -t`). */
const STOP_GRACE_S = 2;
/** Output still in flight when the container has exited; after this we stop waiting for it. */
const DRAIN_MS = 2000;

export interface ContainerRun {
  image: string;
  /** Human-readable part of the container's name. */
  label: string;
  entrypoint?: string;
  args: string[];
  env: Record<string, string>;
  workdir: string;
  binds: string[];
  network?: string;
  labels: Record<string, string>;
  onLine: (line: string, stream: "stdout" | "stderr") => void;
  signal: AbortSignal;
}

export async function runContainer(docker: Docker, run: ContainerRun): Promise<{ exitCode: number; aborted: boolean }> {
  if (run.signal.aborted) return { exitCode: 1, aborted: true };
  const container = await docker.createContainer(createOptions(run));
  let stopping: Promise<unknown> | null = null;
  const onAbort = () => {
    stopping = container.stop({ t: STOP_GRACE_S }).catch(() => undefined);
  };
  try {
    // Attach before start so that no early output is lost.
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const drained = pumpLines(docker, stream, run.onLine);
    if (run.signal.aborted) return { exitCode: 1, aborted: true };
    run.signal.addEventListener("abort", onAbort, { once: true });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await Promise.race([drained, delay(DRAIN_MS)]);
    if (stopping) await stopping;
    return { exitCode: StatusCode, aborted: run.signal.aborted };
  } finally {
    run.signal.removeEventListener("abort", onAbort);
    await container.remove({ force: true, v: true }).catch((e: { statusCode?: number }) => {
      // 404: already gone; 409: removal already under way.
      if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
    });
  }
}

function createOptions(run: ContainerRun): Docker.ContainerCreateOptions {
  const env: Record<string, string> = { ...run.env, GITHUB_ACTIONS: "true" };
  if (!("CI" in run.env)) env.CI = "true";
  return {
    name: containerName(run.label),
    Image: run.image,
    // `docker run --entrypoint X` takes X as one program, never split into words.
    Entrypoint: run.entrypoint ? [run.entrypoint] : undefined,
    // Empty: the image's CMD, unless the entrypoint was overridden (the daemon drops it then).
    Cmd: run.args.length ? run.args : undefined,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: run.workdir,
    Labels: run.labels,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: { Binds: run.binds, NetworkMode: run.network },
  };
}

function containerName(label: string): string {
  const clean = label.replace(/[^a-zA-Z0-9_.-]+/g, "_").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 60);
  return `slipway-action_${clean}_${randomBytes(3).toString("hex")}`;
}


function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
