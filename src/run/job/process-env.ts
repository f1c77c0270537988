/** The environment a step's process gets: machine, GitHub's defaults, env layers, then files and PATH. */
import type { JobRuntime, Frame } from "./runtime.ts";

export function stepProcessEnv(rt: JobRuntime, frame: Frame, stepEnv: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...rt.processEnv, ...rt.scope.envContext({ ...frame.envOverlay, ...stepEnv }), ...extra };
  const gh = frame.github as Record<string, unknown>;
  if (typeof gh.action_path === "string" && gh.action_path) env.GITHUB_ACTION_PATH = gh.action_path;
  if (typeof gh.action === "string") env.GITHUB_ACTION = gh.action;
  if (rt.scope.addedPath.length) env.PATH = [...rt.scope.addedPath, env.PATH ?? ""].join(":");
  return env;
}
