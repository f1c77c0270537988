/** Where a job's log lines go: the terminal renderer and the store both listen. */
export type LogKind = "output" | "command" | "group" | "endgroup" | "info" | "error" | "warning" | "notice" | "debug";

export interface LogEvent {
  kind: LogKind;
  text: string;
  /** Index of the step that printed it, null for job-level lines. */
  step: number | null;
}

export interface JobLog {
  write(e: LogEvent): void;
}

/** Keeps the last lines of each step, for the end-of-run summary of the failed step. */
export class TailKeeper {
  private readonly tails = new Map<number, string[]>();
  constructor(private readonly size = 15) {}
  add(step: number | null, text: string): void {
    if (step === null) return;
    let t = this.tails.get(step);
    if (!t) this.tails.set(step, (t = []));
    t.push(text);
    if (t.length > this.size) t.shift();
  }
  tail(step: number): string[] {
    return this.tails.get(step) ?? [];
  }
}
