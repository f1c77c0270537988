/** Built-in actions/setup-node: picks a Node.js this machine already has instead of downloading one. */
import os from "node:os";
import path from "node:path";
import semver from "semver";
import { archOf, failure, noteIgnoredInputs, type BuiltinContext, type BuiltinResult } from "./setup-context.ts";
import { findCandidates, firstOnPath, listDir, type ToolKind } from "./setup-candidates.ts";
import { nodeMatcher } from "./setup-node-spec.ts";
import { linkDir, toolLinks } from "./setup-links.ts";
import { noMatchMessage, pickHighest } from "./setup-select.ts";
import { nodeVersionFromFile, readWorkspaceFile } from "./setup-version-files.ts";

const ACTION = "setup-node";

export const NODE: ToolKind = {
  cacheName: "node",
  cacheExes: ["node"],
  asdfPlugin: "nodejs",
  extraBins: (env) => {
    const nvm = path.join(env.NVM_DIR || path.join(env.HOME || os.homedir(), ".nvm"), "versions", "node");
    return listDir(nvm).map((v) => path.join(nvm, v, "bin"));
  },
  pathExes: (names) => names.filter((n) => n === "node"),
  versionArgs: ["--version"],
  parse(output) {
    const printed = output.split("\n")[0]?.trim() ?? "";
    const v = /^v?(\d+\.\d+\.\d+\S*)$/.exec(printed)?.[1];
    return v && semver.valid(v) ? { printed, semver: v } : null;
  },
};

export async function setupNode(ctx: BuiltinContext): Promise<BuiltinResult> {
  const spec = resolveSpec(ctx);
  if (typeof spec === "object") return failure(ctx, spec.error);
  const arch = archOf(ctx);
  if (ctx.inputs.architecture && !spec) ctx.log(`${ACTION}: 'architecture' is given without 'node-version'; the Node.js on PATH is left as it is.`);
  noteIgnoredInputs(ctx, ACTION, Boolean(ctx.inputs.cache));
  if (!spec) {
    const onPath = await firstOnPath(NODE, ctx.env);
    ctx.log(onPath ? `node: ${onPath.printed} (${onPath.exe})` : `${ACTION}: no node on PATH`);
    return { ok: true, outputs: { "node-version": onPath?.printed ?? "" }, addPath: [], addEnv: {} };
  }
  const candidates = await findCandidates(NODE, ctx.env, arch);
  const accepts = nodeMatcher(spec, candidates.map((c) => c.version));
  if (typeof accepts === "string") return failure(ctx, `${ACTION}: ${accepts}`);
  const chosen = pickHighest(candidates, accepts);
  if (!chosen) return failure(ctx, noMatchMessage(ACTION, "Node.js", spec, candidates, "node", arch));
  ctx.log(`${ACTION}: using Node.js ${chosen.printed} from ${chosen.binDir} for '${spec}'`);
  const binDir = chosen.shared ? linkDir(ctx.env, `node-${chosen.version}`, toolLinks(chosen.exe, ["node"], ["npm", "npx", "corepack"])) : chosen.binDir;
  return { ok: true, outputs: { "node-version": chosen.printed }, addPath: [binDir], addEnv: {} };
}

/** node-version wins over node-version-file, as in the real action; "" means no version asked for. */
function resolveSpec(ctx: BuiltinContext): string | { error: string } {
  const given = ctx.inputs["node-version"] ?? "";
  const file = ctx.inputs["node-version-file"] ?? "";
  if (given && file) ctx.log(`${ACTION}: both node-version and node-version-file are given; only node-version is used`);
  if (given || !file) return given.trim();
  const text = readWorkspaceFile(ctx.workspace, file);
  if (text === null) return { error: `${ACTION}: the node-version-file '${file}' does not exist in the workspace` };
  const found = nodeVersionFromFile(text);
  if (!found) ctx.log(`${ACTION}: could not find a Node.js version in ${file}; leaving the Node.js on PATH`);
  else ctx.log(`${ACTION}: resolved ${file} as ${found}`);
  return found ?? "";
}
