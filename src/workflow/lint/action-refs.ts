/**
 * `uses:` must pin a version: `{owner}/{repo}[/path]@{ref}` for actions and
 * `{owner}/{repo}/{path to .yml}@{ref}` for reusable workflows. Local (`./`) and
 * `docker://` references carry no ref.
 */
import { isMapping, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding } from "./finding.ts";
import { itemsOf, valueOf } from "./raw-tokens.ts";

/** Why a step's `uses:` value is malformed, or undefined when it is fine. */
export function actionRefProblem(uses: string): string | undefined {
  if (isLocal(uses) || uses.startsWith("docker://")) return undefined;
  const { name, ref } = splitRef(uses);
  if (ref === undefined || ref === "") return `action '${uses}' has no version: write it as {owner}/{repo}[/path]@{ref}`;
  if (segments(name).length < 2) return `action '${uses}' is malformed: write it as {owner}/{repo}[/path]@{ref}`;
  return undefined;
}

/** Why a job's `uses:` value is malformed, or undefined when it is fine. */
export function workflowRefProblem(uses: string): string | undefined {
  const format = "{owner}/{repo}/.github/workflows/{file}.yml@{ref} or ./.github/workflows/{file}.yml";
  if (isLocal(uses)) return /\.ya?ml$/.test(uses) ? undefined : `reusable workflow '${uses}' must be a .yml file: ${format}`;
  const { name, ref } = splitRef(uses);
  if (ref === undefined || ref === "") return `reusable workflow '${uses}' has no version: write it as ${format}`;
  if (segments(name).length < 3 || !/\.ya?ml$/.test(name)) return `reusable workflow '${uses}' is malformed: write it as ${format}`;
  return undefined;
}

export function checkUses(file: string, root: TemplateToken): Diagnostic[] {
  const out: Diagnostic[] = [];
  const jobs = valueOf(root, "jobs");
  if (jobs === undefined || !isMapping(jobs)) return out;
  for (const { value: job } of jobs) {
    report(file, valueOf(job, "uses"), workflowRefProblem, "workflow-ref", out);
    for (const step of itemsOf(valueOf(job, "steps"))) report(file, valueOf(step, "uses"), actionRefProblem, "action-ref", out);
  }
  return out;
}

function report(file: string, token: TemplateToken | undefined, problem: (uses: string) => string | undefined, rule: string, out: Diagnostic[]) {
  if (token === undefined || !isString(token)) return;
  const message = problem(token.value);
  if (message !== undefined) out.push(finding(file, token.range?.start, rule, message));
}

function isLocal(uses: string): boolean {
  return uses.startsWith("./") || uses.startsWith(".\\") || uses.startsWith("$/");
}

function splitRef(uses: string): { name: string; ref: string | undefined } {
  const at = uses.indexOf("@");
  return at < 0 ? { name: uses, ref: undefined } : { name: uses.slice(0, at), ref: uses.slice(at + 1) };
}

function segments(name: string): string[] {
  return name.split(/[\\/]/).filter((s) => s.length > 0);
}
