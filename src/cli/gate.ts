/**
 * `slipway protect` and `slipway merge-check`: branch protection rules and the merge gate's verdict,
 * through the server's API. `merge-check` exits 0 when the commit may be merged, 1 when not, 2 on bad
 * input (a refusal from the server included).
 */
import { EXIT, InputError } from "../common/errors.ts";
import { parse } from "./args.ts";
import { call } from "./client.ts";

const PROTECT_USAGE = "usage: slipway protect OWNER/NAME BRANCH --check NAME... [--strict] [--no-filtered-pass]";
const CHECK_USAGE = "usage: slipway merge-check OWNER/NAME SHA --branch BRANCH  |  slipway merge-check OWNER/NAME --pr NUMBER  [--json]";

interface MergeCheckAnswer {
  mergeable: boolean;
  sha: string;
  branch: string;
  rule: { pattern: string; strict: boolean } | null;
  checks: { name: string; state: string; reason: string }[];
  reasons: string[];
}

export async function protectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { check: { type: "string", multiple: true }, strict: { type: "boolean" }, "no-filtered-pass": { type: "boolean" } }, "protect");
  const [repo, branch] = positionals;
  if (!repo || !branch || positionals.length !== 2) throw new InputError(PROTECT_USAGE);
  checkRepo(repo, PROTECT_USAGE);
  const checks = (values.check as string[] | undefined) ?? [];
  if (!checks.length) throw new InputError(`name at least one required check with --check NAME\n${PROTECT_USAGE}`);
  const body = {
    required_status_checks: { strict: values.strict === true, checks: checks.map((context) => ({ context })) },
    enforce_admins: null,
    required_pull_request_reviews: null,
    restrictions: null,
    slipway_filtered_checks_pass: values["no-filtered-pass"] !== true,
  };
  await call("PUT", `/api/v3/repos/${repo}/branches/${encodeURIComponent(branch)}/protection`, body);
  const extras = [values.strict ? "up to date with the branch" : "", values["no-filtered-pass"] ? "filtered workflows do not pass" : ""].filter(Boolean);
  process.stdout.write(`${branch} of ${repo} requires ${checks.join(", ")}${extras.length ? ` (${extras.join("; ")})` : ""}\n`);
  return EXIT.ok;
}

export async function mergeCheckCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { branch: { type: "string" }, pr: { type: "string" }, json: { type: "boolean" } }, "merge-check");
  const [repo, sha] = positionals;
  if (!repo || positionals.length > 2) throw new InputError(CHECK_USAGE);
  checkRepo(repo, CHECK_USAGE);
  const answer = (await call("GET", checkPath(repo, sha, values.branch as string | undefined, values.pr as string | undefined))) as MergeCheckAnswer;
  process.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : render(repo, answer));
  return answer.mergeable ? EXIT.ok : 1;
}

function checkPath(repo: string, sha: string | undefined, branch: string | undefined, pr: string | undefined): string {
  if (pr !== undefined) {
    if (sha !== undefined || branch !== undefined) throw new InputError(`--pr names the commit and the branch itself; give no SHA or --branch with it\n${CHECK_USAGE}`);
    if (!/^[1-9][0-9]*$/.test(pr)) throw new InputError(`--pr '${pr}' is not a pull request number`);
    return `/api/slipway/repos/${repo}/pulls/${pr}/merge-check`;
  }
  if (sha === undefined || branch === undefined) throw new InputError(`give a commit and the branch it would be merged into\n${CHECK_USAGE}`);
  return `/api/slipway/repos/${repo}/commits/${encodeURIComponent(sha)}/merge-check?branch=${encodeURIComponent(branch)}`;
}

function checkRepo(repo: string, usage: string): void {
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new InputError(`'${repo}' is not OWNER/NAME\n${usage}`);
}

function render(repo: string, a: MergeCheckAnswer): string {
  const rule = a.rule ? ` (rule ${a.rule.pattern}${a.rule.strict ? ", strict" : ""})` : "";
  const lines = [`${repo} ${a.sha.slice(0, 12)} into ${a.branch}: ${a.mergeable ? "mergeable" : "not mergeable"}${rule}`];
  const width = Math.max(0, ...a.checks.map((c) => c.name.length));
  for (const c of a.checks) lines.push(`  ${c.state.padEnd(9)} ${c.name.padEnd(width)}  ${c.reason}`);
  for (const r of a.reasons) lines.push(`${a.mergeable ? "ok" : "blocked"}: ${r}`);
  return `${lines.join("\n")}\n`;
}
