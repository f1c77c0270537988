/** Built-in actions/setup-go: picks a Go this machine already has instead of downloading one. */
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import semver from "semver";
import { archOf, failure, noteIgnoredInputs, type BuiltinContext, type BuiltinResult } from "./setup-context.ts";
import { findCandidates, firstOnPath, type Candidate, type ToolKind } from "./setup-candidates.ts";
import { goMatcher, parseGoVersion } from "./setup-go-spec.ts";
import { linkDir, toolLinks } from "./setup-links.ts";
import { noMatchMessage, pickHighest } from "./setup-select.ts";
import { goVersionFromFile, readWorkspaceFile } from "./setup-version-files.ts";

const ACTION = "setup-go";

export const GO: ToolKind = {
  cacheName: "go",
  cacheExes: ["go"],
  asdfPlugin: "golang",
  extraBins: () => [],
  pathExes: (names) => names.filter((n) => n === "go"),
  versionArgs: ["version"],
  parse: parseGoVersion,
};

export async function setupGo(ctx: BuiltinContext): Promise<BuiltinResult> {
  const spec = resolveSpec(ctx);
  if (typeof spec === "object") return failure(ctx, spec.error);
  const arch = archOf(ctx);
  // setup-go's `cache` defaults to true.
  noteIgnoredInputs(ctx, ACTION, ctx.inputs.cache !== "false");
  let chosen: Candidate | undefined;
  if (!spec) {
    ctx.log(`${ACTION}: warning: go-version is not given; using the Go already on PATH.`);
    chosen = await firstOnPath(GO, ctx.env);
    if (!chosen) return failure(ctx, `${ACTION}: go-version is not given and there is no go on PATH (found: none)`);
  } else {
    const candidates = await findCandidates(GO, ctx.env, arch);
    const accepts = goMatcher(spec, candidates.map((c) => c.version));
    if (typeof accepts === "string") return failure(ctx, `${ACTION}: ${accepts}`);
    chosen = pickHighest(candidates, accepts);
    if (!chosen) return failure(ctx, noMatchMessage(ACTION, "Go", spec, candidates, "go", arch));
    ctx.log(`${ACTION}: using Go ${chosen.printed} from ${chosen.binDir} for '${spec}'`);
  }
  return goResult(ctx, chosen, Boolean(spec));
}

/** GOTOOLCHAIN=local so `go` never fetches another toolchain; GOPATH/bin on PATH, as setup-go does. */
async function goResult(ctx: BuiltinContext, chosen: Candidate, fromSpec: boolean): Promise<BuiltinResult> {
  const addEnv: Record<string, string> = { GOTOOLCHAIN: "local" };
  // Go before 1.9 could not find its own root.
  if (fromSpec && semver.lt(chosen.version, "1.9.0")) addEnv.GOROOT = chosen.cacheDir ?? path.dirname(chosen.binDir);
  const gopathBin = path.join(await goPath(chosen.exe, ctx.env), "bin");
  const binDir = chosen.shared ? linkDir(ctx.env, `go-${chosen.version}`, toolLinks(chosen.exe, ["go"], ["gofmt"])) : chosen.binDir;
  const addPath = fromSpec ? [binDir, gopathBin] : [gopathBin];
  return { ok: true, outputs: { "go-version": chosen.printed, "cache-hit": "false" }, addPath, addEnv };
}

function goPath(exe: string, env: Record<string, string>): Promise<string> {
  const fallback = env.GOPATH?.split(path.delimiter)[0] || path.join(env.HOME || os.homedir(), "go");
  return new Promise((resolve) => {
    execFile(exe, ["env", "GOPATH"], { env: { ...env, GOTOOLCHAIN: "local" }, timeout: 5000, encoding: "utf8" }, (err, stdout) => {
      const first = stdout.trim().split(path.delimiter)[0] ?? "";
      resolve(!err && path.isAbsolute(first) ? first : fallback);
    });
  });
}

/** go-version wins over go-version-file; a go.mod's toolchain line over its go line. */
function resolveSpec(ctx: BuiltinContext): string | { error: string } {
  const given = (ctx.inputs["go-version"] ?? "").trim();
  const file = ctx.inputs["go-version-file"] ?? "";
  if (given && file) ctx.log(`${ACTION}: both go-version and go-version-file are given; only go-version is used`);
  if (given || !file) return given;
  const text = readWorkspaceFile(ctx.workspace, file);
  if (text === null) return { error: `${ACTION}: the go-version-file '${file}' does not exist in the workspace` };
  const found = goVersionFromFile(text, file, ctx.env.GOTOOLCHAIN);
  ctx.log(`${ACTION}: resolved ${file} as ${found || "(nothing)"}`);
  return found;
}
