/**
 * Starts, cancels and re-runs the server's runs on the one engine `slipway run` uses. A run is created
 * (queued) by the trigger queue; `start` loads everything it needs from the store (run, trigger,
 * repository, the commit's checkout), so a first start and a re-run after a restart take the same path.
 * Slots and concurrency groups are shared by every run of the server.
 */
import path from "node:path";
import { InternalError } from "../../common/errors.ts";
import { runEvent, type CarriedJob } from "../../run/engine.ts";
import { ConcurrencyGroups } from "../../run/concurrency.ts";
import { fanOut, type RunObserver } from "../../run/observer.ts";
import { Slots } from "../../run/slots.ts";
import type { EventFacts } from "../../plan/event.ts";
import { StoreRecorder } from "../../service/recorder.ts";
import { readRepoConfig } from "../../service/workflow-files.ts";
import type { RunRecord } from "../../store/store.ts";
import type { App } from "../app.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { secretsFor, varsFor } from "../secrets/scoped.ts";
import { triggerData, type TriggerData } from "./trigger-data.ts";
import { changedFilesFor } from "./changed-files.ts";
import { ServerGate } from "../deploy/gate.ts";
import { PARKED } from "../deploy/parked.ts";

const CHECKOUTS_KEPT = 20;

/** What the service knows of a live run, to tell a run that only waits from one that works. */
interface LiveRun {
  ac: AbortController;
  recorder: StoreRecorder | null;
  running: number;
  waiting: number;
}

export class RunService {
  private readonly live = new Map<number, LiveRun>();
  /** The commit each live run uses, so pruning leaves its checkout alone. */
  private readonly liveCommits = new Map<number, { repo: string; sha: string }>();
  readonly slots: Slots;
  /** Concurrency groups are per repository, as on GitHub: another repository's `ci-main` is another group. */
  private readonly groups = new Map<string, ConcurrencyGroups>();
  private readonly finished = new Set<(run: RunRecord) => void>();
  private closing = false;

  constructor(private readonly app: App) {
    this.slots = new Slots(app.settings.parallel);
  }

  /** Called with every run that completes (workflow_run triggers, metrics). */
  onFinished(f: (run: RunRecord) => void): void {
    this.finished.add(f);
  }

  isLive(runId: number): boolean {
    return this.live.has(runId);
  }

  /** Cancels a live run as Ctrl-C would: running steps stop, `always()` jobs still run. */
  cancel(runId: number, reason: string): boolean {
    const live = this.live.get(runId);
    live?.ac.abort(reason);
    return live !== undefined;
  }

  /**
   * Cancels every live run, and any started from now on (by a trigger still being processed). A run
   * whose live jobs all wait for a review is parked instead: nothing more is recorded for it, so the
   * next start finds it waiting and resumes it.
   */
  cancelAll(reason: string): void {
    this.closing = true;
    for (const live of this.live.values()) {
      if (live.running === 0 && live.waiting > 0) {
        live.recorder?.detach();
        live.ac.abort(PARKED);
      } else live.ac.abort(reason);
    }
  }

  /** The environment gate's view: how many of a run's jobs wait for their environment now. */
  waitingChanged(runId: number, delta: number): void {
    const live = this.live.get(runId);
    if (live) live.waiting += delta;
  }

  /** Runs a queued run to the end; never rejects (a failure to start fails the run, with the reason). */
  async start(runId: number, carried?: Map<string, CarriedJob>): Promise<void> {
    // Two re-run requests at once must not run one attempt twice.
    if (this.live.has(runId)) return;
    const ac = new AbortController();
    if (this.closing) ac.abort("cancelled: the server was stopping");
    const live: LiveRun = { ac, recorder: null, running: 0, waiting: 0 };
    this.live.set(runId, live);
    try {
      await this.execute(runId, live, carried);
    } catch (e) {
      this.app.log(`run ${runId}: ${(e as Error).message}`);
      await this.app.store.updateRun(runId, { status: "completed", result: "failure", reason: `could not start: ${(e as Error).message}`, finishedAt: new Date().toISOString() }).catch(() => undefined);
    } finally {
      this.live.delete(runId);
      this.liveCommits.delete(runId);
      const run = await this.app.store.getRun(runId).catch(() => null);
      if (run) await this.pruneCheckouts(run.repo);
      if (run && ac.signal.reason !== PARKED) for (const f of this.finished) f(run);
    }
  }

  private async execute(runId: number, live: LiveRun, carried: Map<string, CarriedJob> | undefined): Promise<void> {
    const { ac } = live;
    const { store } = this.app;
    const run = await store.getRun(runId);
    if (!run) throw new InternalError(`run ${runId} does not exist`);
    const trigger = run.triggerId === undefined ? null : await store.getTrigger(run.triggerId);
    const repo = await store.getRepo(run.repo);
    if (!trigger || !repo) throw new InternalError(`run ${runId} has lost its trigger or repository`);
    const data = triggerData(trigger.data);
    this.liveCommits.set(run.id, { repo: repo.fullName.toLowerCase(), sha: run.sha });
    await this.app.mirrors.fetchCommit(repo.fullName, repo.url, run.sha);
    const dir = await this.app.mirrors.checkout(repo.fullName, run.sha);
    const { workflows, broken } = await this.app.workflows.get(dir);
    const workflow = workflows.find((w) => w.file === run.workflowFile);
    if (!workflow) throw new InternalError(broken.get(run.workflowFile) ?? `${run.workflowFile} is not in commit ${run.sha}`);
    const config = await readRepoConfig(dir);
    const event: EventFacts = { name: run.event, payload: data.payload, ref: run.ref, sha: run.sha, headRef: data.headRef ?? "", baseRef: data.baseRef ?? "" };
    // A pull request from a fork gets no secrets and no variables, as on GitHub.
    const secrets = data.fork ? {} : await secretsFor(store, this.app.box, repo.fullName);
    const vars = data.fork ? {} : await varsFor(store, repo.fullName);
    const token = await this.mintToken(run, repo.fullName, data);
    secrets.GITHUB_TOKEN = token.value;
    const recorder = new StoreRecorder(store, run.runAttempt, (await store.listJobs(run.id)).filter((j) => j.attempt === run.runAttempt));
    live.recorder = recorder;
    const observers: RunObserver[] = [recorder, this.app.metrics.observer(), countRunning(live)];
    if (this.app.statuses) observers.push(this.app.statuses.observer(repo.fullName, run, this.app.baseUrl()));
    const base = this.app.baseUrl();
    try {
      await runEvent(
        {
          workflows: [workflow],
          event,
          changedFiles: await changedFilesFor(this.app.mirrors, repo.fullName, run.event, run.sha, data),
          repository: repo.fullName,
          actor: run.actor ?? data.actor,
          inputs: data.inputs ?? {},
          secrets,
          vars,
          onlyJob: null,
          parallel: this.app.settings.parallel,
          settings: {
            dataDir: this.app.settings.dataDir,
            actionsUrl: this.app.settings.actionsUrl,
            repoRoot: dir,
            // A fork's own .slipway.yml may not choose where its jobs run.
            platforms: { ...(data.fork ? {} : config.platforms), ...this.app.settings.platforms },
            imageAliases: data.fork ? {} : config.images,
            cacheScope: data.fork ? `${repo.fullName}#fork-${String((data.payload as { number?: unknown }).number ?? "")}` : repo.fullName,
            allowHost: !data.fork || this.app.settings.allowForkHost === true,
          },
          observer: fanOut(observers),
          cancel: ac.signal,
          startRun: async () => {
            this.app.events.emit({ kind: "run.started", run: await store.updateRun(run.id, { status: "in_progress", startedAt: new Date().toISOString() }) });
            return { runId: run.id, runNumber: run.runNumber };
          },
          finishRun: (id, report) => recorder.finishRun(id, report, report.result === "cancelled" && typeof ac.signal.reason === "string" ? ac.signal.reason : undefined),
          shared: { slots: this.slots, groups: this.groupsOf(repo.fullName) },
          urls: { server: base, api: `${base}/api/v3` },
          runAttempt: run.runAttempt,
          carried,
          gate: new ServerGate(this.app, run, this.app.gateTiming, data.fork === true),
        },
        [{ workflow, reason: "" }],
      );
    } finally {
      await recorder.flush();
      await store.revokeToken(token.id);
    }
  }

  /** Keeps the 20 most recently used checkouts of a repository, and those live runs use. */
  private async pruneCheckouts(repo: string): Promise<void> {
    const inUse = new Set([...this.liveCommits.values()].filter((c) => c.repo === repo.toLowerCase()).map((c) => c.sha));
    await this.app.mirrors.prune(repo, CHECKOUTS_KEPT, inUse).catch((e) => this.app.log(`pruning checkouts of ${repo}: ${(e as Error).message}`));
  }

  private groupsOf(repo: string): ConcurrencyGroups {
    let g = this.groups.get(repo.toLowerCase());
    if (!g) this.groups.set(repo.toLowerCase(), (g = new ConcurrencyGroups()));
    return g;
  }

  /**
   * GITHUB_TOKEN for this run: a Slipway token bound to the run's repository that lives as long as the
   * run (revoked at its end, or at the next start after a crash); read-only for forks.
   */
  private async mintToken(run: RunRecord, repo: string, data: TriggerData): Promise<{ id: number; value: string }> {
    const value = newToken();
    const rec = await this.app.store.addToken({ name: `run-${run.id}-${path.basename(run.workflowFile)}`, hash: hashToken(value), scope: data.fork ? "read" : "write", repo });
    return { id: rec.id, value };
  }
}

/** Counts the run's jobs that hold a slot, so a stop can tell a run that only waits from one that works. */
function countRunning(live: LiveRun): RunObserver {
  const started = new Set<string>();
  const key = (j: { reportId: string; name: string }) => `${j.reportId}\u0000${j.name}`;
  return {
    jobStarted: (j) => {
      started.add(key(j));
      live.running = started.size;
    },
    jobFinished: (j) => {
      started.delete(key(j));
      live.running = started.size;
    },
    log: () => undefined,
    stepStarted: () => undefined,
    stepFinished: () => undefined,
    runFinished: () => undefined,
  };
}
