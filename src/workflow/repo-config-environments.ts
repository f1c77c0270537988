/**
 * `.slipway.yml` `environments:`: protection rules `slipway run` honours without a server, in the
 * server's terms:
 *   environments:
 *     production:
 *       reviewers: [alice, "@ops"]   # someone must approve (a TTY prompt, or `--approve production`)
 *       wait-timer: 5                # minutes, after approval
 *       branches: [main, "release/*"]
 *       tags: ["v*"]                 # with branches: the deployment branch and tag policy
 */
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { validateGlob } from "./glob.ts";

export interface LocalEnvironment {
  reviewers: string[];
  waitTimer: number;
  /** Name patterns a ref must match to deploy; null: any branch or tag. */
  patterns: { name: string; type: "branch" | "tag" }[] | null;
}

type Problem = (n: Node | null | undefined, m: string) => void;

const KEYS = new Set(["reviewers", "wait-timer", "branches", "tags"]);

export function readEnvironments(node: Node | null, problem: Problem): Record<string, LocalEnvironment> {
  const out: Record<string, LocalEnvironment> = {};
  if (node === null) return out;
  if (!isMap(node)) {
    problem(node, "'environments' must be a mapping of environment names to their rules");
    return out;
  }
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value).trim() : "";
    if (!name) {
      problem(pair.key as Node, "an environment needs a name");
      continue;
    }
    out[name] = readOne(name, pair.value as Node | null, problem);
  }
  return out;
}

function readOne(env: string, node: Node | null, problem: Problem): LocalEnvironment {
  const rules: LocalEnvironment = { reviewers: [], waitTimer: 0, patterns: null };
  if (node === null) return rules;
  if (!isMap(node)) {
    problem(node, `environments.${env} must be a mapping (reviewers:, wait-timer:, branches:, tags:)`);
    return rules;
  }
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value as Node | null;
    if (!KEYS.has(key)) problem(pair.key as Node, `environments.${env}: unknown key '${key}' (known: ${[...KEYS].join(", ")})`);
    else if (key === "wait-timer") rules.waitTimer = minutes(env, value, problem);
    else if (key === "reviewers") rules.reviewers = strings(`environments.${env}.reviewers`, value, problem);
    else {
      const type = key === "branches" ? "branch" : "tag";
      const names = strings(`environments.${env}.${key}`, value, problem);
      for (const n of names) {
        const bad = validateGlob(n);
        if (bad) problem(value, `environments.${env}.${key}: ${bad}`);
      }
      rules.patterns = [...(rules.patterns ?? []), ...names.map((name) => ({ name, type: type as "branch" | "tag" }))];
    }
  }
  if (rules.reviewers.length > 6) problem(node, `environments.${env}.reviewers: at most 6 users or teams`);
  return rules;
}

function minutes(env: string, node: Node | null, problem: Problem): number {
  const v = isScalar(node) ? node.value : null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 43_200) {
    problem(node, `environments.${env}.wait-timer must be whole minutes from 0 to 43200`);
    return 0;
  }
  return v;
}

function strings(where: string, node: Node | null, problem: Problem): string[] {
  if (node === null) return [];
  const items = isSeq(node) ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const v = isScalar(item) ? item.value : null;
    if (typeof v !== "string" || !v.trim()) problem(item as Node, `${where} must be a list of names`);
    else out.push(v.trim());
  }
  return out;
}
