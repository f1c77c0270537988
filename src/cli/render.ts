/**
 * Human output on stderr: every line prefixed with its job, groups marked, colour and a live status
 * block only on a TTY, and a summary table at the end.
 */
import type { JobRef, RunObserver } from "../run/observer.ts";
import type { JobReport, Result, RunReport } from "../run/types.ts";
import type { LogEvent } from "../run/job/log.ts";

const COLORS: Record<string, string> = { red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", blue: "\x1b[34m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

interface Live {
  name: string;
  state: "queued" | "running" | Result;
  since: number;
}

export class TerminalRenderer implements RunObserver {
  private readonly live = new Map<string, Live>();
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly reports: RunReport[] = [];

  constructor(private readonly out: NodeJS.WriteStream, private readonly tty: boolean, private readonly multiWorkflow: boolean) {
    if (tty) this.timer = setInterval(() => this.redraw(), 250).unref();
  }

  private c(color: string, s: string): string {
    return this.tty ? `${COLORS[color]}${s}${COLORS.reset}` : s;
  }

  private key(ref: JobRef): string {
    return `${ref.runId}:${ref.reportId}:${ref.name}`;
  }

  private prefix(ref: JobRef): string {
    return this.c("blue", `[${ref.name}]`);
  }

  private write(text: string): void {
    this.clearBlock();
    this.out.write(text.endsWith("\n") ? text : `${text}\n`);
    this.drawBlock();
  }

  jobQueued(ref: JobRef): void {
    this.live.set(this.key(ref), { name: ref.name, state: "queued", since: Date.now() });
  }

  jobStarted(ref: JobRef): void {
    this.live.set(this.key(ref), { name: ref.name, state: "running", since: Date.now() });
    this.write(`${this.prefix(ref)} ${this.c("bold", "Job started")}`);
  }

  log(ref: JobRef, e: LogEvent): void {
    const p = this.prefix(ref);
    switch (e.kind) {
      case "group":
        return this.write(`${p} ${this.c("bold", `▶ ${e.text}`)}`);
      case "endgroup":
        return;
      case "error":
        return this.write(`${p} ${this.c("red", `Error: ${e.text}`)}`);
      case "warning":
        return this.write(`${p} ${this.c("yellow", `Warning: ${e.text}`)}`);
      case "notice":
        return this.write(`${p} Notice: ${e.text}`);
      case "debug":
        return;
      case "command":
        return this.write(`${p} ${this.c("dim", `$ ${e.text}`)}`);
      default:
        return this.write(`${p}   ${e.text}`);
    }
  }

  stepStarted(): void {}

  stepFinished(ref: JobRef, _i: number, name: string, _id: string, outcome: Result, conclusion: Result): void {
    if (outcome === "skipped") return;
    const mark = conclusion === "success" ? this.c("green", "✓") : conclusion === "failure" ? this.c("red", "✗") : "-";
    const extra = outcome !== conclusion ? ` (outcome: ${outcome}, continue-on-error)` : "";
    this.write(`${this.prefix(ref)} ${mark} ${name}${extra}`);
  }

  jobFinished(ref: JobRef, report: JobReport): void {
    this.live.set(this.key(ref), { name: ref.name, state: report.result, since: Date.now() - report.durationMs });
    const color = report.result === "success" ? "green" : report.result === "failure" ? "red" : "yellow";
    this.write(`${this.prefix(ref)} ${this.c(color, `Job ${report.result}`)}${report.reason ? ` (${report.reason})` : ""}`);
  }

  runFinished(report: RunReport): void {
    this.reports.push(report);
  }

  /** The closing table: each job with its result and duration, then the failed steps' last lines. */
  summary(): void {
    if (this.timer) clearInterval(this.timer);
    this.clearBlock();
    this.live.clear();
    const rows: string[][] = [];
    for (const r of this.reports) for (const j of r.jobs) rows.push([this.multiWorkflow ? `${r.workflow}: ${j.name}` : j.name, j.result, `${(j.durationMs / 1000).toFixed(1)}s`]);
    if (!rows.length) return;
    const width = Math.max(...rows.map((r) => (r[0] ?? "").length), 3);
    this.out.write(`\n${"JOB".padEnd(width)}  RESULT     DURATION\n`);
    for (const [name, result, dur] of rows) this.out.write(`${(name ?? "").padEnd(width)}  ${(result ?? "").padEnd(9)}  ${dur}\n`);
    for (const r of this.reports) {
      for (const j of r.jobs) {
        if (j.summary) this.out.write(`\n${this.c("bold", `Summary of ${j.name}:`)}\n${j.summary.trimEnd()}\n`);
        if (j.result !== "failure" || !j.failedTail?.length) continue;
        const step = j.steps.find((s) => s.conclusion === "failure");
        this.out.write(`\n${this.c("red", `${j.name} failed${step ? ` at step '${step.name}'` : ""}:`)}\n`);
        for (const l of j.failedTail) this.out.write(`  ${l}\n`);
      }
    }
  }

  private blockLines(): string[] {
    const now = Date.now();
    return [...this.live.values()]
      .filter((l) => l.state === "running" || l.state === "queued")
      .map((l) => `  ${l.state === "running" ? this.c("yellow", "●") : this.c("dim", "○")} ${l.name} ${this.c("dim", l.state === "running" ? `${((now - l.since) / 1000).toFixed(0)}s` : "queued")}`);
  }

  private clearBlock(): void {
    if (!this.tty || this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private drawBlock(): void {
    if (!this.tty) return;
    const lines = this.blockLines();
    if (lines.length) this.out.write(`${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }

  private redraw(): void {
    this.clearBlock();
    this.drawBlock();
  }
}
