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

/**
 * The floor: the same step processes (`bash -c 'echo ...'`) with a greedy two-slot job pool that
 * starts any job whose needs are done, as a CI scheduler would. A job is a forked subshell, so the
 * only exec'd processes are the 150 steps themselves.
 */
export function floorScript(jobs: Job[], parallel = 2): string {
  const cases = jobs.map((j) => `    ${j.name}) ${j.steps.map((s) => `bash -c '${s}'`).join(" && ")} ;;`);
  const needs = jobs.map((j) => `[${j.name}]="${j.needs.join(" ")}"`).join(" ");
  return `#!/usr/bin/env bash
names=(${jobs.map((j) => j.name).join(" ")})
declare -A needs=(${needs})
declare -A done=() started=() job_of=()
run_job() {
  case $1 in
${cases.join("\n")}
  esac
}
running=0
while (( \${#done[@]} < \${#names[@]} )); do
  for j in "\${names[@]}"; do
    (( running >= ${parallel} )) && break
    [[ -n \${started[$j]} ]] && continue
    ready=1
    for n in \${needs[$j]}; do [[ -n \${done[$n]} ]] || { ready=0; break; }; done
    (( ready )) || continue
    run_job "$j" & job_of[$!]=$j; started[$j]=1; running=$((running+1))
  done
  wait -n -p finished || { echo "floor: job \${job_of[$finished]} failed" >&2; exit 1; }
  done[\${job_of[$finished]}]=1; running=$((running-1))
done
`;
}

export function oneStepWorkflow(): string {
  return ["name: one", "on: push", "jobs:", "  one:", "    runs-on: ubuntu-latest", "    steps:", "      - run: true", ""].join("\n");
}
