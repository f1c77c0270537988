/**
 * Where a docker action finds the job's files, as GitHub's runner mounts them, and its environment
 * with every host path rewritten to the container's view of it.
 */
import path from "node:path";

export const WORKSPACE = "/github/workspace";
export const RUNNER_TEMP = "/github/runner_temp";
export const FILE_COMMANDS = "/github/file_commands";
export const HOME = "/github/home";
export const WORKFLOW = "/github/workflow";
export const EVENT_PATH = `${WORKFLOW}/event.json`;

/** The variables naming a step's command files; they are mounted where GitHub puts them. */
const COMMAND_FILES = ["GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"] as const;

export interface LayoutInput {
  env: Record<string, string>;
  hostWorkspace: string;
  hostTemp: string;
  /** Absent when the engine wrote none; no mount then (a missing bind source becomes a directory). */
  eventPath: string | null;
}

export interface ContainerLayout {
  binds: string[];
  env: Record<string, string>;
  /** HOME on this machine, created before the container starts. */
  hostHome: string;
}

interface Mapping {
  host: string;
  container: string;
}

export function actionLayout(input: LayoutInput): ContainerLayout {
  const hostTemp = path.resolve(input.hostTemp);
  const hostHome = path.join(hostTemp, "_github_home");
  const mappings: Mapping[] = [
    { host: path.resolve(input.hostWorkspace), container: WORKSPACE },
    { host: hostTemp, container: RUNNER_TEMP },
    { host: hostHome, container: HOME },
  ];
  if (input.eventPath) mappings.push({ host: path.resolve(input.eventPath), container: EVENT_PATH });
  const commands = commandFileMappings(input.env);
  const binds = [...mappings, ...commands].map((m) => `${m.host}:${m.container}`);
  // On a tie (command files kept in RUNNER_TEMP itself) other paths go to /github/runner_temp.
  const env = translateEnv(input.env, [...mappings, ...commands]);
  for (const v of COMMAND_FILES) {
    const f = input.env[v];
    if (f) env[v] = toContainerPath(f, commands);
  }
  Object.assign(env, { GITHUB_WORKSPACE: WORKSPACE, RUNNER_TEMP, HOME });
  if (input.eventPath) env.GITHUB_EVENT_PATH = EVENT_PATH;
  return { binds: dedupe(binds), env, hostHome };
}

/**
 * The command files' folder goes to /github/file_commands, as on GitHub; a file living somewhere
 * else (an engine that scatters them) is mounted on its own beside them.
 */
function commandFileMappings(env: Record<string, string>): Mapping[] {
  const files = COMMAND_FILES.map((v) => env[v]).filter((f): f is string => !!f && path.isAbsolute(f));
  const first = files[0];
  if (!first) return [];
  const dir = path.dirname(first);
  const out: Mapping[] = [{ host: dir, container: FILE_COMMANDS }];
  for (const f of files) {
    if (path.dirname(f) !== dir) out.push({ host: f, container: `${FILE_COMMANDS}/${path.basename(f)}` });
  }
  return out;
}

/** Each value that is a mapped host path, or lies below one, is rewritten; the deepest mapping wins. */
function translateEnv(env: Record<string, string>, mappings: Mapping[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = toContainerPath(v, mappings);
  return out;
}

/** Sorting is stable: on equal depth the earlier mapping wins. */
function toContainerPath(value: string, mappings: Mapping[]): string {
  const ordered = [...mappings].sort((a, b) => b.host.length - a.host.length);
  for (const m of ordered) {
    if (value === m.host) return m.container;
    if (value.startsWith(`${m.host}/`)) return m.container + value.slice(m.host.length);
  }
  return value;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
