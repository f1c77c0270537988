/** Reading action inputs the way @actions/core does, collecting mistakes instead of throwing. */
import os from "node:os";
import path from "node:path";

export class InputReader {
  readonly errors: string[] = [];
  constructor(private readonly inputs: Record<string, string>) {}

  /** core.getInput: trimmed; an empty value takes the action.yml default. */
  str(name: string, fallback = ""): string {
    const v = (this.inputs[name] ?? "").trim();
    return v === "" ? fallback : v;
  }

  required(name: string): string {
    const v = this.str(name);
    if (!v) this.errors.push(`Input required and not supplied: ${name}`);
    return v;
  }

  /** core.getBooleanInput: only the YAML 1.2 spellings of true and false. */
  bool(name: string, fallback: boolean): boolean {
    const v = this.str(name);
    if (v === "") return fallback;
    if (["true", "True", "TRUE"].includes(v)) return true;
    if (["false", "False", "FALSE"].includes(v)) return false;
    this.errors.push(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``);
    return fallback;
  }

  /** A multi-line input: trimmed lines, blanks dropped, `! x` tightened to `!x` as actions/cache does. */
  lines(name: string): string[] {
    return (this.inputs[name] ?? "")
      .split("\n")
      .map((s) => s.replace(/^!\s+/, "!").trim())
      .filter((s) => s !== "");
  }
}

export function homeOf(home: string | undefined): string {
  return home || os.homedir();
}

/** A destination path as download-artifact resolves it: a leading `~` is home, relative is under the workspace. */
export function resolveDest(input: string, workspace: string, home: string): string {
  const p = input.startsWith("~") ? input.replace("~", home) : input;
  return path.resolve(workspace, p);
}
