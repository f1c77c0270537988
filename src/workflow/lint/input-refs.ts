/**
 * `inputs.<name>` must be declared by the workflow_dispatch or workflow_call trigger.
 * `github.event.inputs.<name>` is only judged when workflow_dispatch is the one source: in a
 * called workflow, github.event is the caller's event and may carry any inputs.
 */
import { isMapping, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { Diagnostic } from "../../common/diagnostic.ts";
import { finding, listOrNone, type Pos } from "./finding.ts";
import type { PlacedRef } from "./placed-refs.ts";
import { entryOf, keysOf, valueOf } from "./raw-tokens.ts";

/** Input names per trigger; undefined when the workflow lacks that trigger. */
export interface DeclaredInputs {
  dispatch: string[] | undefined;
  call: string[] | undefined;
}

export function declaredInputs(on: TemplateToken | undefined): DeclaredInputs {
  return { dispatch: triggerInputs(on, "workflow_dispatch"), call: triggerInputs(on, "workflow_call") };
}

function triggerInputs(on: TemplateToken | undefined, event: string): string[] | undefined {
  if (on === undefined) return undefined;
  if (isString(on)) return on.value === event ? [] : undefined;
  if (isSequence(on)) return [...on].some((t) => isString(t) && t.value === event) ? [] : undefined;
  if (!isMapping(on)) return undefined;
  const trigger = entryOf(on, event);
  if (trigger === undefined) return undefined;
  return keysOf(valueOf(trigger.value, "inputs"));
}

export function checkInputRef(file: string, { ref }: PlacedRef, declared: DeclaredInputs): Diagnostic | undefined {
  if (ref.context === "inputs" && ref.path[0] !== undefined) return checkInputsContext(file, ref.path[0], ref.at, declared);
  const [event, inputs, name] = ref.path;
  if (ref.context !== "github" || event?.toLowerCase() !== "event" || inputs?.toLowerCase() !== "inputs") return undefined;
  if (name === undefined || declared.dispatch === undefined || declared.call !== undefined) return undefined;
  if (includes(declared.dispatch, name)) return undefined;
  const message = `github.event.inputs.${name} is not declared under on.workflow_dispatch.inputs; declared: ${listOrNone(declared.dispatch)}`;
  return finding(file, ref.at, "input-ref", message);
}

function checkInputsContext(file: string, name: string, at: Pos, declared: DeclaredInputs): Diagnostic | undefined {
  const { dispatch, call } = declared;
  if (dispatch === undefined && call === undefined) {
    const message = `inputs.${name} is used but no inputs are declared: the workflow has no workflow_dispatch or workflow_call trigger`;
    return finding(file, at, "input-ref", message);
  }
  const known = [...(dispatch ?? []), ...(call ?? [])];
  if (includes(known, name)) return undefined;
  const where = [dispatch && "on.workflow_dispatch.inputs", call && "on.workflow_call.inputs"].filter(Boolean).join(" or ");
  return finding(file, at, "input-ref", `input '${name}' is not declared under ${where}; declared: ${listOrNone([...new Set(known)])}`);
}

function includes(names: string[], name: string): boolean {
  return names.some((n) => n.toLowerCase() === name.toLowerCase());
}
