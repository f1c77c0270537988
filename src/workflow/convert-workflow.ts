/** Builds the plain `WorkflowModel` from the token tree GitHub's parser produced. */
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { isSequence } from "@actions/workflow-parser";
import { IdBuilder } from "@actions/workflow-parser/model/converter/id-builder";
import type { JobModel, StepModel, WorkflowModel } from "./model.ts";
import type { Tpl } from "../expr/template.ts";
import type { ScalarIndex } from "./yaml-guard.ts";
import { at, conditionOf, entries, literalString, tokenToTpl } from "./tokens.ts";
import { normalizeOn } from "./filters.ts";

export function convertWorkflow(file: string, root: TemplateToken, scalars: ScalarIndex): WorkflowModel {
  const top = new Map(entries(root));
  const tpl = (k: string): Tpl | null => {
    const t = top.get(k);
    return t ? tokenToTpl(t, scalars) : null;
  };
  const name = literalString(top.get("name"));
  return {
    file,
    name: name ?? file,
    runName: tpl("run-name"),
    on: normalizeOn(tpl("on")),
    env: tpl("env"),
    defaults: tpl("defaults"),
    concurrency: tpl("concurrency"),
    permissions: tpl("permissions"),
    jobs: entries(top.get("jobs")).map(([id, t]) => convertJob(id, t, scalars)),
  };
}

function convertJob(id: string, token: TemplateToken, scalars: ScalarIndex): JobModel {
  const m = new Map(entries(token));
  const tpl = (k: string): Tpl | null => {
    const t = m.get(k);
    return t ? tokenToTpl(t, scalars) : null;
  };
  const secrets = m.get("secrets");
  return {
    id,
    name: tpl("name"),
    needs: stringList(m.get("needs")),
    if: conditionOf(m.get("if")),
    runsOn: tpl("runs-on"),
    env: tpl("env"),
    defaults: tpl("defaults"),
    strategy: tpl("strategy"),
    continueOnError: tpl("continue-on-error") ?? false,
    timeoutMinutes: tpl("timeout-minutes"),
    concurrency: tpl("concurrency"),
    outputs: record(tpl("outputs")),
    environment: tpl("environment"),
    container: tpl("container"),
    services: tpl("services"),
    permissions: tpl("permissions"),
    steps: convertSteps(m.get("steps"), scalars),
    uses: literalString(m.get("uses")),
    with: m.has("with") ? record(tpl("with")) : null,
    secrets: literalString(secrets) === "inherit" ? "inherit" : m.has("secrets") ? record(tpl("secrets")) : null,
    at: at(token),
  };
}

export function convertSteps(token: TemplateToken | undefined, scalars: ScalarIndex): StepModel[] {
  if (!token || !isSequence(token)) return [];
  const ids = new IdBuilder();
  const raw: Array<{ token: TemplateToken; m: Map<string, TemplateToken> }> = [];
  for (const t of token) {
    const m = new Map(entries(t));
    const id = literalString(m.get("id"));
    if (id) ids.tryAddKnownId(id);
    raw.push({ token: t, m });
  }
  return raw.map(({ token: t, m }) => convertStep(t, m, ids, scalars));
}

function convertStep(token: TemplateToken, m: Map<string, TemplateToken>, ids: IdBuilder, scalars: ScalarIndex): StepModel {
  const tpl = (k: string): Tpl | null => {
    const t = m.get(k);
    return t ? tokenToTpl(t, scalars) : null;
  };
  const uses = literalString(m.get("uses"));
  let id = literalString(m.get("id"));
  const generatedId = !id;
  if (!id) {
    ids.appendSegment(`__${uses ? usesIdSegment(uses) || "run" : "run"}`);
    id = ids.build();
  }
  return {
    id,
    generatedId,
    name: tpl("name"),
    if: conditionOf(m.get("if")),
    run: tpl("run"),
    uses,
    with: record(tpl("with")),
    env: tpl("env"),
    shell: tpl("shell"),
    workingDirectory: tpl("working-directory"),
    continueOnError: tpl("continue-on-error") ?? false,
    timeoutMinutes: tpl("timeout-minutes"),
    at: at(token),
  };
}

/** Mirrors how GitHub names steps that have no id: `__actions_checkout`, `__self`, `__run_2`. */
function usesIdSegment(uses: string): string {
  if (uses.startsWith("docker://")) return uses.slice("docker://".length);
  if (uses.startsWith("./") || uses.startsWith(".\\")) return "self";
  const [path, ref] = uses.split("@");
  const segs = (path ?? "").split(/[\\/]/).filter(Boolean);
  return segs.length >= 2 && ref ? `${segs[0]}/${segs[1]}` : "";
}

function stringList(t: TemplateToken | undefined): string[] {
  if (!t) return [];
  const one = literalString(t);
  if (one !== null) return [one];
  if (!isSequence(t)) return [];
  const out: string[] = [];
  for (const item of t) {
    const s = literalString(item);
    if (s !== null) out.push(s);
  }
  return out;
}

function record(t: Tpl | null): Record<string, Tpl> {
  if (t && typeof t === "object" && !Array.isArray(t) && !("$expr" in t) && !("$str" in t)) return t as Record<string, Tpl>;
  return {};
}
