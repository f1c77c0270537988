/**
 * Runs the jobs of one workflow run: each job starts as soon as everything it needs has finished
 * (not level by level), matrix instances honour max-parallel and fail-fast, and every job holds one
 * of the engine's slots while it runs.
 */
import path from "node:path";
import { evalString, evalTpl, evaluateCondition, type Contexts } from "../expr/evaluate.ts";
import { expandStrategy, matrixJobName } from "../plan/matrix.ts";
import type { JobModel, WorkflowModel } from "../workflow/model.ts";
import { isLiteral } from "../expr/template.ts";
import { runJob, jobContinuesOnError, type JobInstance } from "./job/job-runner.ts";
import type { Masker } from "./protocol/masker.ts";
import type { ActionLoader } from "./actions/loader.ts";
import type { RunSettings } from "./job/runtime.ts";
import type { JobRef, RunObserver } from "./observer.ts";
import { combineResults, type JobReport, type Result } from "./types.ts";
import type { Slots } from "./slots.ts";
import { concurrencyOf, type ConcurrencyGroups } from "./concurrency.ts";
import { placeJob } from "./labels.ts";
import { runCalledWorkflow } from "./reusable.ts";
import { environmentTarget, type EnvironmentGate, type GateTicket } from "./environment-gate.ts";
import type { Tpl } from "../expr/template.ts";

export interface EngineDeps {
  settings: RunSettings;
  actions: ActionLoader;
  slots: Slots;
  groups: ConcurrencyGroups;
  observer: RunObserver;
  masker: Masker;
  cancel: AbortSignal;
  workRoot: string;
  /** Guards jobs that name an environment; absent: `environment:` is only a name. */
  gate?: EnvironmentGate;
}

export interface WorkflowRunInput {
  runId: number | null;
  workflow: WorkflowModel;
  /** github, inputs, vars, secrets. */
  contexts: Contexts;
  onlyJob: string | null;
  /** "" for a top-level run; "caller/" for a called workflow's jobs. */
  prefix: string;
  depth: number;
  /** Jobs kept from an earlier attempt (re-run of failed jobs): done before this attempt starts. */
  carried?: Map<string, CarriedJob>;
}

export interface CarriedJob {
  outcome: JobOutcome;
  reports: JobReport[];
}

export interface JobOutcome {
  result: Result;
  outputs: Record<string, string>;
}

let instanceCounter = 0;

export async function runWorkflowJobs(input: WorkflowRunInput, deps: EngineDeps): Promise<{ reports: JobReport[]; outcomes: Map<string, JobOutcome> }> {
  const jobs = new Map(input.workflow.jobs.map((j) => [j.id, j]));
  const selected = selectJobs(input.workflow, input.onlyJob);
  const outcomes = new Map<string, JobOutcome>();
  // Each job's reports (its instances, or a called workflow's jobs) listed in the file's job order.
  const reportsByJob = new Map<string, JobReport[]>();
  const pending = new Set(selected);
  for (const [id, kept] of input.carried ?? []) {
    if (!pending.delete(id)) continue;
    outcomes.set(id, kept.outcome);
    reportsByJob.set(id, kept.reports);
    for (const r of kept.reports) deps.observer.jobFinished({ runId: input.runId, reportId: r.id, name: r.name, matrix: r.matrix }, r);
  }
  const running = new Map<string, Promise<void>>();
  for (;;) {
    for (const id of [...pending]) {
      const job = jobs.get(id) as JobModel;
      if (!job.needs.every((n) => outcomes.has(n) || !selected.includes(n))) continue;
      pending.delete(id);
      running.set(
        id,
        runJobNode(job, input, deps, outcomes, ancestors(jobs, id))
          .catch((e: Error) => failedBeforeStart(job, `${input.prefix}${id}`, input, deps, `internal error: ${e.message}`))
          .then((r) => {
            outcomes.set(id, r.outcome);
            reportsByJob.set(id, r.reports);
            running.delete(id);
          }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { reports: input.workflow.jobs.flatMap((j) => reportsByJob.get(j.id) ?? []), outcomes };
}

/** `-j JOB`: that job and everything it needs, transitively. */
function selectJobs(wf: WorkflowModel, only: string | null): string[] {
  if (!only) return wf.jobs.map((j) => j.id);
  const byId = new Map(wf.jobs.map((j) => [j.id, j]));
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id) || !byId.has(id)) return;
    out.add(id);
    byId.get(id)?.needs.forEach(visit);
  };
  visit(only);
  return wf.jobs.map((j) => j.id).filter((id) => out.has(id));
}

interface NodeResult {
  outcome: JobOutcome;
  reports: JobReport[];
}

/** Every job this one needs, directly or through others: GitHub's status functions look at the chain. */
function ancestors(jobs: Map<string, JobModel>, id: string): string[] {
  const out = new Set<string>();
  const visit = (j: string) => {
    for (const n of jobs.get(j)?.needs ?? []) {
      if (out.has(n)) continue;
      out.add(n);
      visit(n);
    }
  };
  visit(id);
  return [...out];
}

async function runJobNode(job: JobModel, input: WorkflowRunInput, deps: EngineDeps, outcomes: Map<string, JobOutcome>, chain: string[]): Promise<NodeResult> {
  const reportId = `${input.prefix}${job.id}`;
  const needs: Record<string, JobOutcome> = {};
  for (const n of job.needs) needs[n] = outcomes.get(n) ?? { result: "skipped", outputs: {} };
  const base: Contexts = { ...input.contexts, needs };
  const needResults = chain.map((n) => outcomes.get(n)?.result ?? "skipped");
  const fns = {
    success: () => needResults.every((r) => r === "success") && !deps.cancel.aborted,
    failure: () => needResults.some((r) => r === "failure"),
    cancelled: () => deps.cancel.aborted,
    always: () => true,
  };
  const skipped = (reason: string): NodeResult => {
    const name = job.name !== null && isLiteral(job.name) ? String(job.name) : job.id;
    const report: JobReport = { id: reportId, name, matrix: null, result: "skipped", outputs: {}, steps: [], reason, durationMs: 0 };
    const ref: JobRef = { runId: input.runId, reportId, name, matrix: null };
    deps.observer.jobFinished(ref, report);
    return { outcome: { result: "skipped", outputs: {} }, reports: [report] };
  };
  let run: boolean;
  try {
    run = evaluateCondition(job.if, base, fns);
  } catch (e) {
    return failedBeforeStart(job, reportId, input, deps, (e as Error).message);
  }
  if (!run) return deps.cancel.aborted ? cancelledNode(job, reportId, input, deps) : skipped(`the condition '${job.if}' was false`);
  try {
    return await runMatrix(job, reportId, base, input, deps);
  } catch (e) {
    // An expression that cannot be evaluated (a bad fromJSON, a name) fails this job, not the run.
    return failedBeforeStart(job, reportId, input, deps, (e as Error).message);
  }
}

async function runMatrix(job: JobModel, reportId: string, base: Contexts, input: WorkflowRunInput, deps: EngineDeps): Promise<NodeResult> {
  const expanded = expandStrategy(job.strategy === null ? null : evalTpl(job.strategy, base, {}, { spliceSequences: true }));
  if (expanded.problems.length) return failedBeforeStart(job, reportId, input, deps, expanded.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const combos = expanded.strategy.combinations ?? [null];
  const nameParts = expanded.strategy.nameParts ?? [null];
  const instances = combos.map((combo, i) => {
    const matrix = combo ?? {};
    const strategy = { "fail-fast": expanded.strategy.failFast, "job-index": i, "job-total": combos.length, "max-parallel": expanded.strategy.maxParallel ?? combos.length };
    const ctx: Contexts = { ...base, matrix, strategy };
    return { combo, ctx, name: instanceName(job, ctx, combo ? (nameParts[i] ?? null) : null) };
  });
  const limit = expanded.strategy.maxParallel ?? instances.length;
  const siblings = new AbortController();
  // Reports are kept per instance so they list in matrix order, whatever order the instances finish in.
  const byInstance: JobReport[][] = [];
  const finished: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < instances.length) {
      const i = next++;
      const inst = instances[i];
      if (!inst) break;
      const r = await runInstance(job, { ...inst, reportId }, input, deps, siblings.signal);
      const main = r[0];
      const tolerated = jobContinuesOnError(job, inst.ctx);
      if (main && tolerated) main.continueOnError = true;
      byInstance[i] = r;
      finished.push(i);
      if (main && main.result === "failure" && expanded.strategy.failFast && !tolerated) siblings.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, instances.length)) }, worker));
  const reports = byInstance.flat();
  const mains = reports.filter((r) => r.id === reportId);
  // A matrix job's outputs: for each name, the last instance to finish that set it wins, as on GitHub.
  const outputs: Record<string, string> = {};
  for (const i of finished) for (const [k, v] of Object.entries(byInstance[i]?.[0]?.outputs ?? {})) if (v !== "") outputs[k] = v;
  // A failure that continue-on-error tolerates reads as success to the jobs that need this one.
  const results = mains.map((r) => (r.continueOnError && r.result === "failure" ? "success" : r.result));
  return { outcome: { result: combineResults(results), outputs }, reports };
}

function instanceName(job: JobModel, ctx: Contexts, nameParts: Record<string, unknown> | null): string {
  if (job.name === null) return matrixJobName(job.id, nameParts as never, false);
  const evaluated = evalString(job.name, ctx);
  return isLiteral(job.name) ? matrixJobName(evaluated, nameParts as never, true) : evaluated;
}

type InstanceSpec = { reportId: string; name: string; combo: Record<string, unknown> | null; ctx: Contexts };

/** One matrix instance; an expression that fails in its runs-on, concurrency or `with` fails it alone. */
async function runInstance(job: JobModel, inst: InstanceSpec, input: WorkflowRunInput, deps: EngineDeps, siblings: AbortSignal): Promise<JobReport[]> {
  try {
    return await placeAndRun(job, inst, input, deps, siblings);
  } catch (e) {
    const ref: JobRef = { runId: input.runId, reportId: inst.reportId, name: inst.name, matrix: inst.combo };
    const reason = (e as Error).message;
    deps.observer.log(ref, { kind: "error", text: deps.masker.mask(reason), step: null });
    const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "failure", outputs: {}, steps: [], durationMs: 0, reason };
    deps.observer.jobFinished(ref, report);
    return [report];
  }
}

async function placeAndRun(job: JobModel, inst: InstanceSpec, input: WorkflowRunInput, deps: EngineDeps, siblings: AbortSignal): Promise<JobReport[]> {
  const ref: JobRef = { runId: input.runId, reportId: inst.reportId, name: inst.name, matrix: inst.combo };
  const cancelled = (): JobReport[] => {
    const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "cancelled", outputs: {}, steps: [], durationMs: 0, reason: "cancelled before it started" };
    deps.observer.jobFinished(ref, report);
    return [report];
  };
  if (job.uses) return runCalledWorkflow(job, inst, input, deps, siblings);
  const labels = job.runsOn === null ? [] : evalTpl(job.runsOn, inst.ctx);
  const serves = placeJob(labels, deps.settings.platforms);
  if (!serves.ok) {
    const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "skipped", outputs: {}, steps: [], durationMs: 0, reason: serves.reason };
    deps.observer.log(ref, { kind: "warning", text: serves.reason, step: null });
    deps.observer.jobFinished(ref, report);
    return [report];
  }
  if (serves.image === null && deps.settings.allowHost === false) {
    const reason = "this run may not use the server's own machine (a pull request from a fork): map its runs-on label to an image (slipway server -P LABEL=IMAGE), or start the server with --allow-fork-host";
    const report: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "failure", outputs: {}, steps: [], durationMs: 0, reason };
    deps.observer.log(ref, { kind: "error", text: reason, step: null });
    deps.observer.jobFinished(ref, report);
    return [report];
  }
  const stop = AbortSignal.any([deps.cancel, siblings]);
  const target = jobEnvironment(job, inst.ctx);
  let ticket: GateTicket | null = null;
  let ctx = inst.ctx;
  if (target && deps.gate) {
    const answer = await enterEnvironment(deps.gate, target.name, inst, input, ref, deps, stop);
    if (!answer.ok) return answer.cancelled ? cancelled() : failed(answer.reason);
    ticket = answer.ticket;
    ctx = withEnvironmentValues(ctx, ticket, deps.masker);
  }
  let reports: JobReport[] = [];
  try {
    reports = await runOnSlot(job, { ...inst, ctx }, input, deps, ref, stop, serves.image, target?.url ?? null, ticket, cancelled);
    return reports;
  } finally {
    await ticket?.finished(reports[0]?.result ?? "cancelled", reports[0]?.environmentUrl ?? null);
  }

  function failed(reason: string): JobReport[] {
    const r: JobReport = { id: inst.reportId, name: inst.name, matrix: inst.combo, result: "failure", outputs: {}, steps: [], durationMs: 0, reason };
    deps.observer.log(ref, { kind: "error", text: deps.masker.mask(reason), step: null });
    deps.observer.jobFinished(ref, r);
    return [r];
  }
}

/** Waits for the job's concurrency group and a slot, then runs it. */
async function runOnSlot(job: JobModel, inst: InstanceSpec, input: WorkflowRunInput, deps: EngineDeps, ref: JobRef, stop: AbortSignal, image: string | null, url: Tpl | null, ticket: GateTicket | null, cancelled: () => JobReport[]): Promise<JobReport[]> {
  const group = concurrencyOf(job.concurrency, inst.ctx);
  const local = new AbortController();
  if (group && !(await deps.groups.enter(group.name, group.cancelInProgress, () => local.abort()))) return cancelled();
  try {
    if (!(await deps.slots.acquire(stop))) return cancelled();
    try {
      if (stop.aborted) return cancelled();
      deps.observer.jobStarted(ref);
      await ticket?.started();
      const instance: JobInstance = { reportId: inst.reportId, name: inst.name, job, workflow: input.workflow, matrix: inst.combo, contexts: inst.ctx, workDir: path.join(deps.workRoot, `${input.runId ?? "x"}-${++instanceCounter}`), platformImage: image, environmentUrl: url };
      const report = await runJob(instance, deps.settings, deps.actions, {
        log: { write: (e) => deps.observer.log(ref, e) },
        masker: deps.masker,
        stepStarted: (i, n) => deps.observer.stepStarted(ref, i, n),
        stepFinished: (i, n, id, o, c) => deps.observer.stepFinished(ref, i, n, id, o, c),
      }, AbortSignal.any([stop, local.signal]));
      deps.observer.jobFinished(ref, report);
      return [report];
    } finally {
      deps.slots.release();
    }
  } finally {
    if (group) deps.groups.leave(group.name);
  }
}

/** The environment's name now; its url stays deferred, since it may read the job's step outputs. */
function jobEnvironment(job: JobModel, ctx: Contexts): { name: string; url: Tpl | null } | null {
  const t = job.environment;
  if (t === null) return null;
  if (t && typeof t === "object" && !Array.isArray(t) && "name" in t) {
    const named = environmentTarget({ name: evalTpl((t as Record<string, Tpl>).name as Tpl, ctx) });
    return named ? { name: named.name, url: ((t as Record<string, Tpl>).url as Tpl | undefined) ?? null } : null;
  }
  const v = environmentTarget(evalTpl(t, ctx));
  return v ? { name: v.name, url: (v.url as Tpl | null) ?? null } : null;
}

function enterEnvironment(gate: EnvironmentGate, name: string, inst: InstanceSpec, input: WorkflowRunInput, ref: JobRef, deps: EngineDeps, stop: AbortSignal) {
  const github = inst.ctx.github as Record<string, string>;
  return gate.enter({
    runId: input.runId,
    jobName: inst.name,
    environment: name,
    repository: github.repository ?? "",
    ref: github.ref ?? "",
    headRef: github.head_ref ?? "",
    event: github.event_name ?? "",
    sha: github.sha ?? "",
    actor: github.triggering_actor ?? github.actor ?? "",
    workflow: input.workflow.file,
    log: (text, kind = "info") => deps.observer.log(ref, { kind, text: deps.masker.mask(text), step: null }),
    waiting: () => deps.observer.jobWaiting?.(ref),
  }, stop);
}

/** Environment secrets and variables win over the repository's, and are masked like any secret. */
function withEnvironmentValues(ctx: Contexts, ticket: GateTicket, masker: Masker): Contexts {
  for (const v of Object.values(ticket.secrets)) masker.add(v);
  return { ...ctx, secrets: { ...(ctx.secrets as object), ...ticket.secrets }, vars: { ...(ctx.vars as object), ...ticket.vars } };
}

function failedBeforeStart(job: JobModel, reportId: string, input: WorkflowRunInput, deps: EngineDeps, reason: string): NodeResult {
  const ref: JobRef = { runId: input.runId, reportId, name: job.id, matrix: null };
  deps.observer.log(ref, { kind: "error", text: deps.masker.mask(reason), step: null });
  const report: JobReport = { id: reportId, name: job.id, matrix: null, result: "failure", outputs: {}, steps: [], durationMs: 0, reason };
  deps.observer.jobFinished(ref, report);
  return { outcome: { result: "failure", outputs: {} }, reports: [report] };
}

function cancelledNode(job: JobModel, reportId: string, input: WorkflowRunInput, deps: EngineDeps): NodeResult {
  const ref: JobRef = { runId: input.runId, reportId, name: job.id, matrix: null };
  const report: JobReport = { id: reportId, name: job.id, matrix: null, result: "cancelled", outputs: {}, steps: [], durationMs: 0, reason: "the run was cancelled" };
  deps.observer.jobFinished(ref, report);
  return { outcome: { result: "cancelled", outputs: {} }, reports: [report] };
}
