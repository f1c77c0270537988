/**
 * When `on.schedule` entries fire. The server polls `dueTick` and persists the tick it fired, so a tick
 * fires once even across a restart, and after downtime only the latest missed tick fires, if recent.
 */
import { compiled, validateCron, validateTimezone } from "./cron.ts";
import { instantOf, wallOf } from "./wall-clock.ts";

export interface ScheduleEntry {
  /** Identifies the entry across restarts: repository + workflow file + index in `on.schedule`. */
  key: string;
  cron: string;
  /** IANA zone the cron is read in; UTC when absent, as on GitHub. */
  timezone?: string;
}

export interface TickState {
  /** ISO time of the last tick that fired. Seed it with the time an entry is first seen, so a new entry does not fire a tick from before it existed. */
  lastFired: string | null;
}

/**
 * How late a missed tick may still fire. An hour covers a restart or a short outage; GitHub itself
 * delays runs at busy times and drops some, so firing later than that would surprise more than skip.
 */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

/** GitHub runs a schedule at most once every 5 minutes; ticks closer than this to the last fired one are skipped. */
export const MIN_INTERVAL_MS = 5 * 60 * 1000;

/** Returns why an entry cannot be scheduled, or null. */
export function validateSchedule(entry: ScheduleEntry): string | null {
  return validateCron(entry.cron) ?? (entry.timezone === undefined ? null : validateTimezone(entry.timezone));
}

/** The first tick strictly after `after`, or null (also for an entry that fails `validateSchedule`). */
export function nextTick(entry: ScheduleEntry, after: Date): Date | null {
  if (validateSchedule(entry) !== null) return null;
  const cron = compiled(entry.cron);
  const zone = entry.timezone ?? "UTC";
  let wall = wallOf(after, zone);
  // Several wall times can map to one instant (a DST gap) or to instants already past (a repeated hour).
  for (let i = 0; i < 1000; i++) {
    const nextWall = cron.nextRun(wall);
    if (!nextWall) return null;
    const instant = instantOf(nextWall, zone);
    if (instant.getTime() > after.getTime()) return instant;
    wall = nextWall;
  }
  return null;
}

/**
 * The tick due at `now`: the latest tick <= now after `state.lastFired`. Only that one is returned
 * however many were missed (no stampede after downtime); it is null when older than `graceMs` (skipped,
 * not fired late) or less than MIN_INTERVAL_MS after the last fired tick (GitHub's throttle).
 */
export function dueTick(entry: ScheduleEntry, state: TickState, now: Date, graceMs = DEFAULT_GRACE_MS): Date | null {
  const lastFired = state.lastFired === null ? null : Date.parse(state.lastFired);
  // Ticks older than the grace window would be skipped anyway, so the search starts there.
  const windowStart = now.getTime() - graceMs - 1;
  const from = lastFired === null || Number.isNaN(lastFired) ? windowStart : Math.max(lastFired, windowStart);
  const latest = latestTick(entry, new Date(from), now);
  if (!latest) return null;
  if (lastFired !== null && latest.getTime() - lastFired < MIN_INTERVAL_MS) return null;
  return latest;
}

/** The last tick in (from, until], or null. */
function latestTick(entry: ScheduleEntry, from: Date, until: Date): Date | null {
  let latest: Date | null = null;
  for (let t = nextTick(entry, from); t && t.getTime() <= until.getTime(); t = nextTick(entry, t)) latest = t;
  return latest;
}
