/**
 * Table-driven: one case per file in test/fixtures/builtins. Each builds a fake machine in a temp
 * dir (tool cache in the hosted layout, PATH folders, a workspace) out of tiny shell scripts that
 * print a version, runs the real builtin against it, and compares what it returns.
 * Placeholders: $ROOT (the temp dir), $CACHE (the tool cache), $ARCH; `*` in an expected string is a wildcard.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { setupGo, setupNode, setupPython, type BuiltinContext, type BuiltinResult } from "../../src/run/actions/builtins/setup-tools.ts";

/** Echo text, a shell body, or a link to another file in the same folder. */
type Exe = string | { sh: string } | { link: string };
interface Fixture {
  description: string;
  action: "node" | "python" | "go";
  toolCache?: Record<string, Record<string, Exe>>;
  /** Folders of executables, on PATH in this order unless onPath is false (a version manager's installs). */
  path?: { dir: string; exes: Record<string, Exe>; onPath?: boolean }[];
  files?: Record<string, string>;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** links: what each name in the first addPath folder (a link folder) points at; notLinked: names it must not have. */
  expect: Partial<BuiltinResult> & { log?: string[]; links?: Record<string, string>; notLinked?: string[] };
}

const RUN = { node: setupNode, python: setupPython, go: setupGo };
const CACHE_EXE: Record<string, string> = { node: "node", Python: "python", go: "go" };
const dir = path.join(import.meta.dirname, "..", "fixtures", "builtins");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const temps: string[] = [];
after(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

test("there are enough fixtures", () => {
  assert.ok(files.length >= 50, `only ${files.length} fixtures`);
});

for (const file of files) {
  const fx = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Fixture;
  test(`${file}: ${fx.description}`, async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "slipway-setup-"));
    temps.push(root);
    const ctx = buildMachine(root, fx);
    const lines: string[] = [];
    const r = await RUN[fx.action]({ ...ctx, log: (l) => lines.push(l) });
    const sub = (s: string) => s.replaceAll("$CACHE", path.join(root, "cache")).replaceAll("$ROOT", root).replaceAll("$ARCH", process.arch);
    const want = fx.expect;
    assert.equal(r.ok, want.ok, lines.join("\n"));
    if (want.outputs) assert.deepEqual(r.outputs, expected(r.outputs, want.outputs, sub));
    if (want.addPath) assert.deepEqual(r.addPath, expected(r.addPath, want.addPath, sub));
    if (want.addEnv) assert.deepEqual(r.addEnv, expected(r.addEnv, want.addEnv, sub));
    for (const part of want.log ?? []) {
      assert.ok(lines.some((l) => l.includes(sub(part))), `no log line contains ${JSON.stringify(sub(part))}:\n${lines.join("\n")}`);
    }
    for (const [name, target] of Object.entries(want.links ?? {})) {
      assert.equal(readlinkSync(path.join(r.addPath[0]!, name)), sub(target));
    }
    for (const name of want.notLinked ?? []) assert.ok(!existsSync(path.join(r.addPath[0]!, name)), `${name} should not be linked`);
  });
}

function buildMachine(root: string, fx: Fixture): Omit<BuiltinContext, "log"> {
  for (const [tool, versions] of Object.entries(fx.toolCache ?? {})) {
    for (const [version, exe] of Object.entries(versions)) {
      writeExe(path.join(root, "cache", tool, version, process.arch, "bin", CACHE_EXE[tool]!), exe);
    }
  }
  for (const p of fx.path ?? []) {
    for (const [name, exe] of Object.entries(p.exes)) writeExe(path.join(root, p.dir, name), exe);
  }
  const pathDirs = (fx.path ?? []).filter((p) => p.onPath !== false).map((p) => path.join(root, p.dir));
  const workspace = path.join(root, "ws");
  mkdirSync(workspace);
  for (const [rel, text] of Object.entries(fx.files ?? {})) {
    mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    writeFileSync(path.join(workspace, rel), text);
  }
  const env: Record<string, string> = {
    PATH: pathDirs.join(path.delimiter),
    RUNNER_TOOL_CACHE: path.join(root, "cache"),
    RUNNER_TEMP: path.join(root, "temp"),
    HOME: path.join(root, "home"),
    ...Object.fromEntries(Object.entries(fx.env ?? {}).map(([k, v]) => [k, v.replaceAll("$ROOT", root)])),
  };
  return { inputs: fx.inputs, workspace, env };
}

function writeExe(file: string, exe: Exe): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (typeof exe === "object" && "link" in exe) return symlinkSync(exe.link, file);
  writeFileSync(file, `#!/bin/sh\n${typeof exe === "string" ? `echo '${exe}'` : exe.sh}\n`);
  chmodSync(file, 0o755);
}

/** The expectation with placeholders filled and wildcards resolved against the actual value, for a readable diff. */
function expected<T>(actual: T, want: T, sub: (s: string) => string): T {
  if (typeof want === "string") {
    const w = sub(want);
    if (!w.includes("*") || typeof actual !== "string") return w as T;
    const re = new RegExp(`^${w.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return (re.test(actual) ? actual : w) as T;
  }
  if (Array.isArray(want)) return want.map((w, i) => expected((actual as unknown[])?.[i], w, sub)) as T;
  if (want && typeof want === "object") {
    const a = (actual ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(want).map(([k, w]) => [k, expected(a[k], w, sub)])) as T;
  }
  return want;
}

// ---- the machine's own tools, on the real PATH

test("real node: '20' finds the machine's Node 20 and its bin dir runs it", async (t) => {
  const real = execFileSync("node", ["--version"], { encoding: "utf8" }).trim();
  if (!real.startsWith("v20.")) return t.skip(`machine node is ${real}`);
  const lines: string[] = [];
  const env = { ...process.env, RUNNER_TOOL_CACHE: "" } as Record<string, string>;
  const r = await setupNode({ inputs: { "node-version": "20" }, workspace: process.cwd(), env, log: (l) => lines.push(l) });
  assert.equal(r.ok, true, lines.join("\n"));
  assert.equal(r.outputs["node-version"], real);
  const ran = execFileSync(path.join(r.addPath[0]!, "node"), ["--version"], { encoding: "utf8" }).trim();
  assert.equal(ran, real);
  const miss = await setupNode({ inputs: { "node-version": "16" }, workspace: process.cwd(), env, log: (l) => lines.push(l) });
  assert.equal(miss.ok, false);
  assert.match(lines.at(-1)!, new RegExp(`no Node.js matching '16' on this machine \\(found: .*${real.slice(1)} at `));
});

test("real python: a python3.X alone in a folder gets links so `python` runs that interpreter", async (t) => {
  let exe: string;
  let version: string;
  try {
    [exe = "", version = ""] = execFileSync("python3", ["-c", "import sys, platform; print(sys.executable); print(platform.python_version())"], { encoding: "utf8" }).trim().split("\n");
  } catch {
    return t.skip("no python3 on this machine");
  }
  const root = mkdtempSync(path.join(os.tmpdir(), "slipway-setup-"));
  temps.push(root);
  const [major, minor] = version.split(".");
  const lone = path.join(root, "lone");
  mkdirSync(lone);
  execFileSync("ln", ["-s", exe, path.join(lone, `python${major}.${minor}`)]);
  const env = { PATH: lone, RUNNER_TEMP: path.join(root, "temp"), HOME: root };
  const lines: string[] = [];
  const r = await setupPython({ inputs: { "python-version": `${major}.${minor}` }, workspace: root, env, log: (l) => lines.push(l) });
  assert.equal(r.ok, true, lines.join("\n"));
  assert.equal(r.outputs["python-version"], version);
  const ran = execFileSync(path.join(r.addPath[0]!, "python"), ["-c", "import platform; print(platform.python_version())"], { encoding: "utf8" }).trim();
  assert.equal(ran, version);
  assert.ok(r.addEnv.pythonLocation && path.isAbsolute(r.addEnv.pythonLocation));
});
