// One visual state per run, job, step or graph instance, from GitHub's status + conclusion pair.
import type { Conclusion, Status } from "../types.ts";

export type State = "queued" | "waiting" | "in_progress" | "success" | "failure" | "cancelled" | "skipped" | "neutral";

export function stateOf(status: Status | null | undefined, conclusion: Conclusion | null | undefined): State {
  if (status === "completed") {
    switch (conclusion) {
      case "success":
      case "failure":
      case "cancelled":
      case "skipped":
        return conclusion;
      case "timed_out":
      case "startup_failure":
        return "failure";
      default:
        return "neutral";
    }
  }
  if (status === "in_progress") return "in_progress";
  if (status === "waiting") return "waiting";
  return "queued";
}

const LABELS: Record<State, string> = {
  queued: "Queued",
  waiting: "Waiting",
  in_progress: "In progress",
  success: "Success",
  failure: "Failure",
  cancelled: "Cancelled",
  skipped: "Skipped",
  neutral: "Completed",
};

export const stateLabel = (state: State): string => LABELS[state];

// Shapes drawn on a 16×16 grid; colour comes from CSS (currentColor) via the st-<state> class.
const MARKS: Record<State, string> = {
  queued: '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/>',
  waiting: '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M8 5v3.2l2 1.3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
  in_progress: '<circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="2" opacity=".35"/><path d="M8 2.5a5.5 5.5 0 0 1 5.5 5.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/><circle cx="8" cy="8" r="2.2" fill="currentColor"/>',
  success: '<circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M4.8 8.2l2.1 2.1 4.3-4.5" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>',
  failure: '<circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/>',
  cancelled: '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="2"/><path d="M4 12L12 4" stroke="currentColor" stroke-width="2"/>',
  skipped: '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="2"/><path d="M5 8h6" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
  neutral: '<circle cx="8" cy="8" r="6" fill="currentColor"/>',
};

export function statusIcon(state: State): HTMLSpanElement {
  const el = document.createElement("span");
  el.className = `st st-${state}`;
  el.title = LABELS[state];
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", LABELS[state]);
  el.innerHTML = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${MARKS[state]}</svg>`;
  return el;
}

export const isDone = (status: Status | null | undefined): boolean => status === "completed";

/** The same shape for use inside an SVG drawing (the job graph). */
export const statusMarkup = (state: State): string => MARKS[state];

/** One state for a graph node from its instances: running wins, then any failure, then the rest. */
export function aggregateState(states: State[], fallback: State): State {
  if (!states.length) return fallback;
  if (states.includes("in_progress")) return "in_progress";
  const open = states.filter((s) => s === "queued" || s === "waiting");
  if (open.length === states.length) return states.includes("waiting") ? "waiting" : "queued";
  if (open.length) return "in_progress";
  for (const s of ["failure", "cancelled", "success", "neutral"] as const) if (states.includes(s)) return s;
  return "skipped";
}
