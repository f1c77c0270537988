import { evalTpl, type Contexts } from "../expr/evaluate.ts";
import type { Tpl } from "../expr/template.ts";

/** Evaluates a `concurrency:` value (a group name, or `{group, cancel-in-progress}`). */
export function concurrencyOf(t: Tpl | null, ctx: Contexts): { name: string; cancelInProgress: boolean } | null {
  if (t === null) return null;
  const v = evalTpl(t, ctx);
  if (typeof v === "string") return v ? { name: v, cancelInProgress: false } : null;
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const cip = o["cancel-in-progress"] === true || o["cancel-in-progress"] === "true";
    return typeof o.group === "string" && o.group ? { name: o.group, cancelInProgress: cip } : null;
  }
  return null;
}

/**
 * `concurrency:` groups: one running and at most one pending holder per group, as on GitHub. A new
 * pending holder cancels the older pending one; with cancel-in-progress it cancels the running one.
 */
interface Holder {
  cancel: () => void;
  grant: () => void;
}

export class ConcurrencyGroups {
  private readonly running = new Map<string, Holder>();
  private readonly pending = new Map<string, Holder>();

  /** Resolves true when the caller may run, false when it was cancelled while waiting. Names ignore case, as on GitHub. */
  enter(name: string, cancelInProgress: boolean, cancel: () => void): Promise<boolean> {
    const group = name.toLowerCase();
    return new Promise((resolve) => {
      const me: Holder = { cancel: () => { cancel(); resolve(false); }, grant: () => resolve(true) };
      const current = this.running.get(group);
      if (current && cancelInProgress) current.cancel();
      if (!this.running.has(group)) {
        this.running.set(group, me);
        return resolve(true);
      }
      this.pending.get(group)?.cancel();
      this.pending.set(group, me);
    });
  }

  leave(name: string): void {
    const group = name.toLowerCase();
    this.running.delete(group);
    const next = this.pending.get(group);
    if (next) {
      this.pending.delete(group);
      this.running.set(group, next);
      next.grant();
    }
  }
}
