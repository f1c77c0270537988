import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEFAULT_GRACE_MS, dueTick, nextTick, validateSchedule } from "../../../src/server/schedule/ticks.ts";
import type { ScheduleEntry } from "../../../src/server/schedule/ticks.ts";
import { cronWarning, validateCron, validateTimezone } from "../../../src/server/schedule/cron.ts";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/server/schedule/${name}`, import.meta.url), "utf8")) as T;
}

function entry(c: { cron: string; timezone?: string }): ScheduleEntry {
  return { key: "owner/repo:.github/workflows/ci.yml:0", cron: c.cron, ...(c.timezone ? { timezone: c.timezone } : {}) };
}

interface DueCase { name: string; cron: string; timezone?: string; lastFired: string | null; now: string; graceMs?: number; due: string | null }
for (const c of fixture<DueCase[]>("due.json")) {
  void test(`dueTick: ${c.name}`, () => {
    const due = dueTick(entry(c), { lastFired: c.lastFired }, new Date(c.now), c.graceMs);
    assert.equal(due?.toISOString() ?? null, c.due);
  });
}

interface NextCase { name: string; cron: string; timezone?: string; after: string; next: string[] }
for (const c of fixture<NextCase[]>("next.json")) {
  void test(`nextTick: ${c.name}`, () => {
    const seen: string[] = [];
    let t: Date | null = new Date(c.after);
    for (let i = 0; i < c.next.length && t; i++) {
      t = nextTick(entry(c), t);
      if (t) seen.push(t.toISOString());
    }
    assert.deepEqual(seen, c.next);
  });
}

interface ValidateCase { cron: string; error: string | null; warning?: string | null }
for (const c of fixture<ValidateCase[]>("validate.json")) {
  void test(`validateCron ${JSON.stringify(c.cron)}`, () => {
    const error = validateCron(c.cron);
    if (c.error === null) assert.equal(error, null);
    else assert.match(error ?? "", new RegExp(c.error));
    if (c.warning !== undefined) {
      const warning = cronWarning(c.cron);
      if (c.warning === null) assert.equal(warning, null);
      else assert.match(warning ?? "", new RegExp(c.warning));
    }
  });
}

void test("validateTimezone accepts IANA names and refuses others", () => {
  for (const tz of ["UTC", "Etc/UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata"]) assert.equal(validateTimezone(tz), null, tz);
  for (const tz of ["Mars/Olympus", "+01:00", "-0500", ""]) assert.match(validateTimezone(tz) ?? "", /invalid timezone/, tz);
  assert.match(validateSchedule({ key: "k", cron: "0 * * * *", timezone: "Nowhere/City" }) ?? "", /invalid timezone/);
  assert.match(validateSchedule({ key: "k", cron: "0 * * *", timezone: "UTC" }) ?? "", /five fields/);
});

void test("a server polling every minute fires each tick exactly once, across a restart and downtime", () => {
  const e = entry({ cron: "*/10 * * * *" });
  let state = { lastFired: "2025-01-01T00:00:00.000Z" as string | null };
  const fired: string[] = [];
  const poll = (from: string, to: string) => {
    for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
      const due = dueTick(e, state, new Date(t));
      if (due) {
        fired.push(due.toISOString());
        state = { lastFired: due.toISOString() }; // what the server persists
      }
    }
  };
  poll("2025-01-01T00:00:00Z", "2025-01-01T00:35:00Z");
  // Down from 00:35 until 03:07: the restart fires only 03:00, then carries on.
  poll("2025-01-01T03:07:00Z", "2025-01-01T03:25:00Z");
  assert.deepEqual(fired, [
    "2025-01-01T00:10:00.000Z", "2025-01-01T00:20:00.000Z", "2025-01-01T00:30:00.000Z",
    "2025-01-01T03:00:00.000Z", "2025-01-01T03:10:00.000Z", "2025-01-01T03:20:00.000Z",
  ]);
});

void test("the default grace period is one hour", () => {
  assert.equal(DEFAULT_GRACE_MS, 3_600_000);
});
