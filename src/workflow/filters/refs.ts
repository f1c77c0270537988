/** Branch and tag filters: `branches`/`branches-ignore`, `tags`/`tags-ignore`. */
import { matchPatternList } from "../glob.ts";
import { block, checkListValid, pass, show, stringList } from "./verdict.ts";
import type { Mapping, Verdict } from "./verdict.ts";

export type RefKind = "branch" | "tag" | "other";

export function parseRef(ref: string | undefined): { kind: RefKind; name: string } {
  if (ref?.startsWith("refs/heads/")) return { kind: "branch", name: ref.slice("refs/heads/".length) };
  if (ref?.startsWith("refs/tags/")) return { kind: "tag", name: ref.slice("refs/tags/".length) };
  return { kind: "other", name: ref ?? "" };
}

/** Base and head branches arrive as short names in payloads, but accept a full ref too. */
export function shortBranch(branch: string): string {
  return branch.startsWith("refs/heads/") ? branch.slice("refs/heads/".length) : branch;
}

const KEYS = {
  branch: ["branches", "branches-ignore"],
  tag: ["tags", "tags-ignore"],
} as const;

/**
 * Include list then ignore list. Both present is a lint error; here a name must then satisfy both,
 * which is the least surprising reading and never throws.
 */
export function checkNames(cfg: Mapping, kind: "branch" | "tag", name: string): Verdict {
  const [includeKey, ignoreKey] = KEYS[kind];
  const include = stringList(cfg, includeKey);
  const ignore = stringList(cfg, ignoreKey);
  const invalid = (include && checkListValid(includeKey, include)) || (ignore && checkListValid(ignoreKey, ignore));
  if (invalid) return invalid;
  if (include && !matchPatternList(include, name)) return block(`${kind} '${name}' does not match ${includeKey} ${show(include)}`);
  if (ignore && matchPatternList(ignore, name)) return block(`${kind} '${name}' matches ${ignoreKey} ${show(ignore)}`);
  if (include) return pass(`${kind} '${name}' matches ${includeKey} ${show(include)}`);
  return pass(ignore ? `${kind} '${name}' is not in ${ignoreKey} ${show(ignore)}` : "");
}

function hasFilter(cfg: Mapping, kind: "branch" | "tag"): boolean {
  return KEYS[kind].some((k) => k in cfg);
}

/**
 * Push refs: with no branch or tag filter every ref runs; once one kind is filtered, a push of the
 * other (unfiltered) kind does not run ("events affecting the undefined Git ref").
 */
export function checkPushRef(cfg: Mapping, ref: string | undefined): Verdict {
  const { kind, name } = parseRef(ref);
  const branchFiltered = hasFilter(cfg, "branch");
  const tagFiltered = hasFilter(cfg, "tag");
  if (!branchFiltered && !tagFiltered) return pass("");
  if (kind === "other") return block(`ref '${name}' is neither a branch nor a tag, but branch or tag filters are set`);
  if (!hasFilter(cfg, kind)) {
    const other = kind === "branch" ? "tag" : "branch";
    return block(`push of ${kind} '${name}' but only ${other} filters are set`);
  }
  return checkNames(cfg, kind, name);
}

/** Branch filters of events that name one branch: PR base, merge group base, workflow_run head. */
export function checkBranch(cfg: Mapping, branch: string | undefined, role: string): Verdict {
  if (!hasFilter(cfg, "branch")) return pass("");
  if (branch === undefined) return block(`the ${role} branch is unknown, but branch filters are set`);
  return checkNames(cfg, "branch", shortBranch(branch));
}
