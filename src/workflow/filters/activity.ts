/** `on.<event>.types`: which activity types (the payload's `action`) start a run. */
import { block, pass, show, stringList } from "./verdict.ts";
import type { Mapping, Verdict } from "./verdict.ts";

/** Only the pull request events narrow their default; every other event runs for all types. */
const DEFAULT_TYPES: Readonly<Record<string, readonly string[]>> = {
  pull_request: ["opened", "synchronize", "reopened"],
  pull_request_target: ["opened", "synchronize", "reopened"],
};

/** Events documented with "Activity types: Not applicable"; a stray `types` key means nothing there. */
const NO_ACTIVITY = new Set([
  "create",
  "delete",
  "deployment",
  "deployment_status",
  "fork",
  "gollum",
  "page_build",
  "public",
  "push",
  "status",
  "schedule",
  "workflow_dispatch",
  "workflow_call",
]);

export function checkTypes(event: string, cfg: Mapping, action: string | undefined): Verdict {
  if (NO_ACTIVITY.has(event)) return pass("");
  const explicit = stringList(cfg, "types");
  const types = explicit ?? DEFAULT_TYPES[event];
  if (!types) return pass("");
  const label = `types ${show(types)}${explicit ? "" : " (default)"}`;
  if (action === undefined) return block(`the event has no activity type, but ${label} apply`);
  return types.includes(action)
    ? pass(`activity type '${action}' is in ${label}`)
    : block(`activity type '${action}' is not in ${label}`);
}
