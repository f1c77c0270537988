/**
 * A job's `services:`: one container each on the job network, reachable by its id there and through
 * its published ports from the machine. Ready once every service with a healthcheck is healthy.
 */
import type Docker from "dockerode";
import { dockerClient, pingDocker } from "./client.ts";
import { ensureImage } from "./images.ts";
import { startContainer } from "./container.ts";
import { waitHealthy } from "./health.ts";
import { createJobNetwork, removeNetwork, type JobNetwork } from "./network.ts";
import { INSTANCE_LABEL, newOwner, removeLabelled, type Owner } from "./labels.ts";
import { publishedPorts } from "./ports.ts";
import { containerLogs } from "./demux.ts";
import type { ServicesSpec } from "./spec.ts";

export const SERVICE_LABEL = "org.slipway.service";

export interface ServicesInput {
  runId: string | number;
  jobKey: string;
  services: ServicesSpec;
  aliases?: Record<string, string>;
  log: (line: string) => void;
  docker?: Docker;
  /** Join this network (the job container's) instead of creating one; it is then not removed by stop(). */
  network?: JobNetwork;
  /** Share the job container's owner, so its teardown also finds the services. */
  owner?: Owner;
  signal?: AbortSignal;
}

/** One entry of `job.services`. */
export interface ServiceContext {
  id: string;
  network: string;
  /** container port → host port, e.g. {"5432": "5432"} or {"6379": "49154"}. */
  ports: Record<string, string>;
}

export interface StartedServices {
  context: Record<string, ServiceContext>;
  network: JobNetwork;
  /** Each service's output, for printing when the job ends. */
  logs(): Promise<Record<string, string>>;
  /** Removes the services (and the network when startServices created it); safe to call twice. */
  stop(): Promise<void>;
}

export async function startServices(input: ServicesInput): Promise<StartedServices> {
  const docker = input.docker ?? dockerClient();
  if (!input.docker) await pingDocker(docker);
  const owner = input.owner ?? newOwner(input.runId, input.jobKey);
  const ownNetwork = !input.network;
  let network: JobNetwork | undefined = input.network;
  const containers = new Map<string, Docker.Container>();
  const stop = async () => {
    await removeLabelled(docker, { [INSTANCE_LABEL]: owner.instance, [SERVICE_LABEL]: null });
    if (ownNetwork && network) await removeNetwork(docker, network);
  };
  try {
    network ??= await createJobNetwork(docker, owner);
    const joined = network;
    const context: Record<string, ServiceContext> = {};
    // Pull and start one after another: pull progress and errors stay readable.
    for (const [id, spec] of Object.entries(input.services)) {
      input.log(`Starting ${id} service container`);
      const image = await ensureImage(docker, spec.image, { aliases: input.aliases, credentials: spec.credentials, log: input.log });
      const { container } = await startContainer(docker, { role: id, image, spec, owner, network: joined.name, networkAliases: [id], labels: { [SERVICE_LABEL]: id } });
      containers.set(id, container);
      context[id] = { id: container.id, network: joined.name, ports: publishedPorts(await container.inspect()) };
    }
    await Promise.all([...containers].map(([id, c]) => waitHealthy(c, id, input.log, input.signal).then(() => input.log(`${id} service is healthy.`))));
    const logs = async () => Object.fromEntries(await Promise.all([...containers].map(async ([id, c]) => [id, await containerLogs(c).catch((e: Error) => `(logs unavailable: ${e.message})`)] as const)));
    return { context, network: joined, logs, stop };
  } catch (e) {
    await printLogs(containers, input.log);
    await stop().catch(() => undefined);
    throw e;
  }
}

/** On failure the services' own output usually says why (bad password, port in use, ...). */
async function printLogs(containers: Map<string, Docker.Container>, log: (line: string) => void): Promise<void> {
  for (const [id, c] of containers) {
    const text = await containerLogs(c).catch(() => "");
    if (!text.trim()) continue;
    log(`Logs of service ${id}:`);
    for (const line of text.trimEnd().split("\n")) log(line);
  }
}
