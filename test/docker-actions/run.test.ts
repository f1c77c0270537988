/**
 * Docker container actions against a real daemon: a Dockerfile action built once and reused, a
 * `docker://` image with an entrypoint override, exit codes, abort, errors, and cleanup. Without a
 * reachable daemon the whole file is skipped, saying why.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dockerClient, describeDocker } from "../../src/run/executors/docker/client.ts";
import { ImageUnavailableError } from "../../src/run/executors/docker/images.ts";
import { RUN_LABEL, removeLabelled } from "../../src/run/executors/docker/labels.ts";
import { ActionBuildError, runDockerAction, type DockerActionRun } from "../../src/run/actions/docker/index.ts";

const docker = dockerClient();
const unreachable = await docker.ping().then(
  () => null,
  (e: Error) => e.message,
);
const RUN = `test-docker-actions-${process.pid}-${Date.now()}`;
const LABELS = { [RUN_LABEL]: RUN };
const FIXTURE = new URL("../fixtures/docker-actions/greeter/", import.meta.url);
const LOCAL_SOCKET = !process.env.DOCKER_HOST && existsSync("/var/run/docker.sock");
const dirs: string[] = [];
const builtTags = new Set<string>();

interface Job {
  workspace: string;
  temp: string;
  eventPath: string;
  outputFile: string;
}

async function tmp(prefix: string): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** A job's folders as the engine lays them out: workspace, RUNNER_TEMP with its command files, event.json. */
async function job(): Promise<Job> {
  const root = await tmp("slipway-docker-action-");
  const workspace = path.join(root, "ws");
  const temp = path.join(root, "_temp");
  const commands = path.join(temp, "_runner_file_commands");
  await mkdir(workspace, { recursive: true });
  await mkdir(commands, { recursive: true });
  const outputFile = path.join(commands, "set_output_1");
  await writeFile(outputFile, "");
  const eventPath = path.join(root, "event", "event.json");
  await mkdir(path.dirname(eventPath));
  await writeFile(eventPath, '{"ref":"refs/heads/main"}');
  return { workspace, temp, eventPath, outputFile };
}

/** The greeter fixture in a fresh folder, with a nonce so that this test run builds its own image. */
async function greeterCopy(): Promise<string> {
  const dir = path.join(await tmp("slipway-greeter-"), "greeter");
  await cp(FIXTURE, dir, { recursive: true });
  await chmod(path.join(dir, "entrypoint.sh"), 0o755);
  await writeFile(path.join(dir, "nonce"), RUN);
  return dir;
}

interface Ran {
  result: { exitCode: number; aborted: boolean };
  out: string[];
  err: string[];
  log: string[];
}

async function run(j: Job, over: Partial<DockerActionRun>): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const log: string[] = [];
  const result = await runDockerAction({
    image: "docker://debian:bookworm",
    actionDir: null,
    args: [],
    env: {
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      GITHUB_WORKSPACE: j.workspace,
      GITHUB_OUTPUT: j.outputFile,
      GITHUB_EVENT_PATH: j.eventPath,
      RUNNER_TEMP: j.temp,
      HOME: "/root-of-the-host",
    },
    hostWorkspace: j.workspace,
    hostTemp: j.temp,
    eventPath: j.eventPath,
    labels: LABELS,
    onLine: (line, stream) => (stream === "stdout" ? out : err).push(line),
    signal: new AbortController().signal,
    log: (l) => {
      log.push(l);
      const tag = /slipway-action:[0-9a-f]{64}/.exec(l)?.[0];
      if (tag) builtTags.add(tag);
    },
    ...over,
  });
  return { result, out, err, log };
}

async function leftovers(): Promise<number> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${RUN}`] });
  return (await docker.listContainers({ all: true, filters })).length;
}

async function imageId(tag: string): Promise<string> {
  return (await docker.getImage(tag).inspect()).Id;
}

if (unreachable !== null) {
  void it("Docker action tests", { skip: `no Docker daemon reachable at ${describeDocker(docker)}: ${unreachable}` }, () => undefined);
} else {
  after(async () => {
    await removeLabelled(docker, LABELS);
    for (const tag of builtTags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  void describe("docker container actions", { timeout: 120_000 }, () => {
    void it("builds a Dockerfile action, runs it with args, inputs, outputs and the workspace, then reuses the image", async () => {
      const j = await job();
      const actionDir = await greeterCopy();
      const first = await run(j, { image: "Dockerfile", actionDir, args: ["world", "two words"], env: { ...(await baseEnv(j)), INPUT_WHO: "world" } });
      assert.equal(first.result.exitCode, 0, first.err.join("\n"));
      assert.equal(first.result.aborted, false);
      assert.deepEqual(first.out, ["args: world two words", "who: world", "where: /github/workspace /github/home /github/runner_temp true true", 'event: {"ref":"refs/heads/main"}']);
      assert.deepEqual(first.err, ["to stderr"]);
      assert.equal(await readFile(j.outputFile, "utf8"), "greeting=hello world\n");
      assert.equal(await readFile(path.join(j.workspace, "made-in-container"), "utf8"), "x\n");
      const tag = first.log.map((l) => /Building Docker image (\S+)/.exec(l)?.[1]).find(Boolean);
      assert.ok(tag, `the first run built the image: ${first.log.join("\n")}`);
      const id = await imageId(tag);

      const j2 = await job();
      const second = await run(j2, { image: "Dockerfile", actionDir, args: ["again"], env: { ...(await baseEnv(j2)), INPUT_WHO: "again" } });
      assert.equal(second.result.exitCode, 0);
      assert.equal(second.out[0], "args: again");
      assert.ok(!second.log.some((l) => l.startsWith("Building")), `no rebuild: ${second.log.join("\n")}`);
      assert.ok(second.log.some((l) => l.includes(`Using image ${tag}`)));
      assert.equal(await imageId(tag), id);

      await writeFile(path.join(actionDir, "nonce"), `${RUN}-changed`);
      const third = await run(await job(), { image: "Dockerfile", actionDir, args: [] });
      const retag = third.log.map((l) => /Building Docker image (\S+)/.exec(l)?.[1]).find(Boolean);
      assert.ok(retag && retag !== tag, "a changed file builds a new image");
    });

    void it("parallel steps using one new Dockerfile action build its image once", async () => {
      const actionDir = await greeterCopy();
      await writeFile(path.join(actionDir, "nonce"), `${RUN}-parallel`);
      const both = await Promise.all([run(await job(), { image: "Dockerfile", actionDir }), run(await job(), { image: "Dockerfile", actionDir })]);
      assert.deepEqual(both.map((r) => r.result.exitCode), [0, 0]);
      const builds = both.flatMap((r) => r.log).filter((l) => l.startsWith("Building Docker image"));
      assert.equal(builds.length, 1, builds.join("\n"));
    });

    void it("runs docker://image with an entrypoint override, passing each arg as it is", async () => {
      const j = await job();
      const script = 'printf "[%s]\\n" "$@"; echo "$INPUT_X" > "$GITHUB_OUTPUT"; [ -S /var/run/docker.sock ] && echo socket';
      const r = await run(j, { entrypoint: "/bin/sh", args: ["-c", script, "sh", "a b", "", "$HOME"], env: { ...(await baseEnv(j)), INPUT_X: "y=1" } });
      assert.equal(r.result.exitCode, 0, r.err.join("\n"));
      // As on GitHub the action gets the daemon's socket, when that is a socket on this machine.
      assert.deepEqual(r.out, ["[a b]", "[]", "[$HOME]", ...(LOCAL_SOCKET ? ["socket"] : [])]);
      assert.equal(await readFile(j.outputFile, "utf8"), "y=1\n");
    });

    void it("returns a non-zero exit code as a result", async () => {
      const r = await run(await job(), { entrypoint: "sh", args: ["-c", "echo failing; exit 3"] });
      assert.deepEqual(r.result, { exitCode: 3, aborted: false });
      assert.deepEqual(r.out, ["failing"]);
    });

    void it("an entrypoint that cannot be started fails with a message naming the image and the program", async () => {
      await assert.rejects(run(await job(), { entrypoint: "/no/such/program" }), /'docker:\/\/debian:bookworm'.*\/no\/such\/program/s);
      assert.equal(await leftovers(), 0);
    });

    void it("abort stops and removes the container; it ran on the job's network with the labels", async () => {
      const network = await docker.createNetwork({ Name: `slipway-test-${RUN}`, Labels: LABELS });
      const ac = new AbortController();
      const seen: { networks: string[]; labels: Record<string, string> } = { networks: [], labels: {} };
      const t0 = Date.now();
      const r = await runDockerAction({
        ...(await base(await job())),
        entrypoint: "sh",
        args: ["-c", "echo started; sleep 60"],
        network: `slipway-test-${RUN}`,
        signal: ac.signal,
        onLine: (line) => {
          if (line !== "started") return;
          void (async () => {
            // all: the daemon may mark the container running only after its first output.
            const [c] = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${RUN_LABEL}=${RUN}`] }) });
            const info = c ? await docker.getContainer(c.Id).inspect() : null;
            seen.networks = Object.keys(info?.NetworkSettings.Networks ?? {});
            seen.labels = info?.Config.Labels ?? {};
            ac.abort();
          })();
        },
      });
      assert.equal(r.aborted, true);
      assert.ok(Date.now() - t0 < 15_000, "stopped well before the sleep ended");
      assert.deepEqual(seen.networks, [`slipway-test-${RUN}`]);
      assert.equal(seen.labels[RUN_LABEL], RUN);
      assert.equal(await leftovers(), 0);
      await network.remove();
    });

    void it("a missing image fails with a message naming it", async () => {
      await assert.rejects(run(await job(), { image: "docker://localhost:1/slipway-missing:nope" }), (e: Error) => {
        assert.ok(e instanceof ImageUnavailableError);
        assert.match(e.message, /localhost:1\/slipway-missing:nope/);
        return true;
      });
    });

    void it("a failing Dockerfile build fails with a message naming the Dockerfile and the failure", async () => {
      const actionDir = await greeterCopy();
      await writeFile(path.join(actionDir, "Broken.Dockerfile"), "FROM debian:bookworm\nRUN echo about-to-fail && exit 7\n");
      await assert.rejects(run(await job(), { image: "Broken.Dockerfile", actionDir }), (e: Error) => {
        assert.ok(e instanceof ActionBuildError);
        assert.match(e.message, /Broken\.Dockerfile/);
        assert.match(e.message, /non-zero code: 7/);
        return true;
      });
      await assert.rejects(run(await job(), { image: "sub/Dockerfile", actionDir }), /sub\/Dockerfile.*does not exist/);
    });

    void it("leaves no container behind", async () => {
      assert.equal(await leftovers(), 0);
    });
  });
}

async function baseEnv(j: Job): Promise<Record<string, string>> {
  return (await base(j)).env;
}

async function base(j: Job): Promise<DockerActionRun> {
  return {
    image: "docker://debian:bookworm",
    actionDir: null,
    args: [],
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", GITHUB_WORKSPACE: j.workspace, GITHUB_OUTPUT: j.outputFile, GITHUB_EVENT_PATH: j.eventPath, RUNNER_TEMP: j.temp, HOME: "/root-of-the-host" },
    hostWorkspace: j.workspace,
    hostTemp: j.temp,
    eventPath: j.eventPath,
    labels: LABELS,
    onLine: () => undefined,
    signal: new AbortController().signal,
    log: () => undefined,
  };
}
