/** Connects to the Docker Engine API; the daemon is found the way the docker CLI finds it. */
import Docker from "dockerode";

export class DockerUnavailableError extends Error {
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`Docker is not running or not reachable at ${address}: ${reason}`);
    this.name = "DockerUnavailableError";
  }
}

/** The part of DOCKER_HOST we read ourselves; ssh://, npipe:// and TLS setups go to dockerode's defaults. */
function explicitOptions(host: string | undefined): Docker.DockerOptions | null {
  if (!host) return null;
  if (host.startsWith("unix://")) return host.length > 7 ? { socketPath: host.slice(7) } : null;
  if (host.startsWith("tcp://")) {
    const url = new URL(`http://${host.slice(6)}`);
    // 2376 is Docker's TLS port; certificates come from DOCKER_CERT_PATH, which dockerode reads.
    if (url.port === "2376") return null;
    return { protocol: "http", host: url.hostname, port: url.port || "2375" };
  }
  return null;
}

/** Where a client built from this environment will knock, for error messages. */
export function dockerAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || "unix:///var/run/docker.sock";
}

/**
 * A client for the daemon named by DOCKER_HOST (unix:// or tcp://), else dockerode's default, which
 * also finds ~/.docker/run/docker.sock; Podman works through its Docker-compatible socket.
 */
export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const explicit = explicitOptions(env.DOCKER_HOST);
  return explicit ? new Docker(explicit) : new Docker();
}

/** Pings the daemon; a daemon that is down or wrong answers with DockerUnavailableError. */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<Docker> {
  const address = dockerAddress(env);
  let docker: Docker;
  try {
    docker = dockerClient(env);
  } catch (e) {
    throw new DockerUnavailableError(address, (e as Error).message);
  }
  await pingDocker(docker, address, timeoutMs);
  return docker;
}

/** The address a client talks to, as DOCKER_HOST would spell it. */
export function describeDocker(docker: Docker): string {
  const m = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  if (typeof m.socketPath === "string") return `unix://${m.socketPath}`;
  if (m.host) return `${m.protocol === "https" ? "tcp+tls" : "tcp"}://${m.host}${m.port ? `:${m.port}` : ""}`;
  return "the default Docker socket";
}

export async function pingDocker(docker: Docker, address = describeDocker(docker), timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (e) {
    throw new DockerUnavailableError(address, reason(e));
  } finally {
    clearTimeout(timer);
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { statusCode?: number };
  if (err.code === "ENOENT") return "no socket at that path (ENOENT)";
  if (err.code === "EACCES") return "permission denied on the socket (EACCES); is this user in the docker group?";
  if (err.statusCode) return `the daemon answered HTTP ${err.statusCode}: ${err.message}`;
  return err.message ?? String(e);
}
