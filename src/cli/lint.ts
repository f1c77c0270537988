/** `slipway lint`: every workflow and every local action in the repository, positioned findings. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../common/diagnostic.ts";
import { lintActionManifest, lintTemplate } from "../workflow/lint/index.ts";
import { parse } from "./args.ts";
import { findWorkflowFiles, loadWorkflows } from "../service/workflow-files.ts";

const OPTIONS = { C: { type: "string", short: "C" }, W: { type: "string", short: "W" }, json: { type: "boolean" } } as const;

export async function lintCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, OPTIONS, "lint");
  const root = path.resolve((values.C as string) ?? ".");
  const files = findWorkflowFiles(root, values.W as string | undefined);
  const { loaded, diagnostics } = await loadWorkflows(root, files);
  const all: Diagnostic[] = [...diagnostics];
  for (const l of loaded) {
    if (l.root && l.template && l.model) all.push(...lintTemplate(l.model.file, l.root, l.template));
  }
  if (values.W === undefined) {
    for (const f of findActionFiles(root)) all.push(...lintActionManifest(path.relative(root, f), readFileSync(f, "utf8")));
  }
  const unique = dedupe(sortDiagnostics(all));
  if (values.json) process.stdout.write(`${JSON.stringify({ findings: unique }, null, 2)}\n`);
  else for (const d of unique) process.stdout.write(`${formatDiagnostic(d)}\n`);
  if (!values.json) process.stderr.write(`${files.length} workflow file(s) checked, ${unique.filter((d) => d.severity === "error").length} error(s)\n`);
  return hasErrors(unique) ? 1 : 0;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = formatDiagnostic(d);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Local actions: action.yml / action.yaml anywhere but in dependencies and VCS folders. */
function findActionFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name === ".git") continue;
        walk(path.join(dir, e.name), depth + 1);
      } else if (e.isFile() && (e.name === "action.yml" || e.name === "action.yaml")) out.push(path.join(dir, e.name));
    }
  };
  walk(root, 0);
  return out;
}
