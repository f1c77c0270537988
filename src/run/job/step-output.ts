/**
 * Applies what the workflow-command protocol (run/protocol/command-processor.ts) makes of each output
 * line: log events for output, groups and annotations, masks, and the effects of the deprecated
 * set-output / save-state / set-env / add-path commands. Every line is masked before it is logged.
 */
import { CommandProcessor, allowUnsecureCommands, allowUnsecureStopTokens, type CommandEffect } from "../protocol/command-processor.ts";
import { limitAnnotationMessage, type Annotation } from "../protocol/annotations.ts";
import type { Masker } from "../protocol/masker.ts";
import type { JobLog, LogKind } from "./log.ts";

export interface CommandEffects {
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  setEnv(name: string, value: string): void;
  addPath(p: string): void;
}

export interface StepOutputOptions {
  /** The step's environment: ACTIONS_ALLOW_UNSECURE_COMMANDS and friends are read from it. */
  env: Record<string, string>;
  workspace: string;
}

export class StepOutput {
  private readonly processor: CommandProcessor;
  /** A refused command fails the step, as it does on GitHub. */
  failed = false;

  constructor(
    private readonly log: JobLog,
    private readonly masker: Masker,
    private readonly step: number | null,
    private readonly effects: CommandEffects,
    opts: StepOutputOptions,
  ) {
    this.processor = new CommandProcessor({
      allowUnsecureCommands: allowUnsecureCommands(process.env.ACTIONS_ALLOW_UNSECURE_COMMANDS, opts.env.ACTIONS_ALLOW_UNSECURE_COMMANDS),
      allowUnsecureStopTokens: allowUnsecureStopTokens(process.env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS, opts.env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS),
      echo: (opts.env.ACTIONS_STEP_DEBUG ?? "").toLowerCase() === "true",
      warnDeprecatedOutputCommands: true,
      workspace: opts.workspace,
    });
  }

  line(raw: string): void {
    // Most lines carry no command; skip the parser for them.
    if (!raw.includes("::") && !raw.includes("##[")) return this.emit("output", raw);
    for (const effect of this.processor.processLine(raw)) this.apply(effect);
  }

  private apply(e: CommandEffect): void {
    switch (e.type) {
      case "output":
      case "echo":
        return this.emit("output", e.line);
      case "debug":
        return this.emit("debug", e.message);
      case "group":
        return this.emit("group", e.title);
      case "endgroup":
        return this.emit("endgroup", "");
      case "annotation":
        return this.emit(e.annotation.level, annotationText(e.annotation, this.masker));
      case "mask":
        if (e.split) this.masker.add(e.value);
        else this.masker.addValue(e.value);
        return;
      case "set-output":
        return this.effects.setOutput(e.name, e.value);
      case "save-state":
        return this.effects.saveState(e.name, e.value);
      case "set-env":
        return this.effects.setEnv(e.name, e.value);
      case "add-path":
        return this.effects.addPath(e.path);
      case "add-matcher":
      case "remove-matcher":
        // Problem matchers turn output into annotations on GitHub; Slipway shows the output as is.
        return;
      case "fail":
        this.failed = true;
        return;
    }
  }

  emit(kind: LogKind, text: string): void {
    this.log.write({ kind, text: this.masker.mask(text), step: this.step });
  }
}

function annotationText(a: Annotation, masker: Masker): string {
  const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ""}${a.col ? `:${a.col}` : ""}: ` : "";
  const title = a.title ? `${a.title}: ` : "";
  return limitAnnotationMessage(masker.mask(`${where}${title}${a.message}`));
}
