/** Makes an image present on the daemon: a local copy wins, otherwise it is pulled. */
import type Docker from "dockerode";
import type { Credentials } from "./spec.ts";

export interface EnsureImageOptions {
  /** .slipway.yml `images:`: workflow image → image to use instead (e.g. a locally built stand-in). */
  aliases?: Record<string, string>;
  credentials?: Credentials;
  log: (line: string) => void;
}

export class ImageUnavailableError extends Error {
  constructor(
    readonly image: string,
    reason: string,
  ) {
    super(`image '${image}' is not on this machine and could not be pulled: ${reason}; build it with \`npm run images\` or map it in .slipway.yml \`images:\``);
    this.name = "ImageUnavailableError";
  }
}

/** The alias for `image`, also when the workflow leaves out the implied `:latest` (or the map does). */
export function resolveImage(image: string, aliases: Record<string, string> = {}): string {
  const tagged = hasTag(image) ? image : `${image}:latest`;
  const untagged = tagged.endsWith(":latest") ? tagged.slice(0, -7) : null;
  return aliases[image] ?? aliases[tagged] ?? (untagged !== null ? aliases[untagged] : undefined) ?? image;
}

function hasTag(image: string): boolean {
  if (image.includes("@")) return true;
  const last = image.split("/").pop() ?? image;
  return last.includes(":");
}

/** Returns the image actually used (after aliasing). */
export async function ensureImage(docker: Docker, image: string, opts: EnsureImageOptions): Promise<string> {
  const name = resolveImage(image, opts.aliases);
  if (name !== image) opts.log(`Using image '${name}' for '${image}' (images: in .slipway.yml)`);
  if (await imageExists(docker, name)) return name;
  opts.log(`Pulling image '${name}'`);
  try {
    await pull(docker, name, opts.credentials);
  } catch (e) {
    throw new ImageUnavailableError(name, pullReason(e));
  }
  return name;
}

/** Whether the daemon has the image; any answer but "not found" is an error. */
export async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

async function pull(docker: Docker, name: string, credentials: Credentials | undefined): Promise<void> {
  const authconfig = credentials ? { ...credentials, serveraddress: registryOf(name) } : undefined;
  const stream = (await docker.pull(name, authconfig ? { authconfig } : {})) as NodeJS.ReadableStream;
  await new Promise<void>((resolve, reject) => {
    // Pull errors (no such tag, denied) arrive as a message inside a 200 response.
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = events?.find((ev) => ev.error);
      if (err) reject(err);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    });
  });
}

/** The registry part of an image reference, as `docker login` names it. */
export function registryOf(image: string): string {
  const first = image.split("/")[0] ?? "";
  const isRegistry = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isRegistry ? first : "https://index.docker.io/v1/";
}

function pullReason(e: unknown): string {
  const err = e as { statusCode?: number; json?: { message?: string }; message?: string };
  // dockerode prefixes the daemon's message with "(HTTP code 500) server error - ".
  return (err.json?.message ?? err.message ?? String(e)).replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
}
