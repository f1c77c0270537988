/**
 * `slipway env set` (an environment's protection rules) and `slipway approve` / `slipway reject` (a
 * run's pending deployments), through the server's API with $SLIPWAY_URL and $SLIPWAY_TOKEN.
 */
import { InputError } from "../common/errors.ts";
import { parse } from "./args.ts";
import { call } from "./client.ts";

const ENV_OPTIONS = {
  reviewer: { type: "string", multiple: true },
  "wait-timer": { type: "string" },
  "prevent-self-review": { type: "boolean" },
  "allow-self-review": { type: "boolean" },
  branches: { type: "string", multiple: true },
  tags: { type: "string", multiple: true },
  "protected-branches": { type: "boolean" },
  "any-branch": { type: "boolean" },
  "admin-bypass": { type: "boolean" },
  "no-admin-bypass": { type: "boolean" },
} as const;

export async function envCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "set") throw new InputError("usage: slipway env set OWNER/NAME ENV [--reviewer USER|@TEAM]... [--wait-timer MINUTES] [--prevent-self-review] [--branches PATTERN]... [--admin-bypass|--no-admin-bypass]");
  const { values, positionals } = parse(rest, ENV_OPTIONS, "env set");
  const [repo, env] = positionals;
  if (!repo || !/^[^/\s]+\/[^/\s]+$/.test(repo) || !env || positionals.length > 2) throw new InputError("slipway env set OWNER/NAME ENV: expected a repository and an environment name");
  const body = envBody(values);
  const res = (await call("PUT", `/api/v3/repos/${repo}/environments/${encodeURIComponent(env)}`, body)) as { name: string; protection_rules: Array<{ type: string }> };
  process.stdout.write(`environment ${res.name} of ${repo}: ${res.protection_rules.map((r) => r.type).join(", ") || "no rules"}\n`);
  return 0;
}

/** Only what the flags name changes; the rest of the environment stays as it is. */
function envBody(v: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const reviewers = (v.reviewer as string[] | undefined) ?? [];
  if (reviewers.length) body.reviewers = reviewers.map((r) => (r.startsWith("@") ? { type: "Team", name: r.slice(1) } : { type: "User", name: r }));
  if (v["wait-timer"] !== undefined) {
    const n = Number(v["wait-timer"]);
    if (!Number.isInteger(n) || n < 0 || n > 43_200) throw new InputError(`--wait-timer ${String(v["wait-timer"])}: expected whole minutes from 0 to 43200`);
    body.wait_timer = n;
  }
  if (v["prevent-self-review"] && v["allow-self-review"]) throw new InputError("--prevent-self-review and --allow-self-review contradict each other");
  if (v["prevent-self-review"]) body.prevent_self_review = true;
  if (v["allow-self-review"]) body.prevent_self_review = false;
  if (v["admin-bypass"] && v["no-admin-bypass"]) throw new InputError("--admin-bypass and --no-admin-bypass contradict each other");
  if (v["admin-bypass"]) body.can_admins_bypass = true;
  if (v["no-admin-bypass"]) body.can_admins_bypass = false;
  const patterns = [...((v.branches as string[] | undefined) ?? []).map((name) => ({ name, type: "branch" })), ...((v.tags as string[] | undefined) ?? []).map((name) => ({ name, type: "tag" }))];
  const policies = [patterns.length > 0, v["protected-branches"] === true, v["any-branch"] === true].filter(Boolean).length;
  if (policies > 1) throw new InputError("choose one branch policy: --branches/--tags patterns, --protected-branches or --any-branch");
  if (patterns.length) body.slipway_branch_patterns = patterns;
  if (v["protected-branches"]) body.deployment_branch_policy = { protected_branches: true, custom_branch_policies: false };
  if (v["any-branch"]) body.deployment_branch_policy = null;
  return body;
}

const REVIEW_OPTIONS = { env: { type: "string", multiple: true }, comment: { type: "string" }, bypass: { type: "boolean" } } as const;

export function reviewCommand(state: "approved" | "rejected") {
  const verb = state === "approved" ? "approve" : "reject";
  return async (argv: string[]): Promise<number> => {
    const { values, positionals } = parse(argv, REVIEW_OPTIONS, verb);
    const [run] = positionals;
    const envs = (values.env as string[] | undefined) ?? [];
    if (!run || !/^\d+$/.test(run) || positionals.length > 1 || !envs.length) throw new InputError(`usage: slipway ${verb} RUN --env ENV [--comment TEXT]`);
    const decided = (await call("POST", `/api/slipway/runs/${run}/reviews`, { environments: envs, state, comment: values.comment ?? null, bypass: values.bypass === true })) as Array<{ environment: string; bypass: boolean }>;
    for (const d of decided) process.stdout.write(`run ${run}: ${d.environment} ${d.bypass ? "released (rules bypassed)" : state}\n`);
    return 0;
  };
}
