/** Creates and starts one container of a job (a service or the job container) from its spec. */
import type Docker from "dockerode";
import type { ContainerSpec } from "./spec.ts";
import { parseOptions, type ParsedOptions } from "./options.ts";
import { parsePorts } from "./ports.ts";
import { ownerLabels, resourceName, type Owner } from "./labels.ts";

export const ROLE_LABEL = "org.slipway.role";

export interface ContainerPlan {
  /** Used in the container's name: the service id, or "job". */
  role: string;
  /** The image to run, already resolved and present. */
  image: string;
  spec: ContainerSpec;
  owner: Owner;
  /** More labels, e.g. which service this is. */
  labels?: Record<string, string>;
  network: string;
  networkAliases: string[];
  /** Slipway's own mounts ("host:container[:ro]"). */
  binds?: string[];
  /** Slipway's own variables; they win over the user's, as HOME does on GitHub. */
  env?: Record<string, string>;
  /** Overrides the image's and the user's entrypoint (the job container's keep-alive). */
  entrypoint?: string[];
  cmd?: string[];
  workdir?: string;
}

export interface StartedContainer {
  container: Docker.Container;
  options: ParsedOptions;
}

export async function startContainer(docker: Docker, plan: ContainerPlan): Promise<StartedContainer> {
  const options = parseOptions(plan.spec.options);
  const ports = parsePorts(plan.spec.ports ?? []);
  const labels = { ...options.labels, ...plan.labels, ...ownerLabels(plan.owner), [ROLE_LABEL]: plan.role };
  const volumes = await userVolumes(docker, plan, labels);
  const env: Record<string, string> = { ...options.env, ...plan.spec.env, GITHUB_ACTIONS: "true", ...plan.env };
  if (!("CI" in env)) env.CI = "true";
  const create: Docker.ContainerCreateOptions = {
    name: resourceName(plan.owner, plan.role),
    Image: plan.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ExposedPorts: ports.ExposedPorts,
    WorkingDir: options.workdir ?? plan.workdir,
    User: options.user,
    Hostname: options.hostname,
    Healthcheck: options.healthcheck,
    Entrypoint: plan.entrypoint ?? options.entrypoint,
    Cmd: plan.cmd,
    HostConfig: {
      ...options.host,
      Binds: [...(plan.binds ?? []), ...volumes],
      PortBindings: ports.PortBindings,
      NetworkMode: plan.network,
    },
    NetworkingConfig: { EndpointsConfig: { [plan.network]: { Aliases: [...plan.networkAliases, ...options.networkAliases] } } },
  };
  const container = await docker.createContainer(create);
  await container.start();
  return { container, options };
}

/**
 * `volumes:` as binds. An anonymous volume ("/data") becomes a labelled named volume, so that
 * teardown and `slipway gc` find it even when its container is already gone.
 */
async function userVolumes(docker: Docker, plan: ContainerPlan, labels: Record<string, string>): Promise<string[]> {
  const binds: string[] = [];
  for (const [i, v] of (plan.spec.volumes ?? []).entries()) {
    if (v.includes(":")) {
      binds.push(v);
      continue;
    }
    const name = resourceName(plan.owner, `${plan.role}-vol${i}`);
    await docker.createVolume({ Name: name, Labels: labels });
    binds.push(`${name}:${v}`);
  }
  return binds;
}
