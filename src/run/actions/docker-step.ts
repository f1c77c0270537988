/**
 * Docker container actions (`runs.using: docker`) and `uses: docker://image` steps: each phase (pre,
 * main, post entrypoint) is one container, started through run/actions/docker; the command files and
 * workflow commands work as for any other step.
 */
import { evalString, type Contexts } from "../../expr/evaluate.ts";
import type { StepModel } from "../../workflow/model.ts";
import type { Frame, JobRuntime } from "../job/runtime.ts";
import { frameContexts } from "../job/runtime.ts";
import { execWithCommands } from "../job/exec-step.ts";
import { evaluateCondition } from "../../expr/evaluate.ts";
import { actionInputs, inputEnv } from "./inputs.ts";
import type { LoadedAction } from "./loader.ts";

interface Phase {
  image: string;
  actionDir: string | null;
  entrypoint?: string;
  args: string[];
  env: Record<string, string>;
}

const dockerActions = () => import("./docker/index.ts");

async function runPhase(rt: JobRuntime, frame: Frame, step: StepModel, index: number, stepEnv: Record<string, string>, signal: AbortSignal, phase: Phase, stateKey: string, extraEnv: Record<string, string>): Promise<boolean> {
  const { runDockerAction } = await dockerActions();
  const gh = rt.contexts.github as { event_path?: string };
  return execWithCommands(rt, frame, step, index, {
    argv: [],
    cwd: rt.executor.paths.workspace,
    stepEnv,
    signal,
    stateKey,
    extraEnv: { ...extraEnv, ...phase.env },
    runner: (env, onLine, s) =>
      runDockerAction({
        image: phase.image,
        actionDir: phase.actionDir,
        entrypoint: phase.entrypoint,
        args: phase.args,
        env: containerEnv(rt, frame, stepEnv, env, phase.env),
        hostWorkspace: rt.executor.paths.hostWorkspace,
        hostTemp: rt.executor.paths.hostTemp,
        eventPath: gh.event_path ?? "",
        network: rt.environment.network() ?? undefined,
        labels: rt.environment.labels,
        aliases: rt.settings.imageAliases,
        onLine,
        signal: s,
        log: (l) => rt.log.write({ kind: "output", text: rt.masker.mask(l), step: index }),
      }),
  });
}

/**
 * What a Docker action's container sees, as on GitHub: the runner's variables, the workflow/job/step
 * env and the action's own env, but not this machine's environment (its PATH would break the image's).
 */
function containerEnv(rt: JobRuntime, frame: Frame, stepEnv: Record<string, string>, processEnv: Record<string, string>, actionEnv: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(processEnv)) if (k === "CI" || /^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/.test(k)) out[k] = v;
  Object.assign(out, rt.scope.envContext({ ...frame.envOverlay, ...stepEnv }), actionEnv);
  out.GITHUB_WORKSPACE = rt.executor.paths.hostWorkspace;
  out.RUNNER_TEMP = rt.executor.paths.hostTemp;
  return out;
}

/** `uses: docker://image`, with `with: { entrypoint, args }` as GitHub reads them. */
export async function runDockerUri(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal): Promise<boolean> {
  const w = (k: string) => (step.with[k] === undefined ? undefined : evalString(step.with[k], ctx));
  const entrypoint = w("entrypoint") || undefined;
  const args = splitArgs(w("args") ?? "");
  return runPhase(rt, frame, step, index, stepEnv, signal, { image: step.uses ?? "", actionDir: null, entrypoint, args, env: {} }, `${frame.depth}:${step.id}`, {});
}

export async function runDockerAction(rt: JobRuntime, frame: Frame, step: StepModel, index: number, ctx: Contexts, stepEnv: Record<string, string>, signal: AbortSignal, action: LoadedAction): Promise<boolean> {
  const runs = action.model.runs;
  if (runs.using !== "docker") return false;
  const warn = (m: string) => rt.log.write({ kind: "warning", text: m, step: index });
  const inputs = actionInputs(action.model, step, ctx, warn);
  const actionCtx: Contexts = { ...ctx, inputs };
  const args = runs.args.map((a) => evalString(a, actionCtx));
  const env: Record<string, string> = {};
  if (runs.env && typeof runs.env === "object" && !Array.isArray(runs.env)) {
    for (const [k, v] of Object.entries(runs.env)) env[k] = evalString(v as never, actionCtx);
  }
  const extraEnv = { ...inputEnv(inputs), GITHUB_ACTION_PATH: action.dir, GITHUB_ACTION_REPOSITORY: action.repository, GITHUB_ACTION_REF: action.ref };
  const base = { image: runs.image, actionDir: action.dir, env };
  const key = `${frame.depth}:${step.id}`;
  // GitHub runs pre-entrypoint before the job's steps for repository actions; Slipway right before main.
  if (runs.preEntrypoint && evaluateCondition(runs.preIf, ctx)) {
    if (!(await runPhase(rt, frame, step, index, stepEnv, signal, { ...base, entrypoint: runs.preEntrypoint, args }, key, extraEnv))) return false;
  }
  const ok = await runPhase(rt, frame, step, index, stepEnv, signal, { ...base, entrypoint: runs.entrypoint, args }, key, extraEnv);
  if (runs.postEntrypoint) {
    const post = runs.postEntrypoint;
    rt.scope.postSteps.push(async () => {
      if (!evaluateCondition(runs.postIf, frameContexts(rt, frame, stepEnv))) return;
      rt.log.write({ kind: "group", text: `Post ${step.uses}`, step: index });
      const postOk = await runPhase(rt, frame, { ...step, id: `${step.id}__post` }, index, stepEnv, rt.stepSignal(), { ...base, entrypoint: post, args }, key, extraEnv);
      delete frame.steps[`${step.id}__post`];
      rt.log.write({ kind: "endgroup", text: "", step: index });
      if (!postOk) rt.scope.postFailed = true;
    });
  }
  return ok;
}

/** `with.args` is one string; GitHub splits it like a shell would, honouring quotes. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let has = false;
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      cur += c;
      escaped = false;
    } else if (c === "\\" && quote !== "'") {
      escaped = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (cur || has) out.push(cur);
      cur = "";
      has = false;
    } else cur += c;
  }
  if (cur || has) out.push(cur);
  return out;
}
