/**
 * Does a workflow's `on:` start a run for this event? Pure: the event comes in as plain data
 * (name, activity type, ref, changed files) and the answer says why, for `slipway` to display.
 */
import { matchPatternList } from "./glob.ts";
import { checkTypes } from "./filters/activity.ts";
import { checkPaths } from "./filters/paths.ts";
import { checkBranch, checkPushRef, parseRef } from "./filters/refs.ts";
import { all, asMapping, block, checkListValid, isMapping, pass, show, stringList } from "./filters/verdict.ts";
import type { Mapping, Verdict } from "./filters/verdict.ts";

export interface TriggerEvent {
  /** "push", "pull_request", "workflow_dispatch", "release", ... */
  name: string;
  /** Activity type: the payload's `action`; for repository_dispatch its `event_type`. */
  action?: string;
  /** push: the full ref, "refs/heads/main" or "refs/tags/v1.4.0". */
  ref?: string;
  /** pull_request*, merge_group: the base branch, "main" (a full ref is accepted too). */
  baseRef?: string;
  /** Files changed (push: before..after; PR: the three-dot diff). Undefined = unknown: path filters pass. */
  changedFiles?: string[];
  /** workflow_run: the `name` of the workflow whose run triggered this event. */
  workflowName?: string;
  /** workflow_run: the head branch of the triggering run. */
  headBranch?: string;
  /** image_version: the image name and version that became available. */
  imageName?: string;
  imageVersion?: string;
}

/** The `on:` value as a mapping: event name -> its config ({} or null when none). */
export type OnConfig = Record<string, unknown>;

export interface TriggerDecision {
  triggered: boolean;
  reason: string;
}

/** Accepts `on: push`, `on: [push, fork]` and the mapping form; anything else has no events. */
export function normalizeOn(on: unknown): OnConfig {
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.filter((e) => typeof e === "string").map((e) => [e, null]));
  return isMapping(on) ? { ...on } : {};
}

export function describeOn(on: OnConfig): string[] {
  return Object.keys(on);
}

function checkPush(cfg: Mapping, ev: TriggerEvent): Verdict {
  // "Path filters are not evaluated for pushes of tags."
  const isTag = parseRef(ev.ref).kind === "tag";
  return all([() => checkPushRef(cfg, ev.ref), () => (isTag ? pass("") : checkPaths(cfg, ev.changedFiles))]);
}

function checkPullRequest(cfg: Mapping, ev: TriggerEvent): Verdict {
  return all([
    () => checkTypes(ev.name, cfg, ev.action),
    () => checkBranch(cfg, ev.baseRef, "base"),
    () => checkPaths(cfg, ev.changedFiles),
  ]);
}

function checkWorkflowNames(cfg: Mapping, name: string | undefined): Verdict {
  const workflows = stringList(cfg, "workflows");
  if (!workflows) return pass("");
  if (name !== undefined && workflows.includes(name)) return pass(`workflow '${name}' is in workflows ${show(workflows)}`);
  return block(`workflow '${name ?? "(unknown)"}' is not in workflows ${show(workflows)}`);
}

function checkWorkflowRun(cfg: Mapping, ev: TriggerEvent): Verdict {
  return all([
    () => checkTypes(ev.name, cfg, ev.action),
    () => checkWorkflowNames(cfg, ev.workflowName),
    () => checkBranch(cfg, ev.headBranch, "head"),
  ]);
}

function checkGlobField(cfg: Mapping, key: string, value: string | undefined): Verdict {
  const list = stringList(cfg, key);
  if (!list) return pass("");
  const invalid = checkListValid(key, list);
  if (invalid) return invalid;
  if (value !== undefined && matchPatternList(list, value)) return pass(`'${value}' matches ${key} ${show(list)}`);
  return block(`'${value ?? "(unknown)"}' does not match ${key} ${show(list)}`);
}

function checkImageVersion(cfg: Mapping, ev: TriggerEvent): Verdict {
  return all([
    () => checkTypes(ev.name, cfg, ev.action),
    () => checkGlobField(cfg, "names", ev.imageName),
    () => checkGlobField(cfg, "versions", ev.imageVersion),
  ]);
}

function checkEvent(cfg: Mapping, ev: TriggerEvent): Verdict {
  switch (ev.name) {
    case "push":
      return checkPush(cfg, ev);
    case "pull_request":
    case "pull_request_target":
      return checkPullRequest(cfg, ev);
    case "merge_group":
      return all([() => checkTypes(ev.name, cfg, ev.action), () => checkBranch(cfg, ev.baseRef, "base")]);
    case "workflow_run":
      return checkWorkflowRun(cfg, ev);
    case "image_version":
      return checkImageVersion(cfg, ev);
    default:
      // schedule, workflow_dispatch, workflow_call and type-less events run whenever listed.
      return checkTypes(ev.name, cfg, ev.action);
  }
}

export function triggers(on: OnConfig, ev: TriggerEvent): TriggerDecision {
  if (!Object.hasOwn(on, ev.name)) {
    return { triggered: false, reason: `'${ev.name}' is not among the workflow's events ${show(describeOn(on))}` };
  }
  const v = checkEvent(asMapping(on[ev.name]), ev);
  const reason = v.reason || `'${ev.name}' is listed with no filters that apply`;
  return { triggered: v.ok, reason };
}
