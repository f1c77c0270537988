/** What the engine hands the artifact builtins, and what they give back. */
export interface ArtifactContext {
  /** The step's `with:` values, evaluated; missing ones take the action's defaults here. */
  inputs: Record<string, string>;
  /** Host path of GITHUB_WORKSPACE; relative paths resolve against it. */
  workspace: string;
  /** Slipway's data dir; artifacts live in <dataDir>/artifacts/<runId>/. */
  dataDir: string;
  /** Artifacts are shared by the jobs of one run. */
  runId: number;
  jobName: string;
  /** For `~` in paths; the Slipway process's home when absent. */
  home?: string;
  log(line: string): void;
  warn(line: string): void;
  /** The reason a step fails (core.setFailed); logged as a plain line when absent. */
  error?(line: string): void;
}

/** ok=false fails the step; the reason has been logged or warned first. */
export interface BuiltinOutcome {
  ok: boolean;
  outputs: Record<string, string>;
}

export interface ArtifactSummary {
  id: number;
  name: string;
  /** Bytes of the stored files. */
  size: number;
  files: number;
  createdAt: string;
  /** null: no retention-days given, so the server's default retention applies. */
  expiresAt: string | null;
  /** Folder holding the artifact's files as they were uploaded. */
  path: string;
}

/** Says why the step fails, as core.setFailed would, and returns the failed outcome. */
export function failWith(ctx: { log(line: string): void; error?(line: string): void }, message: string, outputs: Record<string, string> = {}): BuiltinOutcome {
  if (ctx.error) ctx.error(message);
  else ctx.log(message);
  return { ok: false, outputs };
}
