/**
 * The workflow as Slipway's engine sees it: plain JSON, produced once by the loader from GitHub's
 * parser output. Everything evaluated at run time is a `Tpl`; everything fixed by the file is plain.
 */
import type { Tpl } from "../expr/template.ts";

export interface Position {
  line: number;
  column: number;
}

export interface WorkflowModel {
  /** Path relative to the repository root, e.g. ".github/workflows/ci.yml". */
  file: string;
  /** `name:`, or the file path when absent (GitHub's default). */
  name: string;
  runName: Tpl | null;
  /** `on:` normalised to a mapping of event name to its (literal) configuration. */
  on: Record<string, unknown>;
  env: Tpl | null;
  defaults: Tpl | null;
  concurrency: Tpl | null;
  permissions: unknown;
  jobs: JobModel[];
}

export interface JobModel {
  id: string;
  name: Tpl | null;
  needs: string[];
  /** The condition, already wrapped in `success() && (...)` when it has no status function. */
  if: string;
  runsOn: Tpl | null;
  env: Tpl | null;
  defaults: Tpl | null;
  strategy: Tpl | null;
  continueOnError: Tpl;
  timeoutMinutes: Tpl | null;
  concurrency: Tpl | null;
  outputs: Record<string, Tpl>;
  environment: Tpl | null;
  container: Tpl | null;
  services: Tpl | null;
  permissions: unknown;
  steps: StepModel[];
  /** A job that calls a reusable workflow. */
  uses: string | null;
  with: Record<string, Tpl> | null;
  secrets: Record<string, Tpl> | "inherit" | null;
  at: Position;
}

export interface StepModel {
  /** The user's id, or a generated one (`__run`, `__actions_checkout`) as GitHub generates it. */
  id: string;
  generatedId: boolean;
  name: Tpl | null;
  if: string;
  run: Tpl | null;
  uses: string | null;
  with: Record<string, Tpl>;
  env: Tpl | null;
  shell: Tpl | null;
  workingDirectory: Tpl | null;
  continueOnError: Tpl;
  timeoutMinutes: Tpl | null;
  at: Position;
}

export interface InputSpec {
  type: "string" | "boolean" | "number" | "choice" | "environment";
  description?: string;
  required: boolean;
  default?: string | boolean | number | Tpl;
  options?: string[];
}

export interface ActionModel {
  /** Directory of the action relative to its repository, "" for the root. */
  name: string;
  description: string;
  inputs: Record<string, { required: boolean; default: Tpl | null; deprecationMessage?: string }>;
  outputs: Record<string, { value: Tpl | null }>;
  runs: ActionRuns;
}

export type ActionRuns =
  | { using: "composite"; steps: StepModel[] }
  | {
      using: "node12" | "node16" | "node20" | "node24";
      main: string;
      pre?: string;
      post?: string;
      preIf: string;
      postIf: string;
    }
  | {
      using: "docker";
      image: string;
      env: Tpl | null;
      entrypoint?: string;
      args: Tpl[];
      preEntrypoint?: string;
      postEntrypoint?: string;
      preIf: string;
      postIf: string;
    };
