/**
 * Per-step state machine over output lines, after actions/runner's ActionCommandManager: it parses
 * each line, honours `stop-commands` and `echo`, validates each command, and returns what should
 * happen as plain data (effects). Executors apply the effects in order; nothing here does I/O.
 */
import type { Annotation } from "./annotations.ts";
import { toAnnotation } from "./annotations.ts";
import { convertToBoolean, parseDotNetBool, trimDotNet } from "./dotnet-text.ts";
import * as msg from "./runner-messages.ts";
import type { Command, CommandName } from "./workflow-command.ts";
import { CommandNameSet, parseCommandLine } from "./workflow-command.ts";

export type CommandEffect =
  /** Plain step output: log it; problem matchers apply to it. */
  | { type: "output"; line: string }
  /** A line the runner itself writes to the log (echoed commands); matchers do not see it. */
  | { type: "echo"; line: string }
  /** Written to the log only when step debug logging is on. */
  | { type: "debug"; message: string }
  | { type: "group"; title: string }
  | { type: "endgroup" }
  /** Mask the message and cut it with limitAnnotationMessage before storing, as the runner does. */
  | { type: "annotation"; annotation: Annotation }
  /**
   * Register with the masker before logging anything further: `split` (add-mask) means
   * Masker.add, which also registers each line; otherwise Masker.addValue (stop tokens).
   */
  | { type: "mask"; value: string; split: boolean }
  | { type: "set-output"; name: string; value: string }
  | { type: "save-state"; name: string; value: string }
  | { type: "set-env"; name: string; value: string }
  | { type: "add-path"; path: string }
  | { type: "add-matcher"; file: string }
  | { type: "remove-matcher"; owner: string }
  | { type: "remove-matcher"; file: string }
  /** A command failed: the step's result becomes failure once the process ends. */
  | { type: "fail" };

export interface CommandProcessorOptions {
  /** Initial echo state; the runner starts with it on when ACTIONS_STEP_DEBUG is true. */
  echo?: boolean;
  /** See allowUnsecureCommands(); enables set-env and add-path. */
  allowUnsecureCommands?: boolean;
  /** See allowUnsecureStopTokens(). */
  allowUnsecureStopTokens?: boolean;
  /** The server flag DistributedTask.DeprecateStepOutputCommands: warn on set-output/save-state. */
  warnDeprecatedOutputCommands?: boolean;
  /** GITHUB_WORKSPACE as the step sees it, to report annotation files relative to it. */
  workspace?: string;
}

/**
 * ACTIONS_ALLOW_UNSECURE_COMMANDS as the runner reads it (bool.TryParse, so "1" is not true):
 * the runner's own environment first, then the step's `env` context.
 */
export function allowUnsecureCommands(runnerEnv: string | undefined, stepEnv: string | undefined): boolean {
  return parseDotNetBool(runnerEnv) === true || parseDotNetBool(stepEnv) === true;
}

/** ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS, read with the runner's looser boolean rules. */
export function allowUnsecureStopTokens(runnerEnv: string | undefined, stepEnv: string | undefined): boolean {
  return convertToBoolean(runnerEnv) || convertToBoolean(stepEnv);
}

/** Raised inside a handler; becomes the runner's two error annotations plus a failed step. */
class CommandFailure extends Error {}

const BLOCKED_ENV = ["NODE_OPTIONS"];
/** Commands whose line is never echoed, so a secret or message is not printed twice. */
const OMIT_ECHO = new Set(["add-mask", "debug", "error", "warning", "notice"]);

export class CommandProcessor {
  private readonly names = new CommandNameSet();
  private stopToken: string | null = null;
  private echoOn: boolean;

  constructor(private readonly opts: CommandProcessorOptions = {}) {
    this.echoOn = opts.echo ?? false;
  }

  get echo(): boolean {
    return this.echoOn;
  }

  get stopped(): boolean {
    return this.stopToken !== null;
  }

  /** One output line (no newline) in, what to do with it out. */
  processLine(line: string): CommandEffect[] {
    const cmd = parseCommandLine(line, this.names);
    if (!cmd) return [{ type: "output", line }];
    if (this.stopToken !== null) return this.whileStopped(cmd, line);
    if (cmd.name === "stop-commands") return this.stop(cmd, line);

    const effects: CommandEffect[] = [];
    if (this.echoOn && !OMIT_ECHO.has(cmd.name)) effects.push({ type: "echo", line });
    try {
      this.handle(cmd, effects);
    } catch (e) {
      if (!(e instanceof CommandFailure)) throw e;
      const shown = OMIT_ECHO.has(cmd.name) ? cmd.name : line;
      effects.push(issue("error", msg.unableToProcess(shown)), issue("error", e.message), { type: "fail" });
    }
    return effects;
  }

  private whileStopped(cmd: Command, line: string): CommandEffect[] {
    // An empty token (allowed only when unsecure tokens are) never resumes, as in the runner.
    if (this.stopToken === "" || cmd.name !== this.stopToken) return [{ type: "output", line }];
    this.names.delete(this.stopToken);
    this.stopToken = null;
    return [{ type: "echo", line }, { type: "debug", message: "Resume processing commands" }];
  }

  private stop(cmd: Command, line: string): CommandEffect[] {
    const token = cmd.message;
    const invalid = token === "" || this.names.lookup(token) !== undefined || token.toLowerCase() === "pause-logging";
    // The runner throws here, outside its per-command error handling: the step fails.
    if (invalid && !this.opts.allowUnsecureStopTokens) {
      return [issue("error", msg.UNSUPPORTED_STOP_TOKEN), { type: "fail" }];
    }
    this.stopToken = token;
    this.names.add(token);
    const effects: CommandEffect[] = [];
    // Short tokens stay visible: the runner masks only tokens longer than 6 characters.
    if (token.length > 6) effects.push({ type: "mask", value: token, split: false });
    effects.push(
      { type: "echo", line },
      { type: "debug", message: "Paused processing commands until the token you called ::stopCommands:: with is received" },
    );
    return effects;
  }

  /** Appends the command's effects to `out`; throws CommandFailure after appending any warnings. */
  private handle(cmd: Command, out: CommandEffect[]): void {
    switch (cmd.name as CommandName) {
      case "set-env":
        return this.setEnv(cmd, out);
      case "add-path":
        return this.addPath(cmd, out);
      case "set-output":
      case "save-state":
        return this.setValue(cmd, out);
      case "add-mask":
        return this.addMask(cmd, out);
      case "add-matcher":
        out.push(cmd.message ? { type: "add-matcher", file: cmd.message } : issue("warning", msg.MATCHER_FILE_REQUIRED));
        return;
      case "remove-matcher":
        out.push(removeMatcher(cmd));
        return;
      case "error":
      case "warning":
      case "notice":
        out.push({ type: "annotation", annotation: toAnnotation(cmd, { workspace: this.opts.workspace })! });
        return;
      case "debug":
        out.push({ type: "debug", message: cmd.message });
        return;
      case "group":
        out.push({ type: "group", title: cmd.message });
        return;
      case "endgroup":
        out.push({ type: "endgroup" });
        return;
      case "echo":
        return this.setEcho(cmd, out);
      case "stop-commands":
        // Handled before dispatch, since it changes how the following lines are read.
        return;
    }
  }

  private requireUnsecure(cmd: Command): void {
    if (!this.opts.allowUnsecureCommands) throw new CommandFailure(msg.unsupportedCommandDisabled(cmd.name));
  }

  private setEnv(cmd: Command, out: CommandEffect[]): void {
    this.requireUnsecure(cmd);
    const name = cmd.props.name;
    if (!name) throw new CommandFailure(msg.missingName(cmd.name));
    const blocked = BLOCKED_ENV.find((b) => b === name.toUpperCase());
    out.push(blocked ? issue("error", msg.blockedSetEnv(blocked)) : { type: "set-env", name, value: cmd.message });
  }

  private addPath(cmd: Command, out: CommandEffect[]): void {
    this.requireUnsecure(cmd);
    if (!cmd.message) throw new CommandFailure(msg.valueCannotBeNull("path"));
    out.push({ type: "add-path", path: cmd.message });
  }

  private setValue(cmd: Command, out: CommandEffect[]): void {
    const type = cmd.name === "set-output" ? "set-output" : "save-state";
    if (this.opts.warnDeprecatedOutputCommands) out.push(issue("warning", msg.deprecatedOutputCommand(type)));
    const name = cmd.props.name;
    if (!name) throw new CommandFailure(msg.missingName(type));
    out.push({ type, name, value: cmd.message });
  }

  private addMask(cmd: Command, out: CommandEffect[]): void {
    if (trimDotNet(cmd.message) === "") {
      out.push(issue("warning", msg.EMPTY_MASK));
      return;
    }
    out.push({ type: "mask", value: cmd.message, split: true });
    if (this.echoOn) out.push({ type: "echo", line: "::add-mask::***" });
  }

  private setEcho(cmd: Command, out: CommandEffect[]): void {
    if (!cmd.message) throw new CommandFailure(msg.valueCannotBeNull("value"));
    const value = trimDotNet(cmd.message).toUpperCase();
    if (value !== "ON" && value !== "OFF") throw new CommandFailure(msg.invalidEcho(cmd.message));
    this.echoOn = value === "ON";
    out.push({ type: "debug", message: `Setting echo command value to '${value.toLowerCase()}'` });
  }
}

function removeMatcher(cmd: Command): CommandEffect {
  const owner = cmd.props.owner;
  const file = cmd.message;
  if (owner && file) return issue("warning", msg.REMOVE_MATCHER_BOTH);
  if (owner) return { type: "remove-matcher", owner };
  if (file) return { type: "remove-matcher", file };
  return issue("warning", msg.REMOVE_MATCHER_NEITHER);
}

function issue(level: Annotation["level"], message: string): CommandEffect {
  return { type: "annotation", annotation: { level, message } };
}
