/**
 * Cron expressions as GitHub reads them: POSIX five fields (minute hour day-of-month month day-of-week,
 * JAN-DEC and SUN-SAT names, `*` `,` `-` `/`), day-of-month and day-of-week OR-ed when both are set.
 * Syntax is judged by GitHub's own workflow parser; croner computes the ticks.
 */
import { hasCronIntervalLessThan5Minutes, isValidCron } from "@actions/workflow-parser/model/converter/cron";
import { Cron } from "croner";

/** Returns why `cron` is not a schedule GitHub accepts, or null. */
export function validateCron(cron: string): string | null {
  // The parser accepts what croner also reads; croner alone would take seconds, `L`, `?` and `@daily`.
  if (!isValidCron(cron)) return `invalid cron expression '${cron}': expected five fields 'minute hour day month weekday' (POSIX cron syntax)`;
  try {
    compiled(cron);
  } catch (err) {
    return `invalid cron expression '${cron}': ${(err as Error).message}`;
  }
  return null;
}

/** A warning for schedules GitHub accepts but throttles: it runs a schedule at most once every 5 minutes. */
export function cronWarning(cron: string): string | null {
  if (!hasCronIntervalLessThan5Minutes(cron)) return null;
  return `cron expression '${cron}' asks for runs less than 5 minutes apart; scheduled workflows run at most once every 5 minutes`;
}

/** Returns why `timezone` is not an IANA zone name, or null. */
export function validateTimezone(timezone: string): string | null {
  // Intl also takes offsets like "+01:00"; GitHub asks for IANA names, so they are refused here.
  if (/^[+-]/.test(timezone)) return `invalid timezone '${timezone}': expected an IANA time zone name such as 'Europe/Paris'`;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return null;
  } catch {
    return `invalid timezone '${timezone}': expected an IANA time zone name such as 'Europe/Paris'`;
  }
}

const cache = new Map<string, Cron>();

/** The expression compiled to match wall times read as UTC (see wall-clock.ts); throws when croner cannot read it. */
export function compiled(cron: string): Cron {
  let c = cache.get(cron);
  if (!c) {
    c = new Cron(cron, { timezone: "Etc/UTC", paused: true, legacyMode: true });
    cache.set(cron, c);
  }
  return c;
}
