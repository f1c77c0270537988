/**
 * Deployment branch and tag policies, as GitHub applies them: none allows every ref; "protected
 * branches" allows branches a protection rule covers; name patterns (GitHub's glob rules) allow the
 * branches and tags they match. A ref of another kind (a pull request's merge ref) is refused by any
 * policy (callers pass a pull request's head branch instead: `policyRef`). Returns why the ref may not
 * deploy, or null.
 */
import { compileGlob } from "../../workflow/glob.ts";
import { parseRef } from "../../workflow/filters/refs.ts";
import type { BranchPolicy } from "../../store/environment-store.ts";

export async function branchPolicyViolation(env: string, policy: BranchPolicy | null, ref: string, isProtected: (branch: string) => Promise<boolean>): Promise<string | null> {
  if (policy === null) return null;
  const { kind, name } = parseRef(ref);
  const refused = `${kind === "tag" ? "Tag" : "Branch"} "${name || ref}" is not allowed to deploy to ${env} due to environment protection rules`;
  if (policy.protectedBranches) {
    if (kind === "branch" && (await isProtected(name))) return null;
    return `${refused}: only protected branches may deploy`;
  }
  const patterns = policy.patterns ?? [];
  if (kind !== "branch" && kind !== "tag") return `${refused}: the policy allows ${describe(patterns)}`;
  if (patterns.some((p) => p.type === kind && compileGlob(p.name).match(name))) return null;
  return `${refused}: the policy allows ${describe(patterns)}`;
}

function describe(patterns: BranchPolicy["patterns"]): string {
  if (!patterns?.length) return "no branch or tag";
  return patterns.map((p) => `${p.type} '${p.name}'`).join(", ");
}
