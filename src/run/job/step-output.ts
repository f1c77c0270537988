/**
 * Turns a step's output lines into log events and effects: workflow commands (`::group::`,
 * `::add-mask::`, annotations, the deprecated set-output/save-state/set-env/add-path),
 * `::stop-commands::`, and masking of every line that reaches a log.
 */
import { parseCommandLine } from "../protocol/workflow-command.ts";
import type { Masker } from "../protocol/masker.ts";
import type { JobLog } from "./log.ts";

export interface CommandEffects {
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  setEnv(name: string, value: string): void;
  addPath(p: string): void;
  /** Whether ACTIONS_ALLOW_UNSECURE_COMMANDS is true for this step. */
  unsecureAllowed: boolean;
}

export class StepOutput {
  private stopToken: string | null = null;

  constructor(
    private readonly log: JobLog,
    private readonly masker: Masker,
    private readonly step: number | null,
    private readonly effects: CommandEffects,
  ) {}

  line(raw: string): void {
    if (this.stopToken !== null) {
      if (raw.trim() === `::${this.stopToken}::`) this.stopToken = null;
      else this.emit("output", raw);
      return;
    }
    const cmd = raw.includes("::") ? parseCommandLine(raw) : null;
    if (!cmd) return this.emit("output", raw);
    this.command(cmd.name, cmd.props, cmd.message, raw);
  }

  private command(name: string, props: Record<string, string>, message: string, raw: string): void {
    switch (name) {
      case "add-mask":
        this.masker.add(message);
        return;
      case "group":
        return this.emit("group", message);
      case "endgroup":
        return this.emit("endgroup", "");
      case "error":
      case "warning":
      case "notice":
        return this.emit(name, annotationText(props, message));
      case "debug":
        return this.emit("debug", message);
      case "stop-commands":
        this.stopToken = message;
        return;
      case "set-output":
        this.effects.setOutput(props.name ?? "", message);
        this.emit("warning", "The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment Files.");
        return;
      case "save-state":
        this.effects.saveState(props.name ?? "", message);
        return;
      case "set-env":
      case "add-path":
        if (!this.effects.unsecureAllowed) {
          this.emit("error", `Unable to process command '${raw}' successfully.`);
          this.emit("error", `The \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`.`);
          this.failed = true;
          return;
        }
        if (name === "set-env") this.effects.setEnv(props.name ?? "", message);
        else this.effects.addPath(message);
        return;
      case "echo":
      case "add-matcher":
      case "remove-matcher":
        return;
      default:
        this.emit("output", raw);
    }
  }

  /** A refused command fails the step, as it does on GitHub. */
  failed = false;

  emit(kind: Parameters<JobLog["write"]>[0]["kind"], text: string): void {
    this.log.write({ kind, text: this.masker.mask(text), step: this.step });
  }
}

function annotationText(props: Record<string, string>, message: string): string {
  const where = props.file ? `${props.file}${props.line ? `:${props.line}` : ""}${props.col ? `:${props.col}` : ""}: ` : "";
  const title = props.title ? `${props.title}: ` : "";
  return `${where}${title}${message}`;
}
