/** `slipway artifacts RUN [NAME] [--download DIR]`: the artifacts a run's jobs uploaded. */
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { InputError, NotFoundError } from "../common/errors.ts";
import { listArtifacts } from "../run/actions/builtins/artifacts/index.ts";
import { parse } from "./args.ts";
import { dataDir } from "./data-dir.ts";

export async function artifactsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { "data-dir": { type: "string" }, download: { type: "string", short: "d" }, json: { type: "boolean" } }, "artifacts");
  const [runArg, name] = positionals;
  const runId = Number(runArg);
  if (!runArg || !Number.isInteger(runId)) throw new InputError("usage: slipway artifacts RUN [NAME] [--download DIR]");
  const all = await listArtifacts(dataDir(values["data-dir"]), runId);
  const chosen = name ? all.filter((a) => a.name === name) : all;
  if (name && !chosen.length) throw new NotFoundError(`run ${runId} has no artifact '${name}'${all.length ? ` (it has: ${all.map((a) => a.name).join(", ")})` : ""}`);
  if (values.download) {
    for (const a of chosen) {
      const dest = path.resolve(values.download as string, chosen.length > 1 || !name ? a.name : ".");
      mkdirSync(dest, { recursive: true });
      cpSync(a.path, dest, { recursive: true });
      process.stderr.write(`downloaded ${a.name} (${a.files} file(s), ${a.size} bytes) to ${dest}\n`);
    }
    return 0;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(chosen, null, 2)}\n`);
  else {
    if (!chosen.length) process.stdout.write(`run ${runId} has no artifacts\n`);
    for (const a of chosen) process.stdout.write(`${a.name}\t${a.files} file(s)\t${a.size} bytes\t${a.createdAt}${a.expiresAt ? `\texpires ${a.expiresAt}` : ""}\n`);
  }
  return 0;
}
