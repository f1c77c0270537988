/**
 * Where a job runs, chosen from its `container:`, its `services:` and its runs-on platform: the host,
 * or a job container. Services run in Docker either way. What the job sees of it (`job.services`,
 * `job.container`, the base environment of its steps) comes from here.
 */
import os from "node:os";
import path from "node:path";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { sha256 } from "./sha256.ts";
import { evalTpl, type Contexts } from "../../expr/evaluate.ts";
import { HostExecutor } from "../executors/host.ts";
import type { Executor } from "../executors/executor.ts";
import type { DockerExecutor } from "../executors/docker/docker-executor.ts";
import type { StartedServices } from "../executors/docker/services.ts";
import { toContainerSpec, type ServicesSpec } from "../executors/docker/spec.ts";
import { CONTAINER_NODE, toContainerPath } from "../executors/docker/paths.ts";
import type { JobInstance } from "./job-runner.ts";
import type { RunSettings } from "./runtime.ts";

export interface JobEnvironment {
  executor: Executor;
  /** `job.container` and `job.services`, once started. */
  jobContext(): { container: { id: string; network: string }; services: Record<string, unknown> };
  /** The environment steps start from: the machine's on the host, the image's in a container. */
  baseEnv(): Record<string, string>;
  /** The Node.js that runs JavaScript actions, as the job's processes see it. */
  node: string;
  /** A folder on this machine as the job's processes see it (copied into the job when it must be). */
  execPath(hostPath: string): string;
  /** The network services run on, for Docker actions to join. */
  network(): string | null;
  /** Labels for containers the job's steps start (Docker actions), so clean-up finds them. */
  labels: Record<string, string>;
  /** Starts what the job needs; after this, the job context is complete. */
  start(): Promise<void>;
  /** Prints service logs and removes everything the job started. Safe to call more than once. */
  stop(print: (kind: "group" | "output" | "endgroup", text: string) => void): Promise<void>;
}

/** Docker's client and executor load only for jobs that need them: most runs never touch Docker. */
const docker = () => import("../executors/docker/docker-executor.ts");
const services = () => import("../executors/docker/services.ts");

/** `signal` aborts starting services (a cancelled or timed-out job does not wait for their health). */
export async function openJobEnvironment(inst: JobInstance, settings: RunSettings, log: (line: string) => void, signal: AbortSignal): Promise<JobEnvironment> {
  const ctx = inst.contexts;
  const container = evalContainer(inst, ctx);
  const serviceSpecs = evalServices(inst, ctx);
  const repo = String((ctx.github as { repository?: string }).repository ?? "repo").split("/").pop() || "repo";
  // The owning process is part of the label, so `slipway gc` knows what a dead Slipway left behind
  // even when several data dirs (or machines) share one Docker daemon.
  const runId = `${String((ctx.github as { run_id?: string }).run_id ?? "0")}@${os.hostname()}:${process.pid}`;
  const jobKey = path.basename(inst.workDir);
  if (container) {
    const { DockerExecutor } = await docker();
    const executor = new DockerExecutor({ runId, jobKey, container: toContainerSpec(container), services: serviceSpecs, hostRoot: inst.workDir, repo, aliases: settings.imageAliases, log, signal });
    return { ...dockerEnvironment(executor, inst.workDir), labels: stepLabels(runId, jobKey) };
  }
  return { ...hostEnvironment(inst, settings, serviceSpecs, runId, jobKey, log, signal), labels: stepLabels(runId, jobKey) };
}

/** `container:` from the job, else the image its runs-on platform maps to (`-P`, .slipway.yml). */
function evalContainer(inst: JobInstance, ctx: Contexts): unknown {
  if (inst.job.container !== null) {
    const v = evalTpl(inst.job.container, ctx);
    if (v !== null && v !== "" && !(typeof v === "object" && !Array.isArray(v) && !(v as { image?: unknown }).image)) return v;
  }
  return inst.platformImage ?? null;
}

function evalServices(inst: JobInstance, ctx: Contexts): ServicesSpec | undefined {
  if (inst.job.services === null) return undefined;
  const v = evalTpl(inst.job.services, ctx);
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: ServicesSpec = {};
  for (const [id, s] of Object.entries(v)) if (s) out[id] = toContainerSpec(s);
  return Object.keys(out).length ? out : undefined;
}

function stepLabels(runId: string, jobKey: string): Record<string, string> {
  return { "org.slipway.run": runId, "org.slipway.job": jobKey };
}

function hostEnvironment(inst: JobInstance, settings: RunSettings, specs: ServicesSpec | undefined, runId: string, jobKey: string, log: (l: string) => void, signal: AbortSignal): Omit<JobEnvironment, "labels"> {
  const executor = new HostExecutor({
    workspace: path.join(inst.workDir, "workspace"),
    temp: path.join(inst.workDir, "temp"),
    toolCache: path.join(settings.dataDir, "toolcache"),
    hostRoot: inst.workDir,
    hostWorkspace: path.join(inst.workDir, "workspace"),
    hostTemp: path.join(inst.workDir, "temp"),
  });
  let started: StartedServices | null = null;
  return {
    executor,
    node: process.execPath,
    execPath: (p) => p,
    network: () => started?.network.name ?? null,
    jobContext: () => ({ container: { id: "", network: started?.network.name ?? "" }, services: started?.context ?? {} }),
    baseEnv: () => machineEnv(),
    async start() {
      await executor.prepare();
      if (specs) started = await (await services()).startServices({ runId, jobKey, services: specs, aliases: settings.imageAliases, log, signal });
    },
    async stop(print) {
      if (started) {
        await printServiceLogs(await started.logs().catch(() => ({})), print);
        await started.stop();
        started = null;
      }
      await executor.teardown();
    },
  };
}

function dockerEnvironment(executor: DockerExecutor, hostRoot: string): Omit<JobEnvironment, "labels"> {
  return {
    executor,
    node: CONTAINER_NODE,
    execPath: (p) => toContainerPath(hostRoot, p) ?? toContainerPath(hostRoot, copyIntoJob(hostRoot, p)) ?? p,
    network: () => executor.containerContext.network || null,
    jobContext: () => ({ container: executor.containerContext, services: executor.services }),
    baseEnv: () => ({ ...executor.containerEnv }),
    start: () => executor.prepare(),
    async stop(print) {
      await printServiceLogs(await executor.serviceLogs().catch(() => ({})), print);
      await executor.teardown();
    },
  };
}

/** Actions cached outside the job folder are copied in, as GitHub puts them under /__w/_actions. */
function copyIntoJob(hostRoot: string, dir: string): string {
  const dest = path.join(hostRoot, "_actions", sha256().update(dir).digest("hex").slice(0, 16));
  if (!existsSync(dest)) {
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(dir, dest, { recursive: true });
  }
  return dest;
}

type Print = (kind: "group" | "output" | "endgroup", text: string) => void;

async function printServiceLogs(logs: Record<string, string>, print: Print): Promise<void> {
  for (const [id, text] of Object.entries(logs)) {
    if (!text.trim()) continue;
    print("group", `Service ${id} logs`);
    for (const line of text.trimEnd().split("\n")) print("output", line);
    print("endgroup", "");
  }
}

/** The machine's environment without Slipway's own or an outer runner's variables. */
export function machineEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(GITHUB_|RUNNER_|INPUT_|STATE_|SLIPWAY_)/.test(k)) out[k] = v;
  }
  return out;
}
