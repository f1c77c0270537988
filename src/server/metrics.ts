/** `/metrics` in Prometheus' text format; one registry per server so several can live in one process. */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RunObserver } from "../run/observer.ts";

export class Metrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: "slipway_runs_total", help: "Runs finished, by result", labelNames: ["result"], registers: [this.registry] });
  private readonly jobs = new Counter({ name: "slipway_jobs_total", help: "Jobs finished, by result", labelNames: ["result"], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: "slipway_job_duration_seconds",
    help: "Job durations",
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({ name: "slipway_webhook_deliveries_total", help: "Webhook deliveries, by outcome", labelNames: ["outcome"], registers: [this.registry] });

  /** `depth` answers how much is waiting: triggers not yet processed plus runs not yet started. */
  constructor(depth: () => Promise<number> | number) {
    new Gauge({
      name: "slipway_queue_depth",
      help: "Triggers and runs waiting to start",
      registers: [this.registry],
      async collect() {
        this.set(await depth());
      },
    });
  }

  delivery(outcome: "accepted" | "duplicate" | "unauthorized" | "bad_request" | "ignored"): void {
    this.deliveries.inc({ outcome });
  }

  runFinished(result: string): void {
    this.runs.inc({ result });
  }

  observer(): RunObserver {
    return {
      jobStarted: () => undefined,
      log: () => undefined,
      stepStarted: () => undefined,
      stepFinished: () => undefined,
      jobFinished: (_j, report) => {
        if (report.carried) return;
        this.jobs.inc({ result: report.result });
        if (report.result !== "skipped") this.duration.observe(report.durationMs / 1000);
      },
      runFinished: () => undefined,
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
