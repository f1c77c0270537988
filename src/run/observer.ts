/** What the engine tells the outside world as a run goes; the terminal and the store both listen. */
import type { LogEvent } from "./job/log.ts";
import type { JobReport, Result, RunReport } from "./types.ts";

export interface JobRef {
  runId: number | null;
  reportId: string;
  name: string;
  matrix: Record<string, unknown> | null;
}

export interface RunObserver {
  jobQueued?(j: JobRef): void;
  jobStarted(j: JobRef): void;
  /** The job waits for its environment's rules (a review, a timer) and holds no slot meanwhile. */
  jobWaiting?(j: JobRef): void;
  log(j: JobRef, e: LogEvent): void;
  stepStarted(j: JobRef, index: number, name: string): void;
  stepFinished(j: JobRef, index: number, name: string, id: string, outcome: Result, conclusion: Result): void;
  jobFinished(j: JobRef, report: JobReport): void;
  runFinished(report: RunReport): void;
}

export function fanOut(observers: RunObserver[]): RunObserver {
  return {
    jobQueued: (j) => observers.forEach((o) => o.jobQueued?.(j)),
    jobStarted: (j) => observers.forEach((o) => o.jobStarted(j)),
    jobWaiting: (j) => observers.forEach((o) => o.jobWaiting?.(j)),
    log: (j, e) => observers.forEach((o) => o.log(j, e)),
    stepStarted: (j, i, n) => observers.forEach((o) => o.stepStarted(j, i, n)),
    stepFinished: (j, i, n, id, a, b) => observers.forEach((o) => o.stepFinished(j, i, n, id, a, b)),
    jobFinished: (j, r) => observers.forEach((o) => o.jobFinished(j, r)),
    runFinished: (r) => observers.forEach((o) => o.runFinished(r)),
  };
}
