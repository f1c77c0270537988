import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./load.ts";
import type { CommandEffect, CommandProcessorOptions } from "../../src/run/protocol/command-processor.ts";
import {
  allowUnsecureCommands,
  allowUnsecureStopTokens,
  CommandProcessor,
} from "../../src/run/protocol/command-processor.ts";

interface ProcessorCase {
  name: string;
  options?: CommandProcessorOptions;
  steps: { line: string; effects: CommandEffect[]; echo?: boolean; stopped?: boolean }[];
}

for (const c of fixture<ProcessorCase[]>("command-processor.json")) {
  test(`processor: ${c.name}`, () => {
    const p = new CommandProcessor(c.options);
    for (const [i, step] of c.steps.entries()) {
      assert.deepStrictEqual(p.processLine(step.line), step.effects, `line ${i}: ${step.line}`);
      if (step.echo !== undefined) assert.equal(p.echo, step.echo, `echo after line ${i}`);
      if (step.stopped !== undefined) assert.equal(p.stopped, step.stopped, `stopped after line ${i}`);
    }
  });
}

interface FlagCase {
  runnerEnv: string | null;
  stepEnv: string | null;
  commands: boolean;
  stopTokens: boolean;
}

for (const c of fixture<FlagCase[]>("unsecure-flags.json")) {
  test(`unsecure flags: runner=${c.runnerEnv} step=${c.stepEnv}`, () => {
    const runner = c.runnerEnv ?? undefined;
    const step = c.stepEnv ?? undefined;
    assert.equal(allowUnsecureCommands(runner, step), c.commands);
    assert.equal(allowUnsecureStopTokens(runner, step), c.stopTokens);
  });
}
