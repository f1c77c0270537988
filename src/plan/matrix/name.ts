/**
 * Display names of matrix jobs, as GitHub builds them (actions/runner src/Sdk/WorkflowParser:
 * MatrixBuilder.CreateConfiguration, JobNameBuilder, WorkflowTemplateEvaluator.EvaluateStrategy):
 *  - the base is the job's literal `name:` or, without one, the job id;
 *  - the suffix lists, depth first, every boolean, number and non-empty string leaf of the
 *    combination's name parts (object keys are not shown; nulls and "" are skipped):
 *    `build (ubuntu, 14, true)`; no leaves, no suffix;
 *  - the result is cut to 100 characters, ending in "...";
 *  - a `name:` containing an expression gets no suffix: GitHub evaluates it per combination
 *    after the strategy, and that evaluated text is the whole name. A literal `name:` does get the
 *    suffix (confirmed by ChristopherHX/runner.server, which mirrors github.com here).
 */
import type { Combination, MatrixValue } from "./types.ts";

const MAX_NAME_LENGTH = 100;

export function matrixJobName(baseName: string, combo: Combination | null, nameWasGiven: boolean): string {
  if (nameWasGiven && baseName.includes("${{")) return baseName;
  const segments = combo === null ? [] : nameSegments(combo);
  const name = segments.length === 0 ? baseName : `${baseName} (${segments.join(", ")})`;
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH - 3)}...` : name;
}

export function nameSegments(combo: Combination): string[] {
  const out: string[] = [];
  const walk = (v: MatrixValue): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
    else if (typeof v === "boolean") out.push(v ? "true" : "false");
    else if (typeof v === "number") out.push(formatNumber(v));
    else if (typeof v === "string" && v !== "") out.push(v);
  };
  Object.values(combo).forEach(walk);
  return out;
}

/**
 * .NET's `ToString("G15")`, which GitHub uses for numbers in names: 15 significant digits, no
 * trailing zeros, scientific form ("1E+15", "1.5E-05") when the exponent is below -4 or above 14.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa = "", expText = "0"] = n.toExponential(14).split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "").replace(/0+$/, "");
  if (exp >= 15 || exp < -4) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${m}E${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}
