/** One attempt at a delivery: a POST with a deadline, its answer reduced to what the log keeps. */
import type { DeliveryRecord } from "../../store/notification-store.ts";
import { withoutUrl } from "./mask.ts";
import { signBody } from "./sign.ts";
import type { Target } from "./targets.ts";

export interface AttemptResult {
  ok: boolean;
  /** Null: no answer (refused, timed out, cancelled). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** A 429 or 503's Retry-After, in ms. */
  retryAfterMs: number | null;
  /** The attempt was cut short because the server is stopping: it does not count. */
  aborted: boolean;
}

export const USER_AGENT = "Slipway-Notifications/1";

export function deliveryHeaders(d: Pick<DeliveryRecord, "event" | "guid" | "body">, secret: string | null): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json", "user-agent": USER_AGENT, "x-slipway-event": d.event, "x-slipway-delivery": d.guid };
  if (secret !== null) h["x-slipway-signature-256"] = signBody(d.body, secret);
  return h;
}

export async function sendOnce(target: Target, d: DeliveryRecord, timeoutMs: number, stop: AbortSignal): Promise<AttemptResult> {
  const started = Date.now();
  const done = (r: Omit<AttemptResult, "durationMs" | "aborted">): AttemptResult => ({ ...r, durationMs: Date.now() - started, aborted: stop.aborted });
  if (!/^https?:\/\//i.test(target.url)) return done({ ok: false, statusCode: null, error: "the channel's URL is not an http(s) URL", retryAfterMs: null });
  // Not AbortSignal.any([AbortSignal.timeout(…), stop]): on Node 20 the timeout signal inside it can be
  // garbage-collected before it fires (nodejs/node#57736), and an attempt then waits for ever.
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  const onStop = () => attempt.abort(stop.reason);
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });
  try {
    // Redirects are not followed: a receiver answers where it was configured, as GitHub's webhooks expect.
    const res = await fetch(target.url, { method: "POST", headers: deliveryHeaders(d, target.secret), body: d.body, redirect: "manual", signal: attempt.signal });
    // An acknowledgement is the status alone: a stop while the body is read must not undo it.
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true, statusCode: res.status, error: null, retryAfterMs: null, durationMs: Date.now() - started, aborted: false };
    }
    const text = await readSome(res).catch(() => "");
    // A receiver's error page may echo the request path, which is the channel's secret for Slack.
    const snippet = withoutUrl(text.trim().slice(0, 200), target.url);
    return done({ ok: false, statusCode: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`, retryAfterMs: retryAfter(res) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : err.name === "AbortError" ? "cancelled: the server stopped" : `${err.message}${err.cause ? `: ${err.cause.code ?? err.cause.message}` : ""}`;
    return done({ ok: false, statusCode: null, error: withoutUrl(why, target.url), retryAfterMs: null });
  } finally {
    clearTimeout(timer);
    stop.removeEventListener("abort", onStop);
  }
}

/** The answer's first few KB, for the log; the rest is dropped so a huge answer costs nothing. */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let out = "";
  try {
    while (out.length < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      out += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out;
}

function retryAfter(res: Response): number | null {
  if (res.status !== 429 && res.status !== 503) return null;
  const v = res.headers.get("retry-after");
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - Date.now());
}
