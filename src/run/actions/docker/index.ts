/**
 * Docker container actions (`runs.using: docker`) and `uses: docker://image` steps, run as GitHub's
 * runner runs them: a fresh container per step with the workspace at /github/workspace (the working
 * directory), command files at /github/file_commands, HOME at /github/home, the event at
 * /github/workflow/event.json and the Docker socket, on the job's network when it has one.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import { connectDocker } from "../../executors/docker/client.ts";
import { ensureImage } from "../../executors/docker/images.ts";
import { actionImage } from "./build.ts";
import { parseImageRef } from "./image-ref.ts";
import { actionLayout, WORKSPACE } from "./layout.ts";
import { runContainer } from "./run-container.ts";

export { ActionBuildError, ACTION_IMAGE_LABEL, ACTION_IMAGE_REPO } from "./build.ts";
export { parseImageRef, type ImageRef } from "./image-ref.ts";

export interface DockerActionRun {
  /** "docker://alpine:3" | "Dockerfile" | "path/Dockerfile" (relative to actionDir) | a plain image name. */
  image: string;
  /** Host path of the action's folder; null for `uses: docker://`. */
  actionDir: string | null;
  /** runs.entrypoint, or pre-/post-entrypoint for those phases. */
  entrypoint?: string;
  /** Already evaluated. */
  args: string[];
  /** What the container must see, with paths as this machine sees them; rewritten here. */
  env: Record<string, string>;
  /** Mounted at /github/workspace. */
  hostWorkspace: string;
  /** RUNNER_TEMP, holding the command files. */
  hostTemp: string;
  eventPath: string;
  network?: string;
  labels: Record<string, string>;
  aliases?: Record<string, string>;
  onLine: (line: string, stream: "stdout" | "stderr") => void;
  /** Aborting stops and removes the container. */
  signal: AbortSignal;
  /** Progress: pulling, building, reusing an image. */
  log: (line: string) => void;
}

/**
 * A non-zero exit is a result. Throws (DockerUnavailableError, ImageUnavailableError,
 * ActionBuildError, or an Error naming the image) when the container cannot be run at all.
 */
export async function runDockerAction(run: DockerActionRun): Promise<{ exitCode: number; aborted: boolean }> {
  const docker = await connectDocker();
  const image = await prepareImage(docker, run);
  if (run.signal.aborted) return { exitCode: 1, aborted: true };
  const layout = actionLayout({ env: run.env, hostWorkspace: run.hostWorkspace, hostTemp: run.hostTemp, eventPath: existsSync(run.eventPath) ? run.eventPath : null });
  await mkdir(layout.hostHome, { recursive: true });
  try {
    return await runContainer(docker, {
      image,
      label: run.image.replace(/^docker:\/\//i, ""),
      entrypoint: run.entrypoint,
      args: run.args,
      env: layout.env,
      workdir: WORKSPACE,
      binds: [...layout.binds, ...(await socketBind(docker))],
      network: run.network,
      labels: run.labels,
      onLine: run.onLine,
      signal: run.signal,
    });
  } catch (e) {
    throw new Error(`could not run the container for '${run.image}': ${daemonMessage(e)}`, { cause: e });
  }
}

/** The image to run, pulled or built as needed. */
async function prepareImage(docker: Docker, run: DockerActionRun): Promise<string> {
  const ref = parseImageRef(run.image);
  if (ref.kind === "registry") return ensureImage(docker, ref.name, { aliases: run.aliases, log: run.log });
  if (!run.actionDir) throw new Error(`'${run.image}' names a Dockerfile, but the step has no action folder to build it from`);
  return actionImage(docker, run.actionDir, ref.path, run.log, run.signal);
}

/**
 * GitHub hands container actions the Docker socket; we can when we talk to a local one. A missing
 * bind source would be created as a directory (or fail, rootless), so the socket must exist here.
 */
async function socketBind(docker: Docker): Promise<string[]> {
  const found = (docker.modem as { socketPath?: unknown }).socketPath;
  const socket = typeof found === "function" ? await (found as () => Promise<string>)() : found;
  if (typeof socket !== "string" || !path.isAbsolute(socket) || !existsSync(socket)) return [];
  // Docker Desktop's per-user socket lives on the Mac/Windows side; in its VM the daemon is at the usual path.
  const source = socket.endsWith(`${path.sep}.docker${path.sep}run${path.sep}docker.sock`) ? "/var/run/docker.sock" : socket;
  return [`${source}:/var/run/docker.sock`];
}

function daemonMessage(e: unknown): string {
  const err = e as { json?: { message?: string }; message?: string };
  return (err.json?.message ?? err.message ?? String(e)).replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
}
