/** Runs a job's processes directly on this machine, each step in its own process group. */
import { spawn, type ChildProcess } from "node:child_process";
import { forgetGroup, recordGroup } from "./step-ledger.ts";
import { Socket } from "node:net";
import { closeSync, openSync } from "node:fs";
import { acquireFifos, discardFifos, releaseFifos, type FifoPair } from "./fifo-pool.ts";
import { mkdir, rm } from "node:fs/promises";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { eachLine } from "./lines.ts";
import type { ExecRequest, ExecResult, Executor, JobPaths } from "./executor.ts";

export class HostExecutor implements Executor {
  readonly name = "host";
  /** Process groups started by this job; whatever is left of them dies with the job. */
  private readonly groups = new Set<number>();
  private fifos: FifoPair | null = null;
  constructor(readonly paths: JobPaths) {}

  async prepare(): Promise<void> {
    await Promise.all([mkdir(this.paths.hostWorkspace, { recursive: true }), mkdir(this.paths.hostTemp, { recursive: true })]);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (req.signal.aborted) return { exitCode: 1, aborted: true };
    const { pair, out, err } = await this.openPipes();
    const r = await this.spawnWith(req, out, err);
    if (r.leftWriters) {
      // A background process of this step still holds the pipes: the next step gets fresh ones, so
      // that process's later output is not credited to it.
      discardFifos(pair);
      this.fifos = null;
    }
    return { exitCode: r.exitCode, aborted: r.aborted };
  }

  /** This job's pair, opened; a pair that cannot be opened (damaged since it was made) is replaced once. */
  private async openPipes(): Promise<{ pair: FifoPair; out: OpenFifo; err: OpenFifo }> {
    for (let attempt = 0; ; attempt++) {
      if (!this.fifos) this.fifos = await acquireFifos();
      const pair = this.fifos;
      let out: OpenFifo | null = null;
      try {
        out = openFifo(pair.out);
        return { pair, out, err: openFifo(pair.err) };
      } catch (e) {
        if (out) closeFifo(out);
        discardFifos(pair);
        this.fifos = null;
        if (attempt > 0) throw e;
      }
    }
  }

  private spawnWith(req: ExecRequest, out: OpenFifo, err: OpenFifo): Promise<ExecResult & { leftWriters: boolean }> {
    return new Promise((resolve, reject) => {
      const [cmd, ...args] = req.argv;
      let child: ChildProcess;
      try {
        // detached: the step gets its own process group, so cancelling kills its whole tree.
        child = spawn(cmd as string, args, { cwd: req.cwd, env: req.env, detached: true, stdio: ["ignore", out.writer, err.writer] });
      } finally {
        // Only the child (and what it starts) may hold the write ends, so its exit brings EOF.
        closeSync(out.writer);
        closeSync(err.writer);
      }
      let aborted = false;
      const kill = () => {
        aborted = true;
        killGroup(child.pid, "SIGTERM");
        setTimeout(() => killGroup(child.pid, "SIGKILL"), 2500).unref();
      };
      req.signal.addEventListener("abort", kill, { once: true });
      let open = 2;
      let exitCode: number | null = null;
      let settled = false;
      const finish = (force = false) => {
        if (settled || exitCode === null || (open > 0 && !force)) return;
        settled = true;
        req.signal.removeEventListener("abort", kill);
        out.reader.destroy();
        err.reader.destroy();
        resolve({ exitCode, aborted, leftWriters: open > 0 });
      };
      for (const [stream, name] of [[out.reader, "stdout"], [err.reader, "stderr"]] as const) {
        eachLine(
          stream,
          (l) => req.onLine(l, name),
          () => {
            open--;
            finish();
          },
        );
      }
      child.on("error", (e) => {
        if (settled) return;
        settled = true;
        req.signal.removeEventListener("abort", kill);
        out.reader.destroy();
        err.reader.destroy();
        reject(e);
      });
      if (child.pid) {
        this.groups.add(child.pid);
        liveGroups.add(child.pid);
        recordGroup(child.pid);
      }
      child.on("exit", (code, sig) => {
        exitCode = code ?? (sig ? 128 + signalNumber(sig) : 1);
        // A background process the step started may keep the pipes open; it may live on (as on
        // GitHub, until the job ends) but the step is done once its shell has exited.
        setTimeout(() => finish(true), 200).unref();
        finish();
      });
    });
  }

  async which(program: string, envPath: string): Promise<string | null> {
    if (program.includes("/")) return isExecutable(program) ? program : null;
    for (const dir of envPath.split(path.delimiter)) {
      if (!dir) continue;
      const p = path.join(dir, program);
      if (isExecutable(p)) return p;
    }
    return null;
  }

  async teardown(): Promise<void> {
    for (const pid of this.groups) {
      killGroup(pid, "SIGKILL");
      liveGroups.delete(pid);
      forgetGroup(pid);
    }
    this.groups.clear();
    if (this.fifos) releaseFifos(this.fifos);
    this.fifos = null;
    await rm(this.paths.hostRoot, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Every step process group this Slipway started and has not reaped: killed if Slipway exits. */
const liveGroups = new Set<number>();

/** Kills every step's process tree at once; for a forced exit (second Ctrl-C) and on the way out. */
export function killAllSteps(): void {
  for (const pid of liveGroups) killGroup(pid, "SIGKILL");
  liveGroups.clear();
}

process.on("exit", killAllSteps);

interface OpenFifo {
  reader: Socket;
  writer: number;
}

/** The read end first (non-blocking, so opening does not wait), then the write end for the child. */
function openFifo(file: string): OpenFifo {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const reader = new Socket({ fd, readable: true, writable: false });
  return { reader, writer: openSync(file, constants.O_WRONLY) };
}

function closeFifo(f: OpenFifo): void {
  f.reader.destroy();
  closeSync(f.writer);
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    /* already gone */
  }
}

function signalNumber(sig: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[sig] ?? 1;
}
