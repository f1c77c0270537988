/**
 * The `options:` string of `container:`/`services:`, read as `docker create` flags. Only flags that
 * make sense for a job's containers are known; any other is an error naming it, so a workflow never
 * runs with an option silently dropped.
 */
export interface ParsedOptions {
  env: Record<string, string>;
  healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  entrypoint?: string[];
  user?: string;
  workdir?: string;
  hostname?: string;
  networkAliases: string[];
  labels: Record<string, string>;
  host: {
    Tmpfs?: Record<string, string>;
    ShmSize?: number;
    NanoCpus?: number;
    Memory?: number;
    Privileged?: boolean;
    Init?: boolean;
    CapAdd?: string[];
    CapDrop?: string[];
    ExtraHosts?: string[];
    SecurityOpt?: string[];
  };
}

/** Splits like a POSIX shell would, minus expansions: quotes group, backslash escapes. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && (s[i + 1] === '"' || s[i + 1] === "\\")) cur += s[++i] as string;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur ??= "";
    } else if (c === "\\" && i + 1 < s.length) {
      cur = (cur ?? "") + s[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? "") + c;
  }
  if (quote) throw new Error(`unterminated ${quote} quote in options: ${s}`);
  if (cur !== null) out.push(cur);
  return out;
}

type Handler = (o: ParsedOptions, value: string) => void;

const health = (o: ParsedOptions) => (o.healthcheck ??= { Test: [] });

/** Flags that take a value. Aliases share a handler. */
const valued: Record<string, Handler> = {
  "--health-cmd": (o, v) => void (health(o).Test = ["CMD-SHELL", v]),
  "--health-interval": (o, v) => void (health(o).Interval = parseDuration(v, "--health-interval")),
  "--health-timeout": (o, v) => void (health(o).Timeout = parseDuration(v, "--health-timeout")),
  "--health-start-period": (o, v) => void (health(o).StartPeriod = parseDuration(v, "--health-start-period")),
  "--health-retries": (o, v) => void (health(o).Retries = parseCount(v, "--health-retries")),
  "--entrypoint": (o, v) => void (o.entrypoint = v === "" ? [""] : [v]),
  "--name": () => undefined, // Slipway names containers itself, as GitHub does.
  "--env": (o, v) => addEnv(o, v),
  "--user": (o, v) => void (o.user = v),
  "--workdir": (o, v) => void (o.workdir = v),
  "--hostname": (o, v) => void (o.hostname = v),
  "--network-alias": (o, v) => void o.networkAliases.push(v),
  "--label": (o, v) => addLabel(o, v),
  "--tmpfs": (o, v) => addTmpfs(o, v),
  "--shm-size": (o, v) => void (o.host.ShmSize = parseBytes(v, "--shm-size")),
  "--memory": (o, v) => void (o.host.Memory = parseBytes(v, "--memory")),
  "--cpus": (o, v) => void (o.host.NanoCpus = parseCpus(v)),
  "--cap-add": (o, v) => void (o.host.CapAdd ??= []).push(v),
  "--cap-drop": (o, v) => void (o.host.CapDrop ??= []).push(v),
  "--add-host": (o, v) => void (o.host.ExtraHosts ??= []).push(v),
  "--security-opt": (o, v) => void (o.host.SecurityOpt ??= []).push(v),
};
const short: Record<string, string> = { "-e": "--env", "-u": "--user", "-w": "--workdir", "-h": "--hostname", "-l": "--label", "-m": "--memory" };
const flags: Record<string, (o: ParsedOptions) => void> = {
  "--privileged": (o) => void (o.host.Privileged = true),
  "--init": (o) => void (o.host.Init = true),
  "--no-healthcheck": (o) => void (o.healthcheck = { Test: ["NONE"] }),
  "--rm": () => undefined, // Slipway removes its containers anyway.
};

export function parseOptions(options: string | undefined): ParsedOptions {
  const o: ParsedOptions = { env: {}, networkAliases: [], labels: {}, host: {} };
  const args = splitArgs(options ?? "");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = short[eq < 0 ? arg : arg.slice(0, eq)] ?? (eq < 0 ? arg : arg.slice(0, eq));
    const flag = flags[name];
    if (flag && eq < 0) {
      flag(o);
      continue;
    }
    const handler = valued[name];
    if (!handler) throw new Error(`unsupported container option '${name}' in options: ${options}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new Error(`container option '${name}' needs a value`);
    handler(o, value);
  }
  return o;
}

function addEnv(o: ParsedOptions, v: string): void {
  const eq = v.indexOf("=");
  // `-e NAME` alone passes the variable through from the caller's environment, as docker does.
  if (eq < 0) {
    const passed = process.env[v];
    if (passed !== undefined) o.env[v] = passed;
  } else o.env[v.slice(0, eq)] = v.slice(eq + 1);
}

function addLabel(o: ParsedOptions, v: string): void {
  const eq = v.indexOf("=");
  o.labels[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? "" : v.slice(eq + 1);
}

function addTmpfs(o: ParsedOptions, v: string): void {
  const colon = v.indexOf(":");
  (o.host.Tmpfs ??= {})[colon < 0 ? v : v.slice(0, colon)] = colon < 0 ? "" : v.slice(colon + 1);
}

const durationUnits: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go durations ("1m30s", "500ms", "10s") in nanoseconds, as the Engine API wants them. */
export function parseDuration(v: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(v))) {
    total += Number(m[1]) * (durationUnits[m[2] as string] as number);
    end = re.lastIndex;
  }
  if (v === "0") return 0;
  if (end !== v.length || end === 0) throw new Error(`invalid duration '${v}' for ${flag} (e.g. 10s, 1m30s, 500ms)`);
  return Math.round(total);
}

function parseCount(v: string, flag: string): number {
  if (!/^\d+$/.test(v)) throw new Error(`invalid number '${v}' for ${flag}`);
  return Number(v);
}

/** docker's RAMInBytes: binary units b, k, m, g, t with an optional trailing b. */
export function parseBytes(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(v);
  if (!m) throw new Error(`invalid size '${v}' for ${flag} (e.g. 512m, 2g)`);
  const power = " kmgt".indexOf((m[2] || " ").toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

function parseCpus(v: string): number {
  if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`invalid number '${v}' for --cpus`);
  return Math.round(Number(v) * 1e9);
}
