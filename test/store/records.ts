/** Builders for store records in tests: valid defaults, overridden per test. */
import type { NewJob, NewLogLine, NewRun, StepRecord } from "../../src/store/store.ts";

export function newRun(over: Partial<NewRun> = {}): NewRun {
  return {
    repo: "/src/app",
    workflowFile: ".github/workflows/ci.yml",
    workflowName: "CI",
    event: "push",
    sha: "0123456789abcdef0123456789abcdef01234567",
    ref: "refs/heads/main",
    ...over,
  };
}

export function newJob(runId: number, key: string, over: Partial<NewJob> = {}): NewJob {
  return { runId, key, jobId: key, name: key, matrix: null, needs: [], ...over };
}

export function step(jobId: number, index: number, over: Partial<StepRecord> = {}): StepRecord {
  return {
    jobId, index, stepId: `s${index}`, name: `Step ${index}`, status: "queued", outcome: null, conclusion: null,
    startedAt: null, finishedAt: null, ...over,
  };
}

export function lines(jobId: number, texts: string[], stepIndex: number | null = 0): NewLogLine[] {
  return texts.map((text) => ({ jobId, ts: "2024-01-01T00:00:00.000Z", text, stepIndex }));
}
