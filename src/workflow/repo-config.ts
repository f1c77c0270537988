/**
 * `.slipway.yml` at the repository root: what a repository tells Slipway beyond its workflows.
 *   platforms: { <runs-on label>: <image> | host }   which labels run in which image
 *   images:    { <image>: <image> }                  image aliases, e.g. {"postgres:14": "postgres:15"}
 * Mistakes come back as positioned diagnostics; unknown top-level keys are warnings (later versions
 * add keys, and an older Slipway should still run the repository).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import type { Diagnostic } from "../common/diagnostic.ts";

export { REPO_CONFIG_FILE } from "./repo-config-file.ts";
import { REPO_CONFIG_FILE } from "./repo-config-file.ts";
import { readEnvironments, type LocalEnvironment } from "./repo-config-environments.ts";
import { readNotifications, type NotificationsConfig } from "./repo-config-notifications.ts";

export interface RepoConfig {
  platforms: Record<string, string>;
  images: Record<string, string>;
  environments: Record<string, LocalEnvironment>;
  notifications: NotificationsConfig;
}

const KNOWN = new Set(["platforms", "images", "environments", "notifications"]);

export function parseRepoConfig(content: string, file = REPO_CONFIG_FILE): { config: RepoConfig; diagnostics: Diagnostic[] } {
  const config: RepoConfig = { platforms: {}, images: {}, environments: {}, notifications: {} };
  const diagnostics: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lc, prettyErrors: false });
  const at = (n: Node | null | undefined) => {
    const p = lc.linePos(n?.range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  const problem = (n: Node | null | undefined, message: string, severity: Diagnostic["severity"] = "error") => diagnostics.push({ file, ...at(n), severity, message, rule: "config" });
  for (const e of doc.errors) diagnostics.push({ file, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1, severity: "error", message: e.message.split("\n")[0] ?? e.message, rule: "syntax" });
  if (diagnostics.length || doc.contents === null) return { config, diagnostics };
  if (!isMap(doc.contents)) {
    problem(doc.contents as Node, "the file must be a mapping (platforms:, images:)");
    return { config, diagnostics };
  }
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!KNOWN.has(key)) {
      problem(pair.key as Node, `unknown key '${key}' (known: ${[...KNOWN].join(", ")})`, "warning");
      continue;
    }
    if (key === "environments") config.environments = readEnvironments(pair.value as Node, problem);
    else if (key === "notifications") config.notifications = readNotifications(pair.value as Node, problem);
    else readStringMap(pair.value as Node, key, config[key as "platforms" | "images"], problem);
  }
  return { config, diagnostics };
}

function readStringMap(node: Node | null, key: string, out: Record<string, string>, problem: (n: Node | null | undefined, m: string) => void): void {
  if (node === null) return;
  if (!isMap(node)) return problem(node, `'${key}' must be a mapping of names to image names`);
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : null;
    const v = isScalar(pair.value) ? pair.value.value : null;
    if (!k || typeof v !== "string" || v.trim() === "") {
      problem((pair.value ?? pair.key) as Node, `${key}.${k ?? "?"} must be a non-empty string`);
      continue;
    }
    out[k] = v.trim();
  }
}
