/**
 * Builds a docker action's image from its Dockerfile, tagged by the content of the build context so
 * that pre, main and post, later steps and later runs reuse it until a file changes.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { imageExists } from "../../executors/docker/images.ts";
import { hashContext } from "./content-hash.ts";

export const ACTION_IMAGE_REPO = "slipway-action";
/** On every image Slipway builds for an action, so they can be listed and pruned. */
export const ACTION_IMAGE_LABEL = "org.slipway.action-image";

export class ActionBuildError extends Error {
  constructor(dockerfile: string, reason: string) {
    super(`building the image for the Docker action from '${dockerfile}' failed: ${reason}`);
    this.name = "ActionBuildError";
  }
}

/** Builds running in this process, by tag: parallel jobs using one action build it once. */
const building = new Map<string, Promise<void>>();

/**
 * `dockerfile` is relative to `actionDir`. As GitHub's runner does, the Dockerfile's own folder is
 * the build context. Returns the image tag.
 */
export async function actionImage(docker: Docker, actionDir: string, dockerfile: string, log: (line: string) => void, signal?: AbortSignal): Promise<string> {
  const file = path.resolve(actionDir, dockerfile);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ActionBuildError(file, "the Dockerfile does not exist");
  const context = path.dirname(file);
  const { files, hash } = await hashContext(context, path.basename(file));
  const tag = `${ACTION_IMAGE_REPO}:${hash}`;
  if (await imageExists(docker, tag)) {
    log(`Using image ${tag} built earlier from ${file}`);
    return tag;
  }
  let pending = building.get(tag);
  if (!pending) {
    pending = build(docker, { context, dockerfile: path.basename(file), files, tag, log }).finally(() => building.delete(tag));
    building.set(tag, pending);
  }
  // An aborted step stops waiting but lets the build finish: other steps may share it, and the
  // image is cached for the next run anyway.
  await Promise.race([pending, aborted(signal)]);
  return tag;
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}


interface BuildJob {
  context: string;
  dockerfile: string;
  files: string[];
  tag: string;
  log: (line: string) => void;
}

async function build(docker: Docker, job: BuildJob): Promise<void> {
  const where = path.join(job.context, job.dockerfile);
  job.log(`Building Docker image ${job.tag} from ${where}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(
      { context: job.context, src: job.files },
      { t: job.tag, dockerfile: job.dockerfile, forcerm: true, labels: { [ACTION_IMAGE_LABEL]: "true" } },
    );
  } catch (e) {
    throw new ActionBuildError(where, daemonMessage(e));
  }
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onEvent = (ev: BuildEvent) => {
      for (const line of (ev.stream ?? "").split("\n")) {
        if (!line.trim()) continue;
        job.log(line);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    // A failing instruction arrives as an `error` event inside a 200 response.
    docker.modem.followProgress(stream, (err: Error | null, events: BuildEvent[]) => {
      const failed = events?.find((ev) => ev.error);
      if (err) reject(new ActionBuildError(where, daemonMessage(err)));
      else if (failed) reject(new ActionBuildError(where, `${failed.error}${tail.length ? `\n${tail.join("\n")}` : ""}`));
      else resolve();
    }, onEvent);
  });
}

interface BuildEvent {
  stream?: string;
  error?: string;
}

function daemonMessage(e: unknown): string {
  const err = e as { json?: { message?: string }; message?: string };
  return (err.json?.message ?? err.message ?? String(e)).replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
}
