/**
 * Runs a job with `container:` as GitHub does: one long-lived container per job whose entrypoint
 * is `tail -f /dev/null`, the job's work folder mounted at /__w, every step a `docker exec`, and the
 * job's services beside it on a per-job network.
 */
import { existsSync, realpathSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type Docker from "dockerode";
import type { ExecRequest, ExecResult, Executor, JobPaths } from "../executor.ts";
import { dockerClient, pingDocker } from "./client.ts";
import { ensureImage } from "./images.ts";
import { startContainer } from "./container.ts";
import { createJobNetwork, type JobNetwork } from "./network.ts";
import { INSTANCE_LABEL, newOwner, removeLabelled, type Owner } from "./labels.ts";
import { startServices, type ServiceContext, type StartedServices } from "./services.ts";
import { execInContainer, runQuiet } from "./exec.ts";
import { containerLayout, CONTAINER_HOME, CONTAINER_WORK, type ContainerLayout } from "./paths.ts";
import { containerLogs } from "./demux.ts";
import type { ContainerSpec, ServicesSpec } from "./spec.ts";

export interface DockerExecutorInput {
  runId: string | number;
  /** Unique within the run for each job instance (matrix leg). */
  jobKey: string;
  container: ContainerSpec;
  services?: ServicesSpec;
  /** The job's folder on this machine; mounted as /__w and removed at teardown. */
  hostRoot: string;
  /** Workspace folder name: the workspace is /__w/<repo>/<repo>. Default "workspace". */
  repo?: string;
  /** A folder on this machine to mount read-only at /__e. */
  externals?: string;
  /**
   * A node binary on this machine, mounted read-only at CONTAINER_NODE for JavaScript actions.
   * Defaults to the node running Slipway (glibc images only, like GitHub's node20); null: none.
   */
  node?: string | null;
  aliases?: Record<string, string>;
  log: (line: string) => void;
  /** Defaults to dockerClient(); tests and the engine may share one. */
  docker?: Docker;
  /** Aborts waiting for services to become healthy (the job was cancelled or timed out). */
  signal?: AbortSignal;
}

export class DockerExecutor implements Executor {
  readonly name = "docker";
  readonly paths: JobPaths;
  private readonly layout: ContainerLayout;
  private readonly owner: Owner;
  private readonly docker: Docker;
  private container: Docker.Container | null = null;
  private network: JobNetwork | null = null;
  private started: StartedServices | null = null;
  private torn = false;
  /** The container's own environment (image ENV plus `env:`), e.g. its PATH, once prepared. */
  containerEnv: Record<string, string> = {};

  constructor(private readonly input: DockerExecutorInput) {
    const node = input.node === undefined ? realpathSync(process.execPath) : input.node;
    this.layout = containerLayout(input.hostRoot, input.repo ?? "workspace", input.externals, node);
    this.paths = this.layout.paths;
    this.owner = newOwner(input.runId, input.jobKey);
    this.docker = input.docker ?? dockerClient();
  }

  /** `job.services` once prepared. */
  get services(): Record<string, ServiceContext> {
    return this.started?.context ?? {};
  }

  /** `job.container`: {id, network} once prepared. */
  get containerContext(): { id: string; network: string } {
    return { id: this.container?.id ?? "", network: this.network?.name ?? "" };
  }

  async prepare(): Promise<void> {
    await pingDocker(this.docker);
    const l = this.layout;
    await Promise.all([this.paths.hostWorkspace, l.hostHome, l.hostWorkflow, l.hostTools].map((d) => mkdir(d, { recursive: true })));
    this.network = await createJobNetwork(this.docker, this.owner);
    if (this.input.services && Object.keys(this.input.services).length) {
      this.started = await startServices({ ...this.input, services: this.input.services, docker: this.docker, network: this.network, owner: this.owner });
    }
    const spec = this.input.container;
    const image = await ensureImage(this.docker, spec.image, { aliases: this.input.aliases, credentials: spec.credentials, log: this.input.log });
    this.input.log(`Starting job container (${image})`);
    const { container } = await startContainer(this.docker, {
      role: "job",
      image,
      spec,
      owner: this.owner,
      network: this.network.name,
      networkAliases: [],
      binds: [...l.binds, ...(await this.dockerSocketBind())],
      env: { HOME: CONTAINER_HOME },
      entrypoint: ["tail"],
      cmd: ["-f", "/dev/null"],
      workdir: this.paths.workspace,
    });
    this.container = container;
    const info = await container.inspect();
    if (!info.State.Running) {
      const logs = await containerLogs(container).catch(() => "");
      throw new Error(`the job container exited at once (code ${info.State.ExitCode})${logs ? `: ${logs.trim()}` : ""}`);
    }
    this.containerEnv = Object.fromEntries((info.Config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  }

  /** GitHub gives job containers the Docker socket; only possible when the daemon is local. */
  private async dockerSocketBind(): Promise<string[]> {
    const raw = (this.docker.modem as { socketPath?: unknown }).socketPath;
    const socket = typeof raw === "function" ? await (raw as () => string | Promise<string>)() : raw;
    return typeof socket === "string" && existsSync(socket) ? [`${socket}:/var/run/docker.sock`] : [];
  }

  exec(req: ExecRequest): Promise<ExecResult> {
    if (!this.container) return Promise.reject(new Error("the job container is not running"));
    return execInContainer(this.docker, this.container, req);
  }

  async which(program: string, envPath: string): Promise<string | null> {
    if (!this.container) return null;
    const PATH = envPath || this.containerEnv.PATH || "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    const r = await runQuiet(this.container, ["sh", "-c", 'command -v "$1"', "slipway-which", program], undefined, [`PATH=${PATH}`]);
    const found = r.stdout.trim();
    // `command -v` names builtins and aliases without a slash; only real programs count.
    return r.exitCode === 0 && found.startsWith("/") ? found : null;
  }

  /** Logs of the services, for printing when the job ends. */
  async serviceLogs(): Promise<Record<string, string>> {
    return this.started ? this.started.logs() : {};
  }

  async teardown(): Promise<void> {
    if (this.torn) return;
    this.torn = true;
    await this.removeHostRoot();
    try {
      await removeLabelled(this.docker, { [INSTANCE_LABEL]: this.owner.instance });
    } catch (e) {
      this.input.log(`Could not remove the job's containers: ${(e as Error).message}`);
    }
    this.container = null;
    this.started = null;
    this.network = null;
  }

  /** Files the container wrote as root may be beyond Slipway's reach; the container can remove them. */
  private async removeHostRoot(): Promise<void> {
    const root = this.input.hostRoot;
    const ok = await rm(root, { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (ok || !this.container) return;
    await runQuiet(this.container, ["sh", "-c", `rm -rf ${CONTAINER_WORK}/..?* ${CONTAINER_WORK}/.[!.]* ${CONTAINER_WORK}/*`], "0").catch(() => undefined);
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}
