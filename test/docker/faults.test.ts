/**
 * Docker faults give a clear message and leave no container, network or volume behind: a service that
 * never gets healthy, a missing image, a daemon that is not running, and a run killed mid-job.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { BIN, gitRepo, slipway, tmpDir } from "../helpers/cli.ts";
import { dockerAvailable } from "./docker-available.ts";

const skip = dockerAvailable();

/** Resources of one Slipway process's run: run ids repeat across data dirs, the owner pid does not. */
function leftovers(runId: number | string, pid: number): string {
  const filter = `label=org.slipway.run`;
  const lines = ["ps -a", "network ls", "volume ls"].flatMap((cmd) =>
    execFileSync("docker", [...cmd.split(" "), "--filter", filter, "--format", "{{.Labels}}"], { encoding: "utf8" }).split("\n"),
  );
  return lines.filter((l) => new RegExp(`org\\.slipway\\.run=${runId}@[^,:]+:${pid}(,|$)`).test(l)).join("\n");
}

function workflow(job: string): Record<string, string> {
  return { ".github/workflows/ci.yml": `on: push\njobs:\n${job}` };
}

test("a service that never gets healthy fails the job with its last health output", { skip }, () => {
  const repo = gitRepo(workflow(`  a:
    runs-on: ubuntu-latest
    services:
      sick:
        image: redis:7
        options: --health-cmd "echo still-not-ready; exit 1" --health-interval 1s --health-retries 2 --health-timeout 2s
    steps:
      - run: echo never
`));
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir(), "--json"], { timeoutMs: 180_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /sick/);
  assert.match(r.stderr, /still-not-ready/);
  assert.doesNotMatch(r.stderr, /\n\[a\]\s+never/);
  assert.equal(leftovers(r.json.runs[0].runId, r.pid), "");
});

test("a missing image is named, with how to provide it", { skip }, () => {
  const repo = gitRepo(workflow(`  a:
    runs-on: ubuntu-latest
    container: slipway-test/does-not-exist:1.0
    steps:
      - run: echo never
`));
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir(), "--json"], { timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /slipway-test\/does-not-exist:1\.0/);
  assert.match(r.stderr, /npm run images|images:/);
  assert.equal(leftovers(r.json.runs[0].runId, r.pid), "");
});

test("a Docker daemon that is not running is reported as such", () => {
  const repo = gitRepo(workflow(`  a:
    runs-on: ubuntu-latest
    container: debian:bookworm
    steps:
      - run: echo never
`));
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir()], { env: { DOCKER_HOST: "unix:///tmp/slipway-no-docker.sock" }, timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Docker is not running or not reachable at .*slipway-no-docker\.sock/);
});

test("a run killed mid-job leaves containers that the next start removes", { skip, timeout: 120_000 }, async () => {
  const repo = gitRepo(workflow(`  a:
    runs-on: ubuntu-latest
    container: debian:bookworm
    services:
      cache:
        image: redis:7
    steps:
      - run: echo in-the-container && sleep 60
`));
  const data = tmpDir();
  const child = spawn(process.execPath, [BIN, "run", "-C", repo, "--data-dir", data], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      err += d;
      if (err.includes("in-the-container")) resolve();
    });
    child.on("exit", () => reject(new Error(`exited early:\n${err}`)));
  });
  child.kill("SIGKILL");
  await new Promise((r) => setTimeout(r, 500));
  const runs = JSON.parse(slipway(["runs", "--data-dir", data, "--json"]).stdout);
  assert.equal(runs[0].result, "cancelled");
  assert.equal(leftovers(runs[0].id, child.pid ?? 0), "", "start-up removed the killed run's containers and network");
});

test("slipway gc removes what a killed run left behind", { skip }, () => {
  execFileSync("docker", ["network", "create", "--label", `org.slipway.run=999@${require_hostname()}:999999`, "slipway-gc-test-net"]);
  const r = slipway(["gc"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /removed \d+ container\(s\), [1-9]\d* network\(s\)/);
  assert.equal(leftovers(999, 999999), "");
});

function require_hostname(): string {
  return execFileSync("hostname", { encoding: "utf8" }).trim();
}
