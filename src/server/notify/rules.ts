/** Which channels an event goes to: a rule matches on its events, then its branch and workflow filters. */
import { matchPatternList } from "../../workflow/glob.ts";

export interface RuleLike {
  channel: string;
  events: readonly string[];
  branches?: readonly string[] | null;
  workflows?: readonly string[] | null;
}

export interface MatchFacts {
  event: string;
  branch: string | null;
  /** `.github/workflows/ci.yml`; null when the event has no workflow. */
  workflowFile: string | null;
}

export function ruleMatches(rule: RuleLike, f: MatchFacts): boolean {
  if (!rule.events.includes(f.event)) return false;
  if (rule.branches?.length && (f.branch === null || !matchPatternList(rule.branches, f.branch))) return false;
  if (rule.workflows?.length && (f.workflowFile === null || !rule.workflows.some((w) => sameWorkflow(w, f.workflowFile as string)))) return false;
  return true;
}

/** The channels matching rules name, each once (names ignore case), in rule order. */
export function matchingChannels(rules: readonly RuleLike[], f: MatchFacts): string[] {
  const seen = new Map<string, string>();
  for (const r of rules) if (ruleMatches(r, f) && !seen.has(r.channel.toLowerCase())) seen.set(r.channel.toLowerCase(), r.channel);
  return [...seen.values()];
}

/** `ci.yml` names `.github/workflows/ci.yml`; a path names itself. */
function sameWorkflow(entry: string, file: string): boolean {
  const e = entry.trim().replace(/^\.\//, "");
  return e === file || file.endsWith(`/${e}`);
}
