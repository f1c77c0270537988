/**
 * Checks an action.yml the way the runner loads it: `runs` with a supported `using`, and
 * what each kind needs (`main` for node, `image` for docker, `steps` with `shell` on run
 * steps for composite). `name` is required by GitHub's metadata docs but the runner loads
 * actions without it, so its absence is only a warning.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Node, Pair, YAMLMap } from "yaml";
import type { Diagnostic } from "../../common/diagnostic.ts";
import { actionRefProblem } from "./action-refs.ts";
import { finding, type Pos } from "./finding.ts";

const NODE_RUNTIMES = ["node12", "node16", "node20", "node24"];
const SUPPORTED = "'composite', 'docker', 'node12', 'node16', 'node20' or 'node24'";
const RULE = "action-manifest";

/** Reports findings of one manifest; `at` turns a YAML node into its file position. */
interface Manifest {
  file: string;
  at(node: unknown): Pos;
  out: Diagnostic[];
}

export function lintActionManifest(file: string, content: string): Diagnostic[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => {
      const p = e.linePos?.[0];
      // The first line of yaml's message, less the position it repeats.
      const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
      return finding(file, p && { line: p.line, column: p.col }, "syntax", message);
    });
  }
  const at = (node: unknown): Pos => {
    const range = (node as Node | null)?.range;
    if (!range) return { line: 1, column: 1 };
    const p = lineCounter.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  const m: Manifest = { file, at, out: [] };
  const root = doc.contents;
  if (!isMap(root)) return [finding(file, at(root), RULE, "an action manifest must be a mapping with 'name' and 'runs'")];
  if (!root.has("name")) m.out.push(finding(file, at(root), RULE, "missing 'name': GitHub's action metadata requires it", "warning"));
  const runs = pairOf(root, "runs");
  if (runs === undefined) m.out.push(finding(file, at(root), RULE, "missing required key 'runs'"));
  else checkRuns(m, runs);
  return m.out;
}

function checkRuns(m: Manifest, runs: Pair): void {
  const body = runs.value;
  if (!isMap(body)) return void m.out.push(finding(m.file, m.at(body ?? runs.key), RULE, "'runs' must be a mapping"));
  const using = pairOf(body, "using");
  const value = isScalar(using?.value) ? String(using.value.value).toLowerCase() : undefined;
  if (using === undefined || value === undefined) {
    return void m.out.push(finding(m.file, m.at(runs.key), RULE, `missing 'runs.using': it must be ${SUPPORTED}`));
  }
  if (NODE_RUNTIMES.includes(value)) return requireKey(m, body, "main", using, "a JavaScript action needs 'runs.main', its entry file");
  if (value === "docker") return requireKey(m, body, "image", using, "a container action needs 'runs.image'");
  if (value === "composite") return checkCompositeSteps(m, body, using);
  m.out.push(finding(m.file, m.at(using.value), RULE, `'using: ${String(value)}' is not supported: use ${SUPPORTED}`));
}

function requireKey(m: Manifest, runs: YAMLMap, key: string, using: Pair, message: string): void {
  if (!runs.has(key)) m.out.push(finding(m.file, m.at(using.value), RULE, message));
}

function checkCompositeSteps(m: Manifest, runs: YAMLMap, using: Pair): void {
  const steps = runs.get("steps", true);
  if (!isSeq(steps)) return void m.out.push(finding(m.file, m.at(steps ?? using.value), RULE, "a composite action needs a 'runs.steps' list"));
  for (const step of steps.items) {
    if (!isMap(step)) {
      m.out.push(finding(m.file, m.at(step), RULE, "a composite step must be a mapping"));
      continue;
    }
    checkCompositeStep(m, step);
  }
}

function checkCompositeStep(m: Manifest, step: YAMLMap): void {
  const run = pairOf(step, "run");
  const uses = pairOf(step, "uses");
  if (run !== undefined && !step.has("shell")) {
    m.out.push(finding(m.file, m.at(run.key), RULE, "a composite 'run' step needs 'shell' (GitHub has no default shell there)"));
  }
  if (run === undefined && uses === undefined) m.out.push(finding(m.file, m.at(step), RULE, "a composite step needs 'run' or 'uses'"));
  if (uses !== undefined && isScalar(uses.value) && typeof uses.value.value === "string") {
    const problem = actionRefProblem(uses.value.value);
    if (problem !== undefined) m.out.push(finding(m.file, m.at(uses.value), "action-ref", problem));
  }
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}
