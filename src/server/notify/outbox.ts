/**
 * Sends what the outbox holds, off the run path. Deliveries are rows before they are sent; this only
 * reads due ones, tries each once, and writes the outcome: delivered (final), pending with the next
 * time (exponential backoff), or failed once it gives up. Nothing is held in memory that a restart
 * needs: a delivery cut short by a kill is still pending and is sent again (at-least-once).
 *
 * A channel that keeps failing holds at most `perChannel` attempts at a time, each bounded by
 * `timeoutMs`; other channels keep their own slots out of `total`.
 */
import type { DeliveryRecord } from "../../store/notification-store.ts";
import type { App } from "../app.ts";
import { nextAttemptAt } from "./backoff.ts";
import type { NotifyOptions } from "./options.ts";
import { sendOnce, type AttemptResult } from "./send.ts";
import { resolveTarget } from "./targets.ts";

const channelKey = (d: DeliveryRecord) => `${d.repo.toLowerCase()}\u0000${d.source}\u0000${d.channel.toLowerCase()}`;

export class Outbox {
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly busy = new Map<string, number>();
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private again = false;

  constructor(private readonly app: App, private readonly o: NotifyOptions) {}

  /** Looks at the outbox now (new deliveries were queued), instead of at the next poll. */
  kick(): void {
    if (this.stopping.signal.aborted) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.tick();
  }

  /** Stops looking and cuts attempts in flight short; they stay pending for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    let wake = this.o.pollMs;
    try {
      do {
        this.again = false;
        const now = new Date().toISOString();
        for (const d of await this.app.store.notifications.dueDeliveries(now, 200, this.o.perChannel * 2)) this.maybeLaunch(d);
        const next = await this.app.store.notifications.nextDueAfter(now);
        if (next !== null) wake = Math.min(this.o.pollMs, Math.max(0, Date.parse(next) - Date.now()));
      } while (this.again && !this.stopping.signal.aborted);
    } catch (e) {
      if (!this.stopping.signal.aborted) this.app.log(`notifications: ${(e as Error).message}`);
    } finally {
      this.ticking = false;
    }
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, wake);
    this.timer.unref();
  }

  private maybeLaunch(d: DeliveryRecord): void {
    if (this.stopping.signal.aborted || this.inFlight.has(d.id) || this.inFlight.size >= this.o.total) return;
    const key = channelKey(d);
    const n = this.busy.get(key) ?? 0;
    if (n >= this.o.perChannel) return;
    this.busy.set(key, n + 1);
    const p = this.attempt(d)
      .catch((e: unknown) => {
        if (!this.stopping.signal.aborted) this.app.log(`notifications: delivery ${d.guid}: ${(e as Error).message}`);
      })
      .finally(() => {
        this.inFlight.delete(d.id);
        const left = (this.busy.get(key) ?? 1) - 1;
        if (left > 0) this.busy.set(key, left);
        else this.busy.delete(key);
        this.kick();
      });
    this.inFlight.set(d.id, p);
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const at = new Date().toISOString();
    const target = await resolveTarget(this.app, d);
    const result: AttemptResult & { final?: boolean } = "error" in target
      ? { ok: false, statusCode: null, error: target.error, durationMs: 0, retryAfterMs: null, aborted: this.stopping.signal.aborted, final: target.final }
      : await sendOnce(target, d, this.o.timeoutMs, this.stopping.signal);
    // An attempt cut short by an orderly stop is not the receiver's fault: it stays as it was.
    if (result.aborted && !result.ok) return;
    const outcome = this.outcomeOf(d, result);
    await this.app.store.notifications.recordAttempt({ deliveryId: d.id, at, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs }, outcome);
    if (outcome.status === "failed") this.app.log(`notifications: gave up on delivery ${d.guid} (${d.event} to ${d.repo} channel ${d.channel}) after ${d.attempts + 1} attempt(s): ${result.error}`);
  }

  private outcomeOf(d: DeliveryRecord, r: AttemptResult & { final?: boolean }): { status: DeliveryRecord["status"]; nextAt: string; error: string | null } {
    const now = Date.now();
    if (r.ok) return { status: "delivered", nextAt: new Date(now).toISOString(), error: null };
    const next = r.final ? null : nextAttemptAt({ attempts: d.attempts + 1, createdAt: d.createdAt, now, retryAfterMs: r.retryAfterMs }, this.o);
    return next === null ? { status: "failed", nextAt: new Date(now).toISOString(), error: r.error } : { status: "pending", nextAt: new Date(next).toISOString(), error: r.error };
  }
}
