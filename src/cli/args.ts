/** Command-line parsing: a bad flag is the user's mistake (exit 2), never a stack trace. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../common/errors.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parse(argv: string[], options: Options, command: string): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, unknown>, positionals: r.positionals };
  } catch (e) {
    throw new InputError(`slipway ${command}: ${(e as Error).message.split("\n")[0]}. See 'slipway help'.`);
  }
}

/** `NAME=VALUE` pairs from repeated flags. */
export function pairs(values: unknown, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new InputError(`--${flag} '${item}': expected NAME=VALUE`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Dotenv-style files for --secret-file and --env-file: NAME=VALUE lines, # comments, optional quotes. */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new InputError(`${file}:${i + 1}:1: expected NAME=VALUE`);
    let v = m[2] ?? "";
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    if (raw.trim().startsWith('"')) v = v.replace(/\\n/g, "\n");
    out[m[1] as string] = v;
  });
  return out;
}
