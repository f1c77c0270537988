/**
 * Wall-clock arithmetic for one IANA time zone. A "wall" time is a Date whose UTC fields hold the local
 * reading of the clock, so cron matching can run in plain UTC and only the edges know about zones.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The local clock reading at `instant`, as a wall time. */
export function wallOf(instant: Date, timezone: string): Date {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timezone).formatToParts(instant)) parts[p.type] = Number(p.value);
  const ms = ((instant.getTime() % 1000) + 1000) % 1000;
  const utc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return new Date(utc + ms);
}

function offsetAt(t: number, timezone: string): number {
  return wallOf(new Date(t), timezone).getTime() - t;
}

const DAY = 86_400_000;

/**
 * The instant the clock reads `wall`. In a fall-back overlap the earlier instant wins (the time fires
 * once). In a spring-forward gap the answer is the transition itself: GitHub documents that a 2:30
 * schedule skipped by DST "advances to the next valid time", 3:00, not 3:30.
 */
export function instantOf(wall: Date, timezone: string): Date {
  const w = wall.getTime();
  // Zones change offset at most once in a couple of days, so the offsets a day either side cover both sides.
  const before = offsetAt(w - DAY, timezone);
  const after = offsetAt(w + DAY, timezone);
  const valid = [w - before, w - after].filter((t) => offsetAt(t, timezone) === w - t).sort((a, b) => a - b);
  if (valid[0] !== undefined) return new Date(valid[0]);
  return new Date(transitionBetween(w - after, w - before, before, timezone));
}

/** First instant in (lo, hi] whose offset is no longer `oldOffset`, by bisection to the millisecond. */
function transitionBetween(lo: number, hi: number, oldOffset: number, timezone: string): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timezone) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}
