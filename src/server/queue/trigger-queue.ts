/**
 * The persistent trigger queue. Every webhook delivery, dispatch, notify and schedule tick is first a
 * row in the store (so a crash loses none), then processed in arrival order: the commit is fetched,
 * its workflows parsed, and a run is created for each workflow the event triggers, then started.
 * Processing is idempotent per (trigger, workflow file), so a trigger interrupted half-way by a crash is
 * simply processed again after the restart. For the merge gate it also records which workflows a push
 * or pull request did not start because of their branch or path filters.
 */
import { ZERO_SHA } from "../../git/repo.ts";
import { selectTriggered, skipMarker, type Triggered } from "../../run/engine.ts";
import type { EventFacts } from "../../plan/event.ts";
import { currentOwner } from "../../store/owner.ts";
import type { NewTrigger, TriggerRecord } from "../../store/server-store.ts";
import type { RunRecord } from "../../store/store.ts";
import type { WorkflowModel } from "../../workflow/model.ts";
import type { App } from "../app.ts";
import { gatedBranch, triggerVerdicts } from "../gate/filtered.ts";
import { changedFilesFor } from "./changed-files.ts";
import { triggerData, type TriggerData } from "./trigger-data.ts";
import { workflowRunTrigger } from "./workflow-run-trigger.ts";

export class TriggerQueue {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopping = false;
  private readonly runsStarted = new Set<Promise<void>>();

  constructor(private readonly app: App) {}

  /** Records the trigger and processes it soon; a redelivery (same delivery key) queues nothing. */
  async enqueue(t: NewTrigger): Promise<{ trigger: TriggerRecord; duplicate: boolean }> {
    const r = await this.app.store.enqueueTrigger(t);
    if (!r.duplicate) this.schedule(r.trigger);
    return r;
  }

  /** After a restart: everything still pending, oldest first. */
  async resume(): Promise<void> {
    for (const t of await this.app.store.pendingTriggers()) this.schedule(t);
  }

  /** Triggers recorded but not yet processed. */
  depth(): number {
    return this.queued;
  }

  /**
   * For an orderly stop: resolves once the trigger in hand is processed. The others stay pending in the
   * store and are processed after the next start, so a stop never waits for a backlog.
   */
  stop(): Promise<void> {
    this.stopping = true;
    return this.chain;
  }

  /** Resolves when the runs started so far have finished; for an orderly stop. */
  async runsDone(): Promise<void> {
    await Promise.allSettled([...this.runsStarted]);
  }

  private schedule(t: TriggerRecord): void {
    this.queued++;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.stopping) await this.process(t);
      } catch (e) {
        this.app.log(`trigger ${t.id} (${t.event} on ${t.repo}): ${(e as Error).message}`);
        await this.app.store.finishTrigger(t.id, `error: ${(e as Error).message}`).catch(() => undefined);
      } finally {
        this.queued--;
      }
    });
  }

  private async process(t: TriggerRecord): Promise<void> {
    const { store, mirrors } = this.app;
    const repo = await store.getRepo(t.repo);
    if (!repo) return store.finishTrigger(t.id, "the repository is no longer registered");
    const data = triggerData(t.data);
    const sha = data.sha ?? (await mirrors.branchHead(repo.fullName, repo.url, data.ref));
    if (!sha || sha === ZERO_SHA) return store.finishTrigger(t.id, "no commit to run (deleted ref or empty branch)");
    await mirrors.fetchCommit(repo.fullName, repo.url, sha);
    const dir = await mirrors.checkout(repo.fullName, sha);
    const { workflows } = await this.app.workflows.get(dir);
    const event: EventFacts = { name: t.event, payload: data.payload, ref: data.ref, sha, headRef: data.headRef ?? "", baseRef: data.baseRef ?? "" };
    const changed = await changedFilesFor(mirrors, repo.fullName, t.event, sha, data);
    let triggered = selectTriggered(workflows, event, changed);
    if (data.workflow) triggered = triggered.filter((x) => x.workflow.file === data.workflow);
    await this.recordVerdicts(t, data, workflows, triggered, event, changed);
    const created: RunRecord[] = [];
    for (const { workflow } of triggered) {
      const existing = await store.listRuns({ triggerId: t.id, workflowFile: workflow.file, limit: 1 });
      if (existing.length) continue;
      const run = await store.createRun(
        { repo: repo.fullName, workflowFile: workflow.file, workflowName: workflow.name, event: t.event, sha, ref: data.ref, actor: data.actor, triggerId: t.id, plan: planOf(workflow) },
        // This process and host, so a restart after a crash finds the run's owner gone and closes it.
        currentOwner(),
      );
      created.push(run);
    }
    await store.finishTrigger(t.id, triggered.length ? `${triggered.length} run(s)` : "no workflow triggered");
    for (const run of created) this.startRun(run.id);
  }

  /**
   * For the merge gate: which workflows this push or pull request did not start because their branch or
   * path filters excluded the commit, with the reason and the check names they would have reported.
   */
  private async recordVerdicts(t: TriggerRecord, data: TriggerData, workflows: WorkflowModel[], triggered: Triggered[], event: EventFacts, changed: string[] | undefined): Promise<void> {
    const branch = gatedBranch(event);
    if (branch === null || data.workflow) return;
    // `[skip ci]` skipped every workflow; that is no filter's verdict.
    if (skipMarker(event.name, (event.payload.head_commit as { message?: string } | undefined)?.message)) return;
    const verdicts = triggerVerdicts(workflows, new Set(triggered.map((x) => x.workflow.file)), event, changed);
    await this.app.store.protection.recordTriggerVerdicts({ repo: t.repo, sha: event.sha, event: event.name, branch, triggerId: t.id }, verdicts);
  }

  /** Every run starts here, a first attempt or a re-run (the run service announces `run.started`). */
  startRun(runId: number, carried?: Parameters<App["runs"]["start"]>[1]): void {
    const p = this.app.runs.start(runId, carried);
    this.runsStarted.add(p);
    void p.finally(() => this.runsStarted.delete(p));
  }

  /** `workflow_run`: a finished run may trigger the default branch's workflows that name it. */
  async afterRun(run: RunRecord): Promise<void> {
    const repo = await this.app.store.getRepo(run.repo);
    if (!repo) return;
    const trigger = run.triggerId === undefined ? null : await this.app.store.getTrigger(run.triggerId);
    const depth = (trigger ? triggerData(trigger.data).chainDepth ?? 0 : 0) + 1;
    // GitHub: "You can't use workflow_run to chain together more than three levels of workflows."
    if (depth > 3) return;
    await this.enqueue(workflowRunTrigger(run, repo, depth, this.app.baseUrl()));
  }
}

/** The plan stored with a run: the job graph as the file declares it, for the dashboard. */
function planOf(wf: { jobs: Array<{ id: string; name: unknown; needs: string[]; strategy: unknown; uses?: unknown }> }) {
  return {
    jobs: wf.jobs.map((j) => ({ id: j.id, name: typeof j.name === "string" ? j.name : j.id, needs: j.needs, matrix: j.strategy !== null, calls: typeof j.uses === "string" ? j.uses : null })),
  };
}
