/** `slipway list`, `slipway runs` and `slipway logs`: read-only views. */
import path from "node:path";
import { InputError, NotFoundError } from "../common/errors.ts";
import { readRepo } from "../git/repo.ts";
import { synthesizeEvent } from "../plan/event.ts";
import { expandStrategy, matrixJobName } from "../plan/matrix.ts";
import { evalTpl } from "../expr/evaluate.ts";
import { isLiteral } from "../expr/template.ts";
import { selectTriggered } from "../run/engine.ts";
import { parse } from "./args.ts";
import { dataDir, openStore } from "./data-dir.ts";
import { loadValidWorkflows } from "../service/workflow-files.ts";

export async function listCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { C: { type: "string", short: "C" }, W: { type: "string", short: "W" }, json: { type: "boolean" } }, "list");
  const eventName = positionals[0] ?? "push";
  const repo = await readRepo(path.resolve((values.C as string) ?? "."));
  const workflows = await loadValidWorkflows(repo.root, values.W as string | undefined);
  const event = synthesizeEvent(eventName, repo, null, null);
  const triggered = selectTriggered(workflows, event, repo.changedFiles, repo.headCommit.message);
  const graph = triggered.map(({ workflow, reason }) => ({
    workflow: workflow.file,
    name: workflow.name,
    reason,
    jobs: workflow.jobs.map((j) => {
      const literal = j.strategy !== null && isLiteral(j.strategy) ? expandStrategy(evalTpl(j.strategy, {})).strategy : null;
      const names = literal?.combinations ? literal.combinations.map((_, i) => matrixJobName(typeof j.name === "string" ? j.name : j.id, (literal.nameParts?.[i] ?? null) as never, typeof j.name === "string")) : [typeof j.name === "string" ? j.name : j.id];
      return { id: j.id, needs: j.needs, uses: j.uses, instances: names };
    }),
  }));
  if (values.json) process.stdout.write(`${JSON.stringify({ event: eventName, workflows: graph }, null, 2)}\n`);
  else {
    if (!graph.length) process.stdout.write(`no workflow is triggered by '${eventName}'\n`);
    for (const w of graph) {
      process.stdout.write(`${w.workflow} (${w.name})\n`);
      for (const j of w.jobs) process.stdout.write(`  ${j.id}${j.needs.length ? ` <- ${j.needs.join(", ")}` : ""}${j.instances.length > 1 ? `  [${j.instances.length} matrix jobs]` : ""}${j.uses ? `  calls ${j.uses}` : ""}\n`);
    }
  }
  return 0;
}

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { C: { type: "string", short: "C" }, "data-dir": { type: "string" }, json: { type: "boolean" }, limit: { type: "string" } }, "runs");
  const store = await openStore(dataDir(values["data-dir"]));
  try {
    const repo = values.C ? (await readRepo(path.resolve(values.C as string))).root : undefined;
    const runs = await store.listRuns({ repo, limit: Number(values.limit ?? 30) });
    if (values.json) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else {
      process.stdout.write(`${"RUN".padEnd(6)} ${"WORKFLOW".padEnd(28)} ${"EVENT".padEnd(18)} ${"RESULT".padEnd(10)} STARTED\n`);
      for (const r of runs) process.stdout.write(`${String(r.id).padEnd(6)} ${`${r.workflowName} #${r.runNumber}`.padEnd(28)} ${r.event.padEnd(18)} ${(r.result ?? r.status).padEnd(10)} ${r.startedAt ?? r.createdAt}${r.reason ? `  (${r.reason})` : ""}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

export async function logsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { "data-dir": { type: "string" } }, "logs");
  const [runArg, jobArg] = positionals;
  const runId = Number(runArg);
  if (!runArg || !Number.isInteger(runId)) throw new InputError("usage: slipway logs RUN [JOB]");
  const store = await openStore(dataDir(values["data-dir"]));
  try {
    const run = await store.getRun(runId);
    if (!run) throw new NotFoundError(`run ${runId} not found (see 'slipway runs')`);
    const jobs = (await store.listJobs(runId)).filter((j) => !jobArg || j.jobId === jobArg || j.name === jobArg || String(j.id) === jobArg);
    if (jobArg && !jobs.length) throw new NotFoundError(`run ${runId} has no job '${jobArg}'`);
    for (const j of jobs) {
      const lines = await store.readLogs(j.id);
      for (const l of lines) process.stdout.write(`${jobs.length > 1 ? `[${j.name}] ` : ""}${l.ts} ${l.text}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
