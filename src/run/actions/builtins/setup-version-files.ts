/**
 * Reading a version spec out of the files the real setup-* actions accept
 * (`*-version-file`). Each reader takes the file's text; null/[] means "no version in it".
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** The file's text, or null when it does not exist (the caller words the error). */
export function readWorkspaceFile(workspace: string, rel: string): string | null {
  try {
    return readFileSync(path.resolve(workspace, rel), "utf8");
  } catch {
    return null;
  }
}

/** .nvmrc, .node-version, .tool-versions, package.json (volta, devEngines, engines), mise.toml. */
export function nodeVersionFromFile(text: string): string | null {
  const manifest = parseJsonObject(text);
  if (manifest) return nodeFromPackageJson(manifest);
  const mise = tomlString(text, "tools", "node");
  if (mise !== null) return mise;
  const line = /^(?:node(?:js)?\s+)?v?(?<version>\S+)$/m.exec(text);
  return line?.groups?.version ?? (text.trim() || null);
}

function nodeFromPackageJson(m: Record<string, unknown>): string | null {
  const volta = asObject(m.volta);
  if (typeof volta?.node === "string") return volta.node;
  const runtimes = [asObject(m.devEngines)?.runtime].flat();
  for (const r of runtimes) {
    const o = asObject(r);
    if (typeof o?.name === "string" && o.name.toLowerCase() === "node" && typeof o.version === "string") return o.version;
  }
  const engines = asObject(m.engines);
  if (typeof engines?.node === "string") return engines.node;
  return null;
}

/** .python-version (one per line, pyenv `3.10/envs/x` pointers), .tool-versions, pyproject.toml, Pipfile. */
export function pythonVersionsFromFile(text: string, fileName: string): string[] {
  const base = path.basename(fileName);
  if (base.endsWith(".toml")) {
    const v = text.includes("[project]") ? tomlString(text, "project", "requires-python") : tomlString(text, "tool.poetry.dependencies", "python");
    // PEP 440 separates clauses with commas; semver with spaces.
    return v ? [v.split(",").map((s) => s.trim()).join(" ")] : [];
  }
  if (base.includes(".tool-versions")) {
    const m = /^\s*python\s*v?\s*(\S+)\s*$/m.exec(stripComments(text));
    return m?.[1] ? [m[1]] : [];
  }
  if (base.includes("Pipfile")) {
    const v = tomlString(text, "requires", "python_full_version") ?? tomlString(text, "requires", "python_version");
    return v ? [v] : [];
  }
  return text.split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.split("/")[0] ?? l);
}

/**
 * go.mod / go.work (`toolchain go1.21.5` wins over `go 1.21` unless GOTOOLCHAIN=local, as in
 * setup-go), .tool-versions (`golang 1.21.5`), or a plain file such as .go-version.
 */
export function goVersionFromFile(text: string, fileName: string, goToolchainEnv: string | undefined): string {
  const base = path.basename(fileName);
  if (base === "go.mod" || base === "go.work") {
    const toolchain = /^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)/m.exec(text);
    if (toolchain?.[1] && goToolchainEnv !== "local") return toolchain[1];
    return /^go (\d+(?:\.\d+)*)/m.exec(text)?.[1] ?? "";
  }
  if (base === ".tool-versions") return /^golang\s+([^\n#]+)/m.exec(text)?.[1]?.trim() ?? "";
  return text.trim();
}

function stripComments(text: string): string {
  return text.split("\n").filter((l) => !l.trim().startsWith("#")).join("\n");
}

/**
 * A quoted string `key = "value"` in `[section]` of a TOML file. Enough for the flat version
 * keys these actions read; a full TOML parser would be a dependency for one line.
 */
export function tomlString(text: string, section: string, key: string): string | null {
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header?.[1]) {
      current = header[1].trim();
      continue;
    }
    if (current !== section) continue;
    const kv = /^("?)([\w.-]+)\1\s*=\s*(["'])(.*?)\3/.exec(line);
    if (kv && kv[2] === key) return kv[4] ?? "";
  }
  return null;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return null;
  }
}

function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
