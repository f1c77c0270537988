/**
 * Workflow commands printed by steps: `::name k=v,k2=v2::message`, and the older
 * `##[name k=v;k2=v2]message` form that actions/runner still accepts. Parsing follows the
 * runner's ActionCommand.TryParseV2 / TryParse exactly, quirks included (see comments).
 */
import { ordinalIgnoreCaseKey, trimDotNet, trimStartDotNet } from "./dotnet-text.ts";

export interface Command {
  /** Canonical lower-case name for built-in commands; a stop token as registered. */
  name: string;
  /** Keys compare case-insensitively in the runner; known keys are given their canonical spelling. */
  props: Record<string, string>;
  message: string;
}

/** Every command the runner registers (ExtensionManager), in no particular order. */
export const COMMAND_NAMES = [
  "set-env",
  "set-output",
  "save-state",
  "add-path",
  "add-mask",
  "add-matcher",
  "remove-matcher",
  "warning",
  "error",
  "notice",
  "debug",
  "group",
  "endgroup",
  "echo",
  "stop-commands",
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

const KNOWN_PROPS = ["file", "line", "endLine", "col", "endColumn", "title", "name", "owner"];
const CANONICAL_PROP = new Map(KNOWN_PROPS.map((k) => [ordinalIgnoreCaseKey(k), k]));

type Mapping = readonly (readonly [escaped: string, raw: string])[];

// Order matters: the runner unescapes with one Replace per entry, in this order, `%25` last.
const DATA_ESCAPES: Mapping = [["%0D", "\r"], ["%0A", "\n"], ["%25", "%"]];
const PROPERTY_ESCAPES: Mapping = [["%0D", "\r"], ["%0A", "\n"], ["%3A", ":"], ["%2C", ","], ["%25", "%"]];
const LEGACY_ESCAPES: Mapping = [["%3B", ";"], ["%0D", "\r"], ["%0A", "\n"], ["%5D", "]"], ["%25", "%"]];

function unescapeWith(s: string, mapping: Mapping): string {
  let out = s;
  for (const [escaped, raw] of mapping) out = out.replaceAll(escaped, raw);
  return out;
}

function escapeWith(s: string, mapping: Mapping): string {
  let out = s;
  for (let i = mapping.length - 1; i >= 0; i--) {
    const [escaped, raw] = mapping[i]!;
    out = out.replaceAll(raw, escaped);
  }
  return out;
}

export const unescapeData = (s: string): string => unescapeWith(s, DATA_ESCAPES);
export const unescapeProperty = (s: string): string => unescapeWith(s, PROPERTY_ESCAPES);
export const escapeData = (s: string): string => escapeWith(s, DATA_ESCAPES);
export const escapeProperty = (s: string): string => escapeWith(s, PROPERTY_ESCAPES);

/** Names the parser accepts, compared the way the runner's OrdinalIgnoreCase set does. */
export class CommandNameSet {
  private readonly names = new Map<string, string>();
  constructor(names: Iterable<string> = COMMAND_NAMES) {
    for (const n of names) this.add(n);
  }
  add(name: string): void {
    this.names.set(ordinalIgnoreCaseKey(name), name);
  }
  delete(name: string): void {
    this.names.delete(ordinalIgnoreCaseKey(name));
  }
  /** The registered spelling of `name`, or undefined. */
  lookup(name: string): string | undefined {
    return this.names.get(ordinalIgnoreCaseKey(name));
  }
}

const DEFAULT_NAMES = new CommandNameSet();

/**
 * One `key=value` entry split as .NET's `Split('=', 2, RemoveEmptyEntries)` does: leading `=`
 * are dropped, `=` right after the key are skipped, and an empty value drops the whole entry.
 */
function splitProperty(entry: string): [string, string] | null {
  const m = /^=*([^=]+)=+([\s\S]*)$/.exec(entry);
  if (!m || !m[1] || !m[2]) return null;
  return [m[1], m[2]];
}

function parseProps(text: string, separator: string, unescape: (s: string) => string): Record<string, string> {
  const props = new Map<string, [string, string]>();
  for (const entry of text.split(separator)) {
    const pair = entry === "" ? null : splitProperty(entry);
    if (!pair) continue;
    const key = ordinalIgnoreCaseKey(pair[0]);
    // A repeated key keeps its first spelling and takes the last value, like a .NET dictionary.
    const spelling = props.get(key)?.[0] ?? CANONICAL_PROP.get(key) ?? pair[0];
    props.set(key, [spelling, unescape(pair[1])]);
  }
  return Object.fromEntries(props.values());
}

function splitNameAndProps(info: string, names: CommandNameSet): { name: string; rest: string | null } | null {
  const space = info.indexOf(" ");
  const name = names.lookup(space < 0 ? info : info.slice(0, space));
  if (name === undefined) return null;
  // The runner only reads properties when the name is non-empty and followed by a space.
  return { name, rest: space > 0 ? info.slice(space + 1) : null };
}

/** `::name k=v,k2=v2::message`; leading whitespace allowed, nothing else before `::`. */
export function parseCommandV2(line: string, names: CommandNameSet = DEFAULT_NAMES): Command | null {
  const text = trimStartDotNet(line);
  if (!text.startsWith("::")) return null;
  const end = text.indexOf("::", 2);
  if (end < 0) return null;
  const head = splitNameAndProps(text.slice(2, end), names);
  if (!head) return null;
  const props = head.rest === null ? {} : parseProps(trimDotNet(head.rest), ",", unescapeProperty);
  return { name: head.name, props, message: unescapeData(text.slice(end + 2)) };
}

/** `##[name k=v;k2=v2]message`, which the runner finds anywhere in the line. */
export function parseCommandLegacy(line: string, names: CommandNameSet = DEFAULT_NAMES): Command | null {
  const start = line.indexOf("##[");
  if (start < 0) return null;
  const close = line.indexOf("]", start);
  if (close < 0) return null;
  const head = splitNameAndProps(line.slice(start + 3, close), names);
  if (!head) return null;
  const unescape = (s: string) => unescapeWith(s, LEGACY_ESCAPES);
  const props = head.rest === null ? {} : parseProps(head.rest, ";", unescape);
  return { name: head.name, props, message: unescape(line.slice(close + 1)) };
}

/** A line as the runner reads it: the `::` form first, then the `##[` form; null for plain output. */
export function parseCommandLine(line: string, names: CommandNameSet = DEFAULT_NAMES): Command | null {
  if (line === "") return null;
  return parseCommandV2(line, names) ?? parseCommandLegacy(line, names);
}

/** Formats a command the way the toolkit does, for tests and for Slipway's own built-in actions. */
export function formatCommand(cmd: Command): string {
  const props = Object.entries(cmd.props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(",");
  return `::${cmd.name}${props ? ` ${props}` : ""}::${escapeData(cmd.message)}`;
}
