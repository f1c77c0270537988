/**
 * Branch protection rules as GitHub applies them: which rule covers a branch, and what a
 * `PUT …/branches/{branch}/protection` body asks for. Pure.
 */
import { InputError } from "../../common/errors.ts";
import { branchPatternMatches, isPlainBranchName, type NewProtectionRule, type ProtectionRule } from "../../store/protection-store.ts";

/**
 * GitHub: a rule naming the branch itself wins; otherwise the oldest rule whose pattern matches.
 * `rules` oldest first, as the store lists them.
 */
export function ruleFor(rules: readonly ProtectionRule[], branch: string): ProtectionRule | null {
  const named = rules.find((r) => isPlainBranchName(r.pattern) && r.pattern === branch);
  return named ?? rules.find((r) => !isPlainBranchName(r.pattern) && branchPatternMatches(r.pattern, branch)) ?? null;
}

/**
 * Reads `required_status_checks: {strict, contexts?, checks?: [{context, app_id?}]} | null` and Slipway's
 * `slipway_filtered_checks_pass` (default true). Everything else GitHub's body carries (reviews,
 * restrictions, enforce_admins…) is accepted and ignored: Slipway gates on checks only.
 */
export function ruleFromBody(pattern: string, body: Record<string, unknown>): NewProtectionRule {
  const rsc = body.required_status_checks;
  const filteredChecksPass = optionalBoolean(body, "slipway_filtered_checks_pass") ?? true;
  if (rsc === undefined || rsc === null) return { pattern, requiresChecks: false, strict: false, checks: [], filteredChecksPass };
  if (typeof rsc !== "object" || Array.isArray(rsc)) throw new InputError("required_status_checks must be an object or null");
  const r = rsc as Record<string, unknown>;
  const strict = optionalBoolean(r, "strict", "required_status_checks.") ?? false;
  const names = [...contextsOf(r.contexts), ...checksOf(r.checks)];
  return { pattern, requiresChecks: true, strict, checks: [...new Set(names)], filteredChecksPass };
}

function optionalBoolean(o: Record<string, unknown>, key: string, prefix = ""): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new InputError(`${prefix}${key} must be true or false`);
  return v;
}

function contextsOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InputError("required_status_checks.contexts must be an array of check names");
  return v.map((c, i) => checkName(c, `required_status_checks.contexts[${i}]`));
}

function checksOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InputError("required_status_checks.checks must be an array of {context}");
  return v.map((c, i) => {
    const context = typeof c === "object" && c !== null ? (c as { context?: unknown }).context : undefined;
    return checkName(context, `required_status_checks.checks[${i}].context`);
  });
}

function checkName(v: unknown, where: string): string {
  if (typeof v !== "string" || v.trim() === "") throw new InputError(`${where} must be a non-empty check name`);
  return v;
}
