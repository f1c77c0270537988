/** The variables every step sees: the machine's, then GitHub's defaults (CI, GITHUB_*, RUNNER_*). */
import os from "node:os";
import type { Executor } from "../executors/executor.ts";
import type { JobInstance } from "./job-runner.ts";
import type { RunSettings } from "./runtime.ts";

/** `base` is where the job runs: the machine's environment on the host, the image's in a container. */
export function defaultProcessEnv(inst: JobInstance, executor: Executor, settings: RunSettings, base: Record<string, string>): Record<string, string> {
  const gh = inst.contexts.github as Record<string, unknown>;
  const s = (k: string) => (gh[k] === undefined || gh[k] === null ? "" : String(gh[k]));
  return {
    ...base,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: executor.paths.workspace,
    GITHUB_SHA: s("sha"),
    GITHUB_REF: s("ref"),
    GITHUB_REF_NAME: s("ref_name"),
    GITHUB_REF_TYPE: s("ref_type"),
    GITHUB_REF_PROTECTED: "false",
    GITHUB_HEAD_REF: s("head_ref"),
    GITHUB_BASE_REF: s("base_ref"),
    GITHUB_REPOSITORY: s("repository"),
    GITHUB_REPOSITORY_OWNER: s("repository_owner"),
    GITHUB_RUN_ID: s("run_id"),
    GITHUB_RUN_NUMBER: s("run_number"),
    GITHUB_RUN_ATTEMPT: s("run_attempt"),
    GITHUB_JOB: inst.job.id,
    GITHUB_WORKFLOW: s("workflow"),
    GITHUB_WORKFLOW_REF: s("workflow_ref"),
    GITHUB_WORKFLOW_SHA: s("sha"),
    GITHUB_EVENT_NAME: s("event_name"),
    GITHUB_EVENT_PATH: s("event_path"),
    GITHUB_ACTOR: s("actor"),
    GITHUB_TRIGGERING_ACTOR: s("triggering_actor"),
    GITHUB_SERVER_URL: s("server_url"),
    GITHUB_API_URL: s("api_url"),
    GITHUB_GRAPHQL_URL: s("graphql_url"),
    GITHUB_RETENTION_DAYS: "90",
    GITHUB_ACTION: "",
    RUNNER_OS: "Linux",
    RUNNER_ARCH: os.arch() === "arm64" ? "ARM64" : "X64",
    RUNNER_NAME: `slipway-${os.hostname()}`,
    RUNNER_ENVIRONMENT: "self-hosted",
    RUNNER_TEMP: executor.paths.temp,
    RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE ?? executor.paths.toolCache,
    RUNNER_WORKSPACE: executor.paths.workspace,
    ...(settings.debug ? { RUNNER_DEBUG: "1" } : {}),
  };
}
