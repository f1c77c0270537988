/**
 * Branch protection rules (required status checks) and the merge gate's facts: which workflows the
 * trigger queue did not start for a commit because their filters excluded it, and the pull requests
 * the stored triggers name.
 *
 * A rule is keyed by its branch name pattern, which may be a plain branch name or an fnmatch pattern
 * (see `branchPatternMatches`); the store answers which rules exist, the gate decides which applies.
 */

export interface NewProtectionRule {
  /** A branch name or an fnmatch pattern (`release/*`, `qa/**\/*`). */
  pattern: string;
  /** GitHub's `required_status_checks` is set; false when it was given as null (protected, no checks). */
  requiresChecks: boolean;
  /** "Require branches to be up to date before merging". */
  strict: boolean;
  /** Required check names, as GitHub shows them (`Test (3.11)`); no duplicates, in the order given. */
  checks: string[];
  /** Slipway's own: a required check whose workflow its filters excluded counts as skipped (passes). */
  filteredChecksPass: boolean;
}

export interface ProtectionRule extends NewProtectionRule {
  id: number;
  repo: string;
  createdAt: string;
  updatedAt: string;
}

/** A workflow an event did not start for a commit, because of its branch or path filters. */
export interface FilteredWorkflow {
  repo: string;
  sha: string;
  /** "push" or "pull_request". */
  event: string;
  /** The branch the event targets: a push's branch, a pull request's base branch. */
  branch: string;
  /** The workflow file, e.g. ".github/workflows/db-migrate.yml". */
  workflow: string;
  /** Why, as the filters said it: "no changed file matches paths [alembic/**]". */
  reason: string;
  /** The check names its jobs would have reported, as far as the file tells without running it. */
  jobs: string[];
  triggerId: number;
  recordedAt: string;
}

/** What an event said about one workflow of a commit, for `recordTriggerVerdicts`. */
export interface WorkflowVerdict {
  workflow: string;
  /** Null: the workflow was triggered (any earlier "filtered" record of it is dropped). */
  filtered: { reason: string; jobs: string[] } | null;
}

/** A pull request as its newest stored `pull_request` trigger describes it. */
export interface PullRequestHead {
  number: number;
  /** The head commit. */
  sha: string;
  /** The base branch, short name. */
  baseRef: string;
}

export interface ProtectionStore {
  /** Whether some protection rule covers this branch (GitHub's "protected branches only" policy asks this). */
  isProtected(repo: string, branch: string): Promise<boolean>;

  /** Creates the rule with exactly this pattern, or replaces it; `created` says which. */
  putRule(repo: string, rule: NewProtectionRule): Promise<{ rule: ProtectionRule; created: boolean }>;
  /** The rule with exactly this pattern. */
  getRule(repo: string, pattern: string): Promise<ProtectionRule | null>;
  /** Oldest first: among several matching patterns GitHub applies the oldest. */
  listRules(repo: string): Promise<ProtectionRule[]>;
  /** Returns whether the rule existed. */
  deleteRule(repo: string, pattern: string): Promise<boolean>;

  /**
   * Records, for one event on a commit, which workflows its filters excluded (replacing what an earlier
   * event with the same commit, event name and branch said about them) and which it started.
   */
  recordTriggerVerdicts(at: { repo: string; sha: string; event: string; branch: string; triggerId: number }, verdicts: WorkflowVerdict[]): Promise<void>;
  /** Every filtered workflow recorded for the commit, oldest first. */
  filteredAt(repo: string, sha: string): Promise<FilteredWorkflow[]>;

  /** The pull request's head and base from its newest stored `pull_request` trigger; null if none. */
  pullRequest(repo: string, number: number): Promise<PullRequestHead | null>;
  /** The pull requests whose newest stored trigger has this head commit. */
  pullRequestsAt(repo: string, sha: string): Promise<PullRequestHead[]>;
}

/**
 * GitHub's branch name patterns: Ruby's `File.fnmatch` with `FNM_PATHNAME`. `*` and `?` never match
 * `/`; a whole `**\/` component matches any number of directories (`qa/**\/*`); `[abc]`, `[a-z]` match
 * one character. No backslash escapes and no `[^...]` (GitHub supports neither). Pure, so environments'
 * "protected branches only" policy and the merge gate agree on what a rule covers.
 */
export function branchPatternMatches(pattern: string, branch: string): boolean {
  return patternRegExp(pattern).test(branch);
}

/** Why a pattern cannot be a rule, or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern === "" || pattern.trim() !== pattern) return "a branch name pattern must be non-empty, without surrounding spaces";
  if (pattern.length > 255) return "a branch name pattern must be at most 255 characters";
  if (pattern.includes("\\")) return "a branch name pattern cannot contain a backslash (GitHub does not support escapes)";
  if (pattern.includes("[^") || pattern.includes("[!")) return "a branch name pattern cannot complement a set ([^...])";
  return null;
}

/** True when the pattern has no wildcard: GitHub ranks rules naming one branch above patterns. */
export function isPlainBranchName(pattern: string): boolean {
  return !/[*?[\]]/.test(pattern);
}

const cache = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${translate(pattern)}$`);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

function translate(p: string): string {
  let out = "";
  let i = 0;
  while (i < p.length) {
    const ch = p[i] as string;
    const atComponentStart = i === 0 || p[i - 1] === "/";
    if (atComponentStart && p.startsWith("**/", i)) {
      out += "(?:[^/]+/)*";
      i += 3;
    } else if (ch === "*") {
      while (p[i] === "*") i++;
      out += "[^/]*";
    } else if (ch === "?") {
      out += "[^/]";
      i++;
    } else if (ch === "[" && p.indexOf("]", i + 2) > 0) {
      const end = p.indexOf("]", i + 2);
      out += `(?!/)[${p.slice(i + 1, end).replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = end + 1;
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\/]/g, (c) => `\\${c}`);
      i++;
    }
  }
  return out;
}
