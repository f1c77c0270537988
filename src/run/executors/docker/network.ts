/** The per-job user-defined bridge network: containers on it reach services by their ids. */
import type Docker from "dockerode";
import { ownerLabels, resourceName, type Owner } from "./labels.ts";

export interface JobNetwork {
  name: string;
  id: string;
}

export async function createJobNetwork(docker: Docker, owner: Owner): Promise<JobNetwork> {
  const name = resourceName(owner, "network");
  const net = await docker.createNetwork({ Name: name, Driver: "bridge", CheckDuplicate: true, Labels: ownerLabels(owner) });
  return { name, id: net.id };
}

export async function removeNetwork(docker: Docker, network: JobNetwork): Promise<void> {
  try {
    await docker.getNetwork(network.id).remove();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
}
