/** An action's inputs: `with:` values over the manifest's defaults, and their INPUT_* variables. */
import { evalString, type Contexts } from "../../expr/evaluate.ts";
import type { ActionModel, StepModel } from "../../workflow/model.ts";

export function actionInputs(model: ActionModel | null, step: StepModel, ctx: Contexts, warn: (m: string) => void): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.with)) given[k] = evalString(v, ctx);
  if (!model) return given;
  const out: Record<string, string> = { ...given };
  const lower = new Map(Object.keys(given).map((k) => [k.toLowerCase(), k]));
  for (const [name, spec] of Object.entries(model.inputs)) {
    if (lower.has(name.toLowerCase())) continue;
    if (spec.default !== null) out[name] = evalString(spec.default, ctx);
    else if (spec.required) warn(`Input required and not supplied: ${name}`);
  }
  for (const k of Object.keys(given)) {
    if (!Object.keys(model.inputs).some((n) => n.toLowerCase() === k.toLowerCase())) {
      warn(`Unexpected input(s) '${k}', valid inputs are ['${Object.keys(model.inputs).join("', '")}']`);
    }
  }
  return out;
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, "_").toUpperCase()}`] = v;
  return env;
}
