/** Loads an action manifest (action.yml) with GitHub's action parser into Slipway's plain model. */
import { NoOperationTraceWriter } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/action-parser";
import type { Diagnostic } from "../common/diagnostic.ts";
import type { ActionModel, ActionRuns } from "./model.ts";
import { guardYaml, type ScalarIndex } from "./yaml-guard.ts";
import { contextDiagnostics } from "./load.ts";
import { conditionOf, entries, literalString, tokenToTpl } from "./tokens.ts";
import { convertSteps } from "./convert-workflow.ts";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

export function loadAction(file: string, content: string): { model: ActionModel | null; diagnostics: Diagnostic[] } {
  const guard = guardYaml(file, content);
  if (guard.diagnostics.length) return { model: null, diagnostics: guard.diagnostics };
  const parsed = parseAction({ name: file, content }, new NoOperationTraceWriter());
  const diagnostics = contextDiagnostics(file, parsed.context);
  if (!parsed.value) return { model: null, diagnostics };
  const top = new Map(entries(parsed.value));
  const runs = convertRuns(top.get("runs"), guard.scalars);
  if (!runs) {
    diagnostics.push({ file, line: 1, column: 1, severity: "error", message: "runs.using must be composite, node12, node16, node20, node24 or docker", rule: "action" });
    return { model: null, diagnostics };
  }
  const inputs: ActionModel["inputs"] = {};
  for (const [name, t] of entries(top.get("inputs"))) {
    const m = new Map(entries(t));
    const dflt = m.get("default");
    inputs[name] = {
      required: literalString(m.get("required")) === "true",
      default: dflt ? tokenToTpl(dflt, guard.scalars) : null,
      deprecationMessage: literalString(m.get("deprecationMessage")) ?? undefined,
    };
  }
  const outputs: ActionModel["outputs"] = {};
  for (const [name, t] of entries(top.get("outputs"))) {
    const v = new Map(entries(t)).get("value");
    outputs[name] = { value: v ? tokenToTpl(v, guard.scalars) : null };
  }
  return {
    model: { name: literalString(top.get("name")) ?? "", description: literalString(top.get("description")) ?? "", inputs, outputs, runs },
    diagnostics,
  };
}

function convertRuns(t: TemplateToken | undefined, scalars: ScalarIndex): ActionRuns | null {
  const m = new Map(entries(t));
  const using = literalString(m.get("using"));
  const str = (k: string) => literalString(m.get(k)) ?? undefined;
  if (using === "composite") return { using, steps: convertSteps(m.get("steps"), scalars) };
  if (using === "node12" || using === "node16" || using === "node20" || using === "node24") {
    return { using, main: str("main") ?? "", pre: str("pre"), post: str("post"), preIf: conditionOf(m.get("pre-if"), "always()"), postIf: conditionOf(m.get("post-if"), "always()") };
  }
  if (using === "docker") {
    const args = m.get("args");
    const argList = args ? tokenToTpl(args, scalars) : [];
    return {
      using,
      image: str("image") ?? "",
      env: m.get("env") ? tokenToTpl(m.get("env") as TemplateToken, scalars) : null,
      entrypoint: str("entrypoint"),
      args: Array.isArray(argList) ? argList : [],
      preEntrypoint: str("pre-entrypoint"),
      postEntrypoint: str("post-entrypoint"),
      preIf: conditionOf(m.get("pre-if"), "always()"),
      postIf: conditionOf(m.get("post-if"), "always()"),
    };
  }
  return null;
}
