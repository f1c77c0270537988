/**
 * The clocks of environment rules. `SLIPWAY_MINUTE_MS` shortens a wait-timer minute for tests and demos
 * (documented in docs/environments.md); nothing else changes with it.
 */
import type { GateTiming } from "./gate.ts";

const THIRTY_DAYS_MINUTES = 30 * 24 * 60;

export function gateTiming(reviewTimeoutMinutes: number | undefined, env: NodeJS.ProcessEnv = process.env): GateTiming {
  const minuteMs = Number(env.SLIPWAY_MINUTE_MS) > 0 ? Number(env.SLIPWAY_MINUTE_MS) : 60_000;
  return { minuteMs, reviewTimeoutMs: (reviewTimeoutMinutes ?? THIRTY_DAYS_MINUTES) * minuteMs, pollMs: Math.min(500, minuteMs) };
}
