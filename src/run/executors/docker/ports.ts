/** `ports:` entries as the docker CLI's `-p` reads them, for the Engine API. */
import type Docker from "dockerode";

interface Binding {
  HostIp: string;
  HostPort: string;
}

export interface PortConfig {
  ExposedPorts: Record<string, object>;
  PortBindings: Record<string, Binding[]>;
}

/** "ip:host:container[/proto]", "host:container", "container"; an empty host port means any free one. */
export function parsePorts(ports: string[]): PortConfig {
  const out: PortConfig = { ExposedPorts: {}, PortBindings: {} };
  for (const raw of ports) {
    const [spec = "", proto = "tcp"] = raw.trim().split("/");
    const parts = spec.split(":");
    const container = parts.pop() ?? "";
    const hostPort = parts.pop() ?? "";
    const hostIp = parts.join(":").replace(/^\[|\]$/g, "");
    if (!/^\d+$/.test(container) || (hostPort !== "" && !/^\d+$/.test(hostPort))) {
      throw new Error(`invalid port mapping '${raw}': expected [ip:][hostPort:]containerPort[/protocol]`);
    }
    const key = `${container}/${proto}`;
    out.ExposedPorts[key] = {};
    (out.PortBindings[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  }
  return out;
}

/**
 * container port → host port as GitHub's `job.services.<id>.ports` shows them (protocol dropped,
 * first binding wins: Docker reports IPv4 and IPv6 bindings of one port separately).
 */
export function publishedPorts(info: Docker.ContainerInspectInfo): Record<string, string> {
  const out: Record<string, string> = {};
  const ports = (info.NetworkSettings?.Ports ?? {}) as Record<string, Binding[] | null>;
  for (const [key, bindings] of Object.entries(ports)) {
    const port = key.split("/")[0] ?? key;
    const first = bindings?.find((b) => b.HostPort);
    if (first && !(port in out)) out[port] = first.HostPort;
  }
  return out;
}
