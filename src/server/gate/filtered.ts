/**
 * Which workflows a push or pull request did not start because their branch or path filters excluded
 * it, with the filters' reason and the check names their jobs would have reported. The merge gate
 * counts such a workflow's required checks as skipped instead of waiting for them forever. A workflow
 * that does not listen to the event at all, or whose activity `types` leave this action out, is not
 * "filtered": its checks were never going to come from this event. Pure.
 */
import type { EventFacts } from "../../plan/event.ts";
import { triggers, type TriggerEvent } from "../../workflow/filters.ts";
import { checkTypes } from "../../workflow/filters/activity.ts";
import { asMapping } from "../../workflow/filters/verdict.ts";
import type { WorkflowModel } from "../../workflow/model.ts";
import type { WorkflowVerdict } from "../../store/protection-store.ts";
import { staticCheckNames } from "./static-checks.ts";

/** The branch an event targets for the merge gate: a push's branch or a pull request's base; else null. */
export function gatedBranch(ev: EventFacts): string | null {
  if (ev.name === "push") return ev.ref.startsWith("refs/heads/") ? ev.ref.slice("refs/heads/".length) : null;
  if (ev.name === "pull_request") return ev.baseRef || null;
  return null;
}

/**
 * A verdict for every workflow that listens to the event. The caller leaves out events whose commit
 * message skipped every workflow (`[skip ci]`): that is no filter's doing.
 */
export function triggerVerdicts(workflows: readonly WorkflowModel[], triggered: ReadonlySet<string>, ev: EventFacts, changedFiles: string[] | undefined): WorkflowVerdict[] {
  const te = triggerEvent(ev, changedFiles);
  const out: WorkflowVerdict[] = [];
  for (const wf of workflows) {
    if (!Object.hasOwn(wf.on, ev.name)) continue;
    if (triggered.has(wf.file)) {
      out.push({ workflow: wf.file, filtered: null });
      continue;
    }
    if (!checkTypes(ev.name, asMapping(wf.on[ev.name]), te.action).ok) continue;
    const d = triggers(wf.on, te);
    // A broken filter list is the workflow's fault, not a reason its checks may be skipped.
    if (d.triggered || d.reason.startsWith("invalid ")) continue;
    out.push({ workflow: wf.file, filtered: { reason: `${baseName(wf.file)} was not triggered: ${d.reason}`, jobs: staticCheckNames(wf) } });
  }
  return out;
}

/** The event as the filters see it, as `selectTriggered` builds it for pushes and pull requests. */
function triggerEvent(ev: EventFacts, changedFiles: string[] | undefined): TriggerEvent {
  return {
    name: ev.name,
    action: typeof ev.payload.action === "string" ? ev.payload.action : undefined,
    ref: ev.ref,
    baseRef: ev.baseRef || undefined,
    changedFiles,
  };
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}
