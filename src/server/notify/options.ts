/** How the outbox sends and retries, with every default in one place. */

export interface NotifyOptions {
  /** Delay before the first retry; it doubles per failed attempt. Default 1 s (`SLIPWAY_NOTIFY_BACKOFF_MS`). */
  backoffBaseMs: number;
  /** Longest delay between two attempts. Default 10 min (`SLIPWAY_NOTIFY_BACKOFF_CAP_MS`). */
  backoffCapMs: number;
  /** Attempts before a delivery is marked failed. Default 25 (`SLIPWAY_NOTIFY_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** A delivery this old is not tried again and is marked failed. Default 24 h. */
  maxAgeMs: number;
  /** How long one attempt may take, connecting included. Default 10 s, as GitHub waits for its webhooks. */
  timeoutMs: number;
  /** Attempts in flight per channel: a slow channel holds at most this many. Default 2. */
  perChannel: number;
  /** Attempts in flight across every channel. Default 8. */
  total: number;
  /** Longest sleep between looks at the outbox (picks up work another path queued). Default 1 s. */
  pollMs: number;
}

export const NOTIFY_DEFAULTS: NotifyOptions = {
  backoffBaseMs: 1000,
  backoffCapMs: 10 * 60_000,
  maxAttempts: 25,
  maxAgeMs: 24 * 3600_000,
  timeoutMs: 10_000,
  perChannel: 2,
  total: 8,
  pollMs: 1000,
};

/** The defaults with what the environment overrides (tests shorten the backoff). */
export function notifyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyOptions {
  const num = (name: string, dflt: number) => {
    const n = Number(env[name]);
    return env[name] !== undefined && env[name] !== "" && Number.isFinite(n) && n > 0 ? n : dflt;
  };
  const base = num("SLIPWAY_NOTIFY_BACKOFF_MS", NOTIFY_DEFAULTS.backoffBaseMs);
  return {
    ...NOTIFY_DEFAULTS,
    backoffBaseMs: base,
    backoffCapMs: Math.max(base, num("SLIPWAY_NOTIFY_BACKOFF_CAP_MS", NOTIFY_DEFAULTS.backoffCapMs)),
    maxAttempts: Math.floor(num("SLIPWAY_NOTIFY_MAX_ATTEMPTS", NOTIFY_DEFAULTS.maxAttempts)),
    timeoutMs: num("SLIPWAY_NOTIFY_TIMEOUT_MS", NOTIFY_DEFAULTS.timeoutMs),
  };
}
