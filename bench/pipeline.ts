// The benchmark pipeline: one DAG written three ways (GitHub workflow, .gitlab-ci.yml, plain bash)
// so each runner does the same 150 `echo` processes in the same dependency order.

export const JOBS = 50;
export const STEPS = 3;

export interface Job {
  name: string;
  needs: string[];
  steps: string[];
}

/** Job k needs k-5 and k-3 where those exist: a DAG with real fan-in but plenty of width. */
export function dagJobs(count = JOBS, steps = STEPS): Job[] {
  const jobs: Job[] = [];
  for (let k = 1; k <= count; k++) {
    const needs = [k - 5, k - 3].filter((n) => n >= 1).map((n) => `j${n}`);
    const lines = Array.from({ length: steps }, (_, s) => `echo j${k} step ${s + 1}`);
    jobs.push({ name: `j${k}`, needs, steps: lines });
  }
  return jobs;
}

export function githubWorkflow(jobs: Job[]): string {
  const out = ["name: dag", "on: push", "jobs:"];
  for (const job of jobs) {
    out.push(`  ${job.name}:`, "    runs-on: ubuntu-latest");
    if (job.needs.length > 0) out.push(`    needs: [${job.needs.join(", ")}]`);
    out.push("    steps:");
    for (const line of job.steps) out.push(`      - run: ${line}`);
  }
  return out.join("\n") + "\n";
}

/** One stage; `needs:` carries the order. No image, so gitlab-ci-local uses its shell executor. */
export function gitlabPipeline(jobs: Job[]): string {
  const out = ["stages: [test]", ""];
  for (const job of jobs) {
    out.push(`${job.name}:`, "  stage: test");
    out.push(`  needs: [${job.needs.join(", ")}]`);
    out.push("  script:");
    for (const line of job.steps) out.push(`    - ${line}`);
  }
  return out.join("\n") + "\n";
}

/** Longest-path depth of each job: running wave by wave honours every edge. */
export function waves(jobs: Job[]): Job[][] {
  const depth = new Map<string, number>();
  for (const job of jobs) {
    // Jobs are listed after everything they need, so one pass suffices.
    const d = Math.max(-1, ...job.needs.map((n) => depth.get(n) ?? 0)) + 1;
    depth.set(job.name, d);
  }
  const out: Job[][] = [];
  for (const job of jobs) {
    const d = depth.get(job.name) ?? 0;
    (out[d] ??= []).push(job);
  }
  return out;
}

/**
 * The floor: the same step processes (`bash -c 'echo ...'`), two jobs at a time, wave by wave.
 * A job is a forked subshell, so the only exec'd processes are the 150 steps themselves.
 */
export function floorScript(jobs: Job[], parallel = 2): string {
  const out = ["#!/usr/bin/env bash", "set -e", "running=0"];
  for (const wave of waves(jobs)) {
    for (const job of wave) {
      const steps = job.steps.map((s) => `bash -c '${s}'`).join(" && ");
      out.push(`if [ "$running" -ge ${parallel} ]; then wait -n; running=$((running-1)); fi`);
      out.push(`( ${steps} ) & running=$((running+1))`);
    }
    out.push("wait; running=0");
  }
  return out.join("\n") + "\n";
}

export function oneStepWorkflow(): string {
  return ["name: one", "on: push", "jobs:", "  one:", "    runs-on: ubuntu-latest", "    steps:", "      - run: true", ""].join("\n");
}
