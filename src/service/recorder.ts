/** Records what the engine reports into the store: runs, jobs, steps and log lines, in batches. */
import os from "node:os";
import type { JobRecord, StepRecord, Store } from "../store/store.ts";
import type { JobRef, RunObserver } from "../run/observer.ts";
import type { JobReport, RunReport } from "../run/types.ts";
import type { LogEvent } from "../run/job/log.ts";

export class StoreRecorder implements RunObserver {
  private readonly jobIds = new Map<string, Promise<number>>();
  private buffer: Array<{ ref: JobRef; e: LogEvent; ts: string }> = [];
  private steps: Array<Omit<StepRecord, "jobId"> & { ref: JobRef }> = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private detached = false;
  /** Unfinished job rows of this attempt left by an earlier process, reused when the job runs again. */
  private readonly adoptable: Map<string, number>;

  /**
   * `attempt`: which run attempt the jobs recorded here belong to (a re-run records the next one).
   * `adopt`: rows of a resumed run's jobs that were waiting (for a review) when its server stopped.
   */
  constructor(private readonly store: Store, private readonly attempt = 1, adopt: readonly JobRecord[] = []) {
    this.adoptable = new Map(adopt.filter((j) => j.status !== "completed").map((j) => [`${j.jobId}\u0000${j.name}`, j.id]));
  }

  /**
   * Stops recording: what the engine reports from now on is dropped. For a run the server parks when it
   * stops (every job waiting for a review), so the store keeps it waiting for the next start to resume.
   */
  detach(): void {
    this.detached = true;
    this.buffer = [];
    this.steps = [];
  }

  async startRun(repo: string, workflowFile: string, workflowName: string, event: string, sha: string, ref: string, actor: string): Promise<{ runId: number; runNumber: number }> {
    const run = await this.store.createRun({ repo, workflowFile, workflowName, event, sha, ref, actor }, { pid: process.pid, host: os.hostname() });
    await this.store.updateRun(run.id, { status: "in_progress", startedAt: new Date().toISOString() });
    return { runId: run.id, runNumber: run.runNumber };
  }

  /** `reason`: why a cancelled run was cancelled, written with its result so no reader sees one without the other. */
  async finishRun(runId: number, report: RunReport, reason?: string): Promise<void> {
    await this.flush();
    if (this.detached) return;
    await this.store.updateRun(runId, { status: "completed", result: report.result, finishedAt: new Date().toISOString(), ...(reason ? { reason } : {}) });
  }

  private job(ref: JobRef): Promise<number> {
    const key = `${ref.runId}\u0000${ref.reportId}\u0000${JSON.stringify(ref.matrix)}\u0000${ref.name}`;
    let id = this.jobIds.get(key);
    const adopted = id ? undefined : this.adoptable.get(`${ref.reportId}\u0000${ref.name}`);
    if (!id && adopted !== undefined) {
      this.adoptable.delete(`${ref.reportId}\u0000${ref.name}`);
      id = Promise.resolve(adopted);
      this.jobIds.set(key, id);
    }
    if (!id) {
      id = this.store
        .createJob({ runId: ref.runId as number, key: `${ref.name}#${this.jobIds.size + 1}${this.attempt > 1 ? `@${this.attempt}` : ""}`, jobId: ref.reportId, name: ref.name, matrix: ref.matrix, needs: [], attempt: this.attempt })
        .then((j) => j.id);
      this.jobIds.set(key, id);
    }
    return id;
  }

  jobStarted(ref: JobRef): void {
    this.enqueue(async () => {
      const id = await this.job(ref);
      await this.store.updateJob(id, { status: "in_progress", startedAt: new Date().toISOString() });
    });
  }

  jobWaiting(ref: JobRef): void {
    this.enqueue(async () => {
      await this.store.updateJob(await this.job(ref), { status: "waiting" });
    });
  }

  log(ref: JobRef, e: LogEvent): void {
    if (ref.runId === null || this.detached) return;
    this.buffer.push({ ref, e, ts: new Date().toISOString() });
    this.schedule();
  }

  /** Writes go out in batches: every 50 ms, or at once when 500 lines are waiting. */
  private schedule(): void {
    if (this.buffer.length >= 500) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), 50);
  }

  stepStarted(ref: JobRef, index: number, name: string): void {
    this.steps.push({ ref, index, stepId: "", name, status: "in_progress", outcome: null, conclusion: null, startedAt: new Date().toISOString(), finishedAt: null });
    this.schedule();
  }

  stepFinished(ref: JobRef, index: number, name: string, id: string, outcome: JobReport["result"], conclusion: JobReport["result"]): void {
    this.steps.push({ ref, index, stepId: id, name, status: "completed", outcome, conclusion, startedAt: null, finishedAt: new Date().toISOString() });
    this.schedule();
  }

  jobFinished(ref: JobRef, report: JobReport): void {
    // The step summary is kept with the log, marked so a reader can render it apart.
    const ts = new Date().toISOString();
    for (const line of report.summary?.split("\n") ?? []) this.buffer.push({ ref, e: { kind: "info", text: `##[summary]${line}`, step: null }, ts });
    void this.flush();
    this.enqueue(async () => {
      const id = await this.job(ref);
      await this.store.updateJob(id, { status: "completed", result: report.result, reason: report.reason ?? null, outputs: report.outputs, finishedAt: new Date().toISOString() });
    });
  }

  runFinished(): void {}

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    const steps = this.steps;
    this.steps = [];
    if (steps.length) {
      this.enqueue(async () => {
        const records = await Promise.all(steps.map(async ({ ref, ...s }) => ({ ...s, jobId: await this.job(ref) })));
        await this.store.upsertSteps(records);
      });
    }
    if (batch.length) {
      this.enqueue(async () => {
        const lines = await Promise.all(batch.map(async (b) => ({ jobId: await this.job(b.ref), ts: b.ts, text: lineText(b.e), stepIndex: b.e.step })));
        await this.store.appendLogs(lines);
      });
    }
    return this.chain;
  }

  private enqueue(f: () => Promise<void>): void {
    if (this.detached) return;
    this.chain = this.chain.then(f).catch((e) => {
      process.stderr.write(`slipway: could not record to the store: ${(e as Error).message}\n`);
    });
  }
}

/** Stored lines keep GitHub's markers so a reader can rebuild groups and annotations. */
function lineText(e: LogEvent): string {
  switch (e.kind) {
    case "group":
      return `##[group]${e.text}`;
    case "endgroup":
      return "##[endgroup]";
    case "error":
    case "warning":
    case "notice":
    case "debug":
      return `##[${e.kind}]${e.text}`;
    case "command":
      return `[command]${e.text}`;
    default:
      return e.text;
  }
}
