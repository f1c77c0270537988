/** `slipway run [EVENT]`: runs the workflows an event triggers, on this machine. */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../common/errors.ts";
import { readRepo, changedBetween, resolveRef } from "../git/repo.ts";
import { synthesizeEvent } from "../plan/event.ts";
import { runEvent, selectTriggered, skipMarker } from "../run/engine.ts";
import { fanOut } from "../run/observer.ts";
import { runResult } from "../run/types.ts";
import { killAllSteps } from "../run/executors/host.ts";
import { warmFifos } from "../run/executors/fifo-pool.ts";
import { pairs, parse, parseDotenv } from "./args.ts";
import { dataDir, openStore } from "./data-dir.ts";
import { StoreRecorder } from "../service/recorder.ts";
import { TerminalRenderer } from "./render.ts";
import { loadValidWorkflows, readRepoConfig } from "../service/workflow-files.ts";
import type { LocalEnvironment } from "../workflow/repo-config-environments.ts";

const OPTIONS = {
  C: { type: "string", short: "C" },
  W: { type: "string", short: "W" },
  j: { type: "string", short: "j" },
  e: { type: "string", short: "e" },
  ref: { type: "string" },
  input: { type: "string", multiple: true },
  secret: { type: "string", multiple: true, short: "s" },
  "secret-file": { type: "string" },
  var: { type: "string", multiple: true },
  "env-file": { type: "string" },
  parallel: { type: "string" },
  "actions-url": { type: "string" },
  "data-dir": { type: "string" },
  json: { type: "boolean" },
  platform: { type: "string", multiple: true, short: "P" },
  approve: { type: "string", multiple: true },
} as const;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, "run");
  if (positionals.length > 1) throw new InputError(`slipway run takes one EVENT, got: ${positionals.join(" ")}`);
  const eventName = positionals[0] ?? "push";
  const dir = dataDir(values["data-dir"]);
  // git starts first; the store (synchronous underneath) opens while git's processes run.
  const reading = readRepo(path.resolve((values.C as string) ?? "."));
  reading.catch(() => undefined);
  const storeOpening = openStore(dir);
  storeOpening.catch(() => undefined);
  // The step pipes are made by a process of their own; it runs while the workflows are parsed.
  warmFifos();
  const repo = await reading;
  const workflows = await loadValidWorkflows(repo.root, values.W as string | undefined, path.join(dir, "cache", "workflows"));
  const config = await readRepoConfig(repo.root);
  const override = values.e ? readJson(values.e as string) : null;
  const ref = (values.ref as string | undefined) ?? null;
  if (ref && !ref.startsWith("refs/")) throw new InputError(`--ref ${ref}: give a full ref such as refs/heads/main or refs/tags/v1.0`);
  const event = synthesizeEvent(eventName, repo, ref, override);
  const changedFiles = eventChangedFiles(eventName, repo, event.payload);
  const triggered = selectTriggered(workflows, event, changedFiles, repo.headCommit.message);
  const skip = skipMarker(eventName, repo.headCommit.message);
  if (skip) process.stderr.write(`slipway: the head commit's message contains ${skip}: no ${eventName} workflow runs\n`);
  const secrets = { ...(values["secret-file"] ? parseDotenv(readText(values["secret-file"] as string), values["secret-file"] as string) : {}), ...pairs(values.secret, "secret") };
  secrets.GITHUB_TOKEN ??= process.env.GITHUB_TOKEN ?? "";
  const envFile = values["env-file"] ? parseDotenv(readText(values["env-file"] as string), values["env-file"] as string) : {};
  const inputs = { ...((override?.inputs as Record<string, unknown> | undefined) ?? {}), ...pairs(values.input, "input") };
  const parallel = values.parallel ? Number(values.parallel) : os.availableParallelism();
  if (!Number.isInteger(parallel) || parallel < 1) throw new InputError(`--parallel ${values.parallel}: expected a whole number of at least 1`);
  const only = (values.j as string | undefined) ?? null;
  if (only && !workflows.some((w) => w.jobs.some((j) => j.id === only))) throw new InputError(`-j ${only}: no job with that id in ${workflows.map((w) => w.file).join(", ") || "the workflows"}`);
  const store = await storeOpening;
  const recorder = new StoreRecorder(store);
  const renderer = new TerminalRenderer(process.stderr, process.stderr.isTTY === true, triggered.length > 1);
  const cancel = new AbortController();
  const onSignal = () => {
    process.stderr.write("\nslipway: cancelling (Ctrl-C again to stop at once)\n");
    if (cancel.signal.aborted) {
      killAllSteps();
      process.exit(130);
    }
    cancel.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  if (!triggered.length && !skip) process.stderr.write(`slipway: no workflow is triggered by '${eventName}'\n`);
  for (const [k, v] of Object.entries(envFile)) process.env[k] = v;
  try {
    const reports = await runEvent(
      {
        workflows,
        event,
        changedFiles,
        repository: repo.repository,
        actor: repo.actor,
        inputs,
        secrets,
        vars: pairs(values.var, "var"),
        onlyJob: only,
        parallel,
        settings: {
          dataDir: dir,
          actionsUrl: ((values["actions-url"] as string | undefined) ?? "https://github.com").replace(/\/+$/, ""),
          repoRoot: repo.root,
          platforms: { ...config.platforms, ...pairs(values.platform, "platform") },
          imageAliases: config.images,
        },
        observer: fanOut([renderer, recorder]),
        cancel: cancel.signal,
        startRun: (wf) => recorder.startRun(repo.root, wf.file, wf.name, eventName, event.sha, event.ref, repo.actor),
        finishRun: (id, r) => recorder.finishRun(id, r),
        gate: await localGate(config.environments, values.approve as string[] | undefined),
      },
      triggered.filter((t) => !only || t.workflow.jobs.some((j) => j.id === only)),
    );
    renderer.summary();
    const overall = runResult(reports);
    if (values.json) process.stdout.write(`${JSON.stringify(jsonSummary(overall, reports))}\n`);
    return overall === "success" ? 0 : 1;
  } finally {
    await recorder.flush();
    await store.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Only a repository that declares environments (or a run given --approve) pays for the gate. */
async function localGate(environments: Record<string, LocalEnvironment>, approved: string[] | undefined) {
  if (!Object.keys(environments).length) return undefined;
  const { LocalGate } = await import("./local-gate.ts");
  const unknown = (approved ?? []).filter((a) => !Object.keys(environments).some((k) => k.toLowerCase() === a.toLowerCase()));
  if (unknown.length) process.stderr.write(`slipway: --approve ${unknown.join(", ")}: no such environment in .slipway.yml (known: ${Object.keys(environments).join(", ")})\n`);
  const { gateTiming } = await import("../server/deploy/timing.ts");
  return new LocalGate({ environments, approved: approved ?? [], interactive: process.stdin.isTTY === true && process.stderr.isTTY === true, minuteMs: gateTiming(undefined).minuteMs });
}

function jsonSummary(result: string, reports: Awaited<ReturnType<typeof runEvent>>) {
  return {
    result,
    runs: reports.map((r) => ({
      runId: r.runId,
      workflow: r.workflow,
      name: r.name,
      event: r.event,
      result: r.result,
      jobs: r.jobs.map((j) => ({ id: j.id, name: j.name, matrix: j.matrix, result: j.result, outputs: j.outputs, steps: j.steps.map((s) => ({ id: s.id, name: s.name, outcome: s.outcome, conclusion: s.conclusion })), ...(j.reason ? { reason: j.reason } : {}) })),
    })),
  };
}

function eventChangedFiles(eventName: string, repo: Awaited<ReturnType<typeof readRepo>>, payload: Record<string, unknown>): string[] | undefined {
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return repo.changedFiles;
  const pr = payload.pull_request as { base?: { ref?: string; sha?: string }; head?: { sha?: string } } | undefined;
  const base = pr?.base?.sha ?? (pr?.base?.ref ? resolveRef(repo.root, pr.base.ref) : null);
  const head = pr?.head?.sha && resolveRef(repo.root, pr.head.sha) ? pr.head.sha : repo.sha;
  if (base && base !== head) {
    const files = changedBetween(repo.root, base, head);
    if (files && files.length) return files;
  }
  // A synthesized pull request from the default branch itself has no diff; use the last commit's.
  return repo.changedFiles;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

function readJson(file: string): Record<string, unknown> {
  const text = readText(file);
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("the payload must be a JSON object");
    return v;
  } catch (e) {
    throw new InputError(`${file}:1:1: invalid event payload: ${(e as Error).message}`);
  }
}
