/**
 * The engine's front door: given workflows and an event, decide which runs trigger, record them,
 * and run them all at once on shared slots. `slipway run` calls this; the server will too.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { InputError } from "../common/errors.ts";
import type { Diagnostic } from "../common/diagnostic.ts";
import { evalString, type Contexts } from "../expr/evaluate.ts";
import { markImmutable } from "../expr/data.ts";
import { declaredInputs, typeInputs } from "../plan/inputs.ts";
import type { EventFacts } from "../plan/event.ts";
import { shortRef } from "../plan/event.ts";
import { triggers, type TriggerEvent } from "../workflow/filters.ts";
import type { WorkflowModel } from "../workflow/model.ts";
import { ActionLoader } from "./actions/loader.ts";
import { ConcurrencyGroups, concurrencyOf } from "./concurrency.ts";
import type { RunSettings } from "./job/runtime.ts";
import type { RunObserver } from "./observer.ts";
import { Masker } from "./protocol/masker.ts";
import { Slots } from "./slots.ts";
import { warmFifos } from "./executors/fifo-pool.ts";
import { runResult, type RunReport } from "./types.ts";
import { runWorkflowJobs, type CarriedJob } from "./workflow-run.ts";
import type { EnvironmentGate } from "./environment-gate.ts";

export interface RunRequest {
  workflows: WorkflowModel[];
  event: EventFacts;
  changedFiles: string[] | undefined;
  repository: string;
  actor: string;
  /** --input values; `inputs` in the -e payload are merged in by the caller. */
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  onlyJob: string | null;
  parallel: number;
  settings: RunSettings;
  observer: RunObserver;
  cancel: AbortSignal;
  /** Creates the stored run and returns its id and number. */
  startRun(wf: WorkflowModel): Promise<{ runId: number; runNumber: number }>;
  finishRun(runId: number, report: RunReport): Promise<void>;
  /** A server shares its slots and concurrency groups across every run it starts. */
  shared?: { slots: Slots; groups: ConcurrencyGroups };
  /** `github.server_url` and `github.api_url`; GitHub's when absent. */
  urls?: { server: string; api: string };
  /** `github.run_attempt`; 1 when absent. */
  runAttempt?: number;
  /** Jobs of an earlier attempt that a re-run of failed jobs keeps, by job id: they count as done. */
  carried?: Map<string, CarriedJob>;
  /** Guards jobs that name an environment (the server's rules, or `.slipway.yml`'s for `slipway run`). */
  gate?: EnvironmentGate;
}

export type { CarriedJob } from "./workflow-run.ts";

export interface Triggered {
  workflow: WorkflowModel;
  reason: string;
}

/** Commit message markers that skip push and pull_request runs, as on GitHub. */
const SKIP_MARKERS = ["[skip ci]", "[ci skip]", "[no ci]", "[skip actions]", "[actions skip]"];

export function skipMarker(eventName: string, headMessage: string | undefined): string | null {
  if (eventName !== "push" && eventName !== "pull_request" && eventName !== "pull_request_target") return null;
  const lower = (headMessage ?? "").toLowerCase();
  return SKIP_MARKERS.find((m) => lower.includes(m)) ?? null;
}

/** Which workflows this event starts; also what `slipway list` shows. */
export function selectTriggered(workflows: WorkflowModel[], ev: EventFacts, changedFiles: string[] | undefined, headMessage?: string): Triggered[] {
  if (skipMarker(ev.name, headMessage ?? (ev.payload.head_commit as { message?: string } | undefined)?.message)) return [];
  const wr = ev.payload.workflow_run as { name?: unknown; head_branch?: unknown } | undefined;
  const te: TriggerEvent = {
    name: ev.name,
    action: typeof ev.payload.action === "string" ? ev.payload.action : undefined,
    ref: ev.ref,
    baseRef: ev.baseRef || undefined,
    changedFiles,
    workflowName: typeof wr?.name === "string" ? wr.name : undefined,
    headBranch: typeof wr?.head_branch === "string" ? wr.head_branch : undefined,
  };
  if (ev.name === "workflow_call") return workflows.filter((w) => "workflow_call" in w.on).map((w) => ({ workflow: w, reason: "called directly" }));
  return workflows.flatMap((w) => {
    const d = triggers(w.on, te);
    return d.triggered ? [{ workflow: w, reason: d.reason }] : [];
  });
}

/** Types inputs for every triggered workflow up front, so a bad `--input` fails before anything runs. */
export function checkInputs(triggered: Triggered[], eventName: string, given: Record<string, unknown>): Map<WorkflowModel, { inputs: Record<string, unknown>; eventInputs: Record<string, string> }> {
  const out = new Map<WorkflowModel, { inputs: Record<string, unknown>; eventInputs: Record<string, string> }>();
  const diagnostics: Diagnostic[] = [];
  for (const { workflow } of triggered) {
    const kind = eventName === "workflow_call" ? "workflow_call" : "workflow_dispatch";
    const decls = eventName === "workflow_dispatch" || eventName === "workflow_call" ? declaredInputs(workflow.on, kind) : null;
    if (!decls) {
      out.set(workflow, { inputs: {}, eventInputs: {} });
      continue;
    }
    const typed = typeInputs(decls, given, kind);
    for (const p of typed.problems) diagnostics.push({ file: workflow.file, line: 0, column: 0, severity: "error", message: p, rule: "input" });
    out.set(workflow, typed);
  }
  if (diagnostics.length) throw new InputError("invalid inputs", diagnostics);
  return out;
}

export async function runEvent(req: RunRequest, triggered: Triggered[]): Promise<RunReport[]> {
  const inputs = checkInputs(triggered, req.event.name, req.inputs);
  if (triggered.length) warmFifos();
  const masker = new Masker();
  for (const v of Object.values(req.secrets)) masker.add(v);
  const deps = {
    settings: req.settings,
    actions: new ActionLoader(path.join(req.settings.dataDir, "actions"), req.settings.actionsUrl),
    slots: req.shared?.slots ?? new Slots(req.parallel),
    groups: req.shared?.groups ?? new ConcurrencyGroups(),
    observer: req.observer,
    masker,
    cancel: req.cancel,
    workRoot: path.join(req.settings.dataDir, "work"),
    gate: req.gate,
  };
  return Promise.all(
    triggered.map(async ({ workflow }) => {
      const { runId, runNumber } = await req.startRun(workflow);
      const typed = inputs.get(workflow) ?? { inputs: {}, eventInputs: {} };
      const github = await githubContext(req, workflow, runId, runNumber, typed.eventInputs, deps.workRoot);
      const runner = { os: "Linux", arch: os.arch() === "arm64" ? "ARM64" : "X64", name: `slipway-${os.hostname()}`, environment: "self-hosted", debug: req.settings.debug ? "1" : "" };
      markImmutable(github);
      const runCancel = new AbortController();
      const cancel = AbortSignal.any([req.cancel, runCancel.signal]);
      const contexts: Contexts = { github, runner, inputs: typed.inputs, vars: req.vars, secrets: { ...req.secrets } };
      // Workflow-level concurrency holds across the runs this event starts (and, on a server, across events).
      const group = concurrencyOf(workflow.concurrency, contexts);
      const admitted = group ? await deps.groups.enter(group.name, group.cancelInProgress, () => runCancel.abort()) : true;
      let reports: RunReport["jobs"] = [];
      try {
        if (admitted) reports = (await runWorkflowJobs({ runId, workflow, contexts, onlyJob: req.onlyJob, prefix: "", depth: 0, carried: req.carried }, { ...deps, cancel })).reports;
      } finally {
        if (group && admitted) deps.groups.leave(group.name);
        // GITHUB_EVENT_PATH's folder lives as long as the run's steps.
        await rm(path.dirname(github.event_path as string), { recursive: true, force: true }).catch(() => undefined);
      }
      const result = !admitted || cancel.aborted ? "cancelled" : runResult(reports.filter((r) => !r.id.includes("/")));
      const report: RunReport = { runId, workflow: path.basename(workflow.file), name: runName(workflow, contexts), event: req.event.name, result, jobs: reports };
      await req.finishRun(runId, report);
      req.observer.runFinished(report);
      return report;
    }),
  );
}

function runName(wf: WorkflowModel, ctx: Contexts): string {
  if (wf.runName === null) return wf.name;
  try {
    return evalString(wf.runName, ctx) || wf.name;
  } catch {
    return wf.name;
  }
}

async function githubContext(req: RunRequest, wf: WorkflowModel, runId: number, runNumber: number, eventInputs: Record<string, string>, workRoot: string): Promise<Record<string, unknown>> {
  const ev = req.event;
  const payload = ev.name === "workflow_dispatch" || ev.name === "workflow_call" ? { ...ev.payload, inputs: eventInputs } : ev.payload;
  const dir = path.join(workRoot, `event-${runId}`);
  await mkdir(dir, { recursive: true });
  const eventPath = path.join(dir, "event.json");
  await writeFile(eventPath, JSON.stringify(payload, null, 2));
  const [owner] = req.repository.split("/");
  const token = req.secrets.GITHUB_TOKEN ?? "";
  return {
    event_name: ev.name,
    event: payload,
    event_path: eventPath,
    sha: ev.sha,
    ref: ev.ref,
    ref_name: ev.name === "pull_request" ? `${(ev.payload as { number?: number }).number ?? 1}/merge` : shortRef(ev.ref),
    ref_type: ev.ref.startsWith("refs/tags/") ? "tag" : "branch",
    ref_protected: false,
    head_ref: ev.headRef,
    base_ref: ev.baseRef,
    repository: req.repository,
    repository_owner: owner,
    repositoryUrl: `git://local/${req.repository}.git`,
    actor: req.actor,
    triggering_actor: req.actor,
    workflow: wf.name,
    workflow_ref: `${req.repository}/${wf.file}@${ev.ref}`,
    workflow_sha: ev.sha,
    run_id: String(runId),
    run_number: String(runNumber),
    run_attempt: String(req.runAttempt ?? 1),
    server_url: req.urls?.server ?? "https://github.com",
    api_url: req.urls?.api ?? "https://api.github.com",
    graphql_url: `${req.urls?.api ?? "https://api.github.com"}/graphql`,
    token,
    action: "",
    action_path: "",
    retention_days: "90",
    secret_source: "Actions",
    runner: os.hostname(),
  };
}
