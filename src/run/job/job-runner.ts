/** Runs one job instance (one matrix combination) from its environment to its outputs. */
import { evalString, evalTpl, truthy, type Contexts } from "../../expr/evaluate.ts";
import type { JobModel, WorkflowModel } from "../../workflow/model.ts";
import type { Tpl } from "../../expr/template.ts";
import type { Executor } from "../executors/executor.ts";
import type { Masker } from "../protocol/masker.ts";
import type { ActionLoader } from "../actions/loader.ts";
import type { JobReport, Result, StepReport } from "../types.ts";
import { TailKeeper, type JobLog, type LogEvent } from "./log.ts";
import { openJobEnvironment, type JobEnvironment } from "./environment.ts";
import { JobScope } from "./scope.ts";
import type { Frame, JobRuntime, RunSettings } from "./runtime.ts";
import { runSteps, evalEnv } from "./step-runner.ts";
import { defaultProcessEnv } from "./default-env.ts";
import { runPreSteps } from "../actions/pre-steps.ts";

export interface JobInstance {
  /** Report id: `build`, or `caller/build` inside a called workflow. */
  reportId: string;
  name: string;
  job: JobModel;
  workflow: WorkflowModel;
  matrix: Record<string, unknown> | null;
  /** github, needs, inputs, vars, secrets, strategy, matrix: everything fixed before the job starts. */
  contexts: Contexts;
  /** Where this job's files live; unique per instance. */
  workDir: string;
  /** The image its runs-on labels map to (`-P`, .slipway.yml), when it is not the host. */
  platformImage?: string | null;
  /** `environment.url`, evaluated once the steps are done (it may use their outputs). */
  environmentUrl?: Tpl | null;
}

export interface JobHooks {
  log: JobLog;
  masker: Masker;
  stepStarted(index: number, name: string): void;
  stepFinished(index: number, name: string, id: string, outcome: Result, conclusion: Result): void;
}

export async function runJob(inst: JobInstance, settings: RunSettings, actions: ActionLoader, hooks: JobHooks, cancel: AbortSignal): Promise<JobReport> {
  const started = Date.now();
  const jobLog = (text: string, kind: LogEvent["kind"] = "info") => hooks.log.write({ kind, text: hooks.masker.mask(text), step: null });
  let env: JobEnvironment | null = null;
  // Every step's controller: cancelling the job kills what runs now, not what runs after.
  const live = new Set<AbortController>();
  let cancelled = false;
  const onCancel = () => {
    cancelled = true;
    for (const c of live) c.abort();
    live.clear();
    setup.abort();
  };
  const stepSignal = () => {
    const c = new AbortController();
    if (cancelled) return c.signal;
    live.add(c);
    return c.signal;
  };
  // Aborts the job's set-up (waiting for services) when it is cancelled or times out.
  const setup = new AbortController();
  const setupSignal = () => setup.signal;
  cancel.addEventListener("abort", onCancel, { once: true });
  const steps: StepReport[] = [];
  const tails = new TailKeeper();
  let failedStep: number | null = null;
  let timedOut = false;
  let timer: NodeJS.Timeout | null = null;
  const frame: Frame = { steps: {}, status: "success", inputs: inst.contexts.inputs ?? {}, envOverlay: {}, github: inst.contexts.github as Record<string, unknown>, depth: 0 };
  try {
    if (cancel.aborted) onCancel();
    // The job's clock starts before its services: a timeout covers waiting for them, as on GitHub.
    const minutes = Number(inst.job.timeoutMinutes === null ? 360 : evalTpl(inst.job.timeoutMinutes, inst.contexts));
    if (minutes > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        hooks.log.write({ kind: "error", text: `The job has exceeded the maximum execution time of ${minutes} minutes.`, step: null });
        onCancel();
      }, minutes * 60_000);
    }
    env = await openJobEnvironment(inst, settings, (l) => jobLog(l), setupSignal());
    await env.start();
    const executor = env.executor;
    const contexts = withJobContexts(inst, executor, env);
    const scope = new JobScope(jobEnv(inst, contexts));
    const processEnv = defaultProcessEnv(inst, executor, settings, env.baseEnv());
    const rt: JobRuntime = {
      executor,
      environment: env,
      processEnv,
      log: hooks.log,
      tails,
      masker: hooks.masker,
      scope,
      contexts,
      defaultsRun: defaultsRun(inst),
      settings,
      stepSignal,
      isCancelled: () => cancelled,
      hasBash: (await executor.which("bash", processEnv.PATH ?? "")) !== null,
      actions,
      nextStepIndex: (() => {
        let i = 0;
        return () => ++i;
      })(),
    };
    frame.github = contexts.github as Record<string, unknown>;
    if (!(await runPreSteps(rt, frame, inst.job.steps))) frame.status = "failure";
    await runSteps(rt, frame, inst.job.steps, {
      started: (i, _s, name) => hooks.stepStarted(i, name),
      finished: (i, s, name, outcome, conclusion) => {
        if (conclusion === "failure" && failedStep === null) failedStep = i;
        hooks.stepFinished(i, name, s.id, outcome, conclusion);
        if (!s.generatedId || frame.depth === 0) steps.push({ id: s.id, name, outcome, conclusion });
      },
    });
    for (const post of [...scope.postSteps].reverse()) await post();
    const outputs = jobOutputs(inst, contexts, frame, rt);
    const result: Result = timedOut ? "failure" : cancelled ? "cancelled" : scope.postFailed ? "failure" : frame.status;
    const done = report(inst, result, outputs, steps, started, failedStep !== null ? tails.tail(failedStep) : undefined);
    if (scope.summaries.length) done.summary = scope.summaries.join("\n");
    if (inst.environmentUrl != null) done.environmentUrl = environmentUrl(inst.environmentUrl, contexts, frame, rt);
    return done;
  } catch (e) {
    hooks.log.write({ kind: "error", text: hooks.masker.mask((e as Error).message), step: null });
    return report(inst, cancelled ? "cancelled" : "failure", {}, steps, started, undefined, (e as Error).message);
  } finally {
    if (timer) clearTimeout(timer);
    cancel.removeEventListener("abort", onCancel);
    await env?.stop((kind, text) => jobLog(text, kind)).catch((e: Error) => jobLog(`Could not clean up the job: ${e.message}`, "warning"));
  }
}

function report(inst: JobInstance, result: Result, outputs: Record<string, string>, steps: StepReport[], started: number, failedTail?: string[], reason?: string): JobReport {
  return { id: inst.reportId, name: inst.name, matrix: inst.matrix, result, outputs, steps, durationMs: Date.now() - started, failedTail, reason };
}

function withJobContexts(inst: JobInstance, executor: Executor, env: JobEnvironment): Contexts {
  const github = { ...(inst.contexts.github as object), workspace: executor.paths.workspace, job: inst.job.id };
  const runner = { ...(inst.contexts.runner as object), temp: executor.paths.temp, tool_cache: executor.paths.toolCache };
  return { ...inst.contexts, github, runner, job: { status: "success", ...env.jobContext() } };
}

/** Workflow env then job env: the base layers of the `env` context. */
function jobEnv(inst: JobInstance, contexts: Contexts): Record<string, string> {
  const wf = evalEnv(inst.workflow.env, { ...contexts, env: {} }, null);
  const job = evalEnv(inst.job.env, { ...contexts, env: wf }, null);
  return { ...wf, ...job };
}

function defaultsRun(inst: JobInstance): { shell: Tpl | null; workingDirectory: Tpl | null } {
  const pick = (d: Tpl | null, key: string): Tpl | null => {
    const run = d && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, Tpl>).run : null;
    return run && typeof run === "object" && !Array.isArray(run) ? ((run as Record<string, Tpl>)[key] ?? null) : null;
  };
  return {
    shell: pick(inst.job.defaults, "shell") ?? pick(inst.workflow.defaults, "shell"),
    workingDirectory: pick(inst.job.defaults, "working-directory") ?? pick(inst.workflow.defaults, "working-directory"),
  };
}

function jobOutputs(inst: JobInstance, contexts: Contexts, frame: Frame, rt: JobRuntime): Record<string, string> {
  const ctx: Contexts = { ...contexts, steps: frame.steps, env: rt.scope.envContext() };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inst.job.outputs)) {
    try {
      const value = evalString(v, ctx);
      // GitHub drops an output that would carry a secret rather than printing it.
      if (rt.masker.mask(value) !== value) {
        rt.log.write({ kind: "warning", text: `Skip output '${k}' since it may contain secret.`, step: null });
        continue;
      }
      out[k] = value;
    } catch (e) {
      rt.log.write({ kind: "error", text: (e as Error).message, step: null });
    }
  }
  return out;
}

function environmentUrl(url: Tpl, contexts: Contexts, frame: Frame, rt: JobRuntime): string | null {
  try {
    const value = evalString(url, { ...contexts, steps: frame.steps, env: rt.scope.envContext() }) || null;
    // The url is published (deployments, notifications): one that would carry a secret is dropped.
    if (value !== null && rt.masker.mask(value) !== value) {
      rt.log.write({ kind: "warning", text: "Skip the environment url since it may contain a secret.", step: null });
      return null;
    }
    return value;
  } catch (e) {
    rt.log.write({ kind: "warning", text: `environment url: ${(e as Error).message}`, step: null });
    return null;
  }
}

export function jobContinuesOnError(job: JobModel, contexts: Contexts): boolean {
  try {
    return truthy(evalTpl(job.continueOnError, contexts));
  } catch {
    return false;
  }
}
