/** The contract between the engine and the built-in setup-* actions. */

export interface BuiltinContext {
  /** The step's `with:` values after evaluation, plus action defaults, named as in the action. */
  inputs: Record<string, string>;
  /** Host path of GITHUB_WORKSPACE; version files are relative to it. */
  workspace: string;
  /** The step's process environment (PATH, RUNNER_TOOL_CACHE, ...). */
  env: Record<string, string>;
  log(line: string): void;
}

export interface BuiltinResult {
  /** False fails the step; log() has then said why. */
  ok: boolean;
  outputs: Record<string, string>;
  /** Directories to put first on PATH for later steps, the chosen tool's bin dir first. */
  addPath: string[];
  /** Environment for later steps. */
  addEnv: Record<string, string>;
}

export function failure(ctx: BuiltinContext, message: string): BuiltinResult {
  ctx.log(message);
  return { ok: false, outputs: {}, addPath: [], addEnv: {} };
}

/** Boolean inputs the way @actions/core reads them (YAML 1.2 core schema words). */
export function isTrue(value: string | undefined): boolean {
  return ["true", "True", "TRUE"].includes(value ?? "");
}

/** The tool-cache architecture folder: `architecture` input or the machine's. */
export function archOf(ctx: BuiltinContext): string {
  return ctx.inputs.architecture || process.arch;
}

/** Caching is actions/cache's job; say so instead of silently dropping the input. */
export function noteIgnoredInputs(ctx: BuiltinContext, action: string, cacheOn: boolean): void {
  if (cacheOn) ctx.log(`${action}: 'cache: ${ctx.inputs.cache || "true"}' is accepted but ignored; Slipway does not cache dependencies here (use actions/cache).`);
  if (isTrue(ctx.inputs["check-latest"])) ctx.log(`${action}: 'check-latest' is ignored; Slipway only uses versions already on this machine.`);
}
