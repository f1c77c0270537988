/**
 * The Docker executor against a real daemon: the shared contract in a debian:bookworm job container,
 * then what only containers do (services, health, ports, networks, cleanup). Without a reachable
 * daemon the daemon tests are skipped, saying so; the option parsers are tested regardless.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { connectDocker, dockerClient, DockerUnavailableError, describeDocker } from "../../src/run/executors/docker/client.ts";
import { DockerExecutor, type DockerExecutorInput } from "../../src/run/executors/docker/docker-executor.ts";
import { startServices } from "../../src/run/executors/docker/services.ts";
import { ImageUnavailableError, resolveImage } from "../../src/run/executors/docker/images.ts";
import { collectGarbage } from "../../src/run/executors/docker/gc.ts";
import { RUN_LABEL, removeLabelled } from "../../src/run/executors/docker/labels.ts";
import { parseOptions } from "../../src/run/executors/docker/options.ts";
import { parsePorts } from "../../src/run/executors/docker/ports.ts";
import { toContainerSpec } from "../../src/run/executors/docker/spec.ts";
import { runExecutorContract } from "./contract.ts";

const fixtures = JSON.parse(await readFile(new URL("../fixtures/executors/docker-options.json", import.meta.url), "utf8")) as {
  options: Array<{ name: string; input: string; expect?: Record<string, unknown>; error?: string }>;
  ports: Array<{ input: string[]; bindings?: Record<string, unknown>; error?: string }>;
};

void describe("container options and ports", () => {
  for (const c of fixtures.options) {
    void it(c.name, () => {
      if (c.error) return assert.throws(() => parseOptions(c.input), { message: new RegExp(escape(c.error)) });
      const parsed = parseOptions(c.input) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.expect ?? {})) assert.deepEqual(parsed[k], v, k);
    });
  }
  for (const c of fixtures.ports) {
    void it(`ports ${c.input.join(", ")}`, () => {
      if (c.error) return assert.throws(() => parsePorts(c.input), { message: new RegExp(escape(c.error)) });
      assert.deepEqual(parsePorts(c.input).PortBindings, c.bindings);
    });
  }
  void it("container: accepts the string form and numbers in ports", () => {
    assert.deepEqual(toContainerSpec("node:20"), { image: "node:20" });
    const spec = toContainerSpec({ image: "postgres:15", ports: [5432, "8080:80"], env: { N: 1 }, credentials: { username: "u", password: "p" } });
    assert.deepEqual(spec.ports, ["5432", "8080:80"]);
    assert.deepEqual(spec.env, { N: "1" });
    assert.deepEqual(spec.credentials, { username: "u", password: "p" });
  });
  void it("image aliases apply with or without the implied :latest", () => {
    assert.equal(resolveImage("node:20", { "node:20": "local/node:20" }), "local/node:20");
    assert.equal(resolveImage("alpine", { "alpine:latest": "local/alpine" }), "local/alpine");
    assert.equal(resolveImage("alpine:latest", { alpine: "local/alpine" }), "local/alpine");
    assert.equal(resolveImage("localhost:5000/x", {}), "localhost:5000/x");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const docker = dockerClient();
const reachable = await docker.ping().then(
  () => null,
  (e: Error) => e.message,
);
/** One run label for this file: after() removes whatever carries it, whatever failed. */
const RUN = `test-${process.pid}-${Date.now()}`;
const IMAGE = "debian:bookworm";
const roots: string[] = [];

async function hostRoot(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "slipway-docker-exec-"));
  roots.push(root);
  return root;
}

async function labelled(run: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${run}`] });
  const [c, n, v] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return { containers: c.length, networks: n.length, volumes: v.Volumes?.length ?? 0 };
}

async function executor(jobKey: string, over: Partial<DockerExecutorInput> = {}, lines: string[] = []): Promise<DockerExecutor> {
  return new DockerExecutor({ runId: RUN, jobKey, container: { image: IMAGE }, hostRoot: await hostRoot(), log: (l) => lines.push(l), docker, ...over });
}

/** Postgres answers an SSLRequest with one byte, 'N' or 'S': proof a real server is on the port. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
function postgresHello(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port }, () => s.write(SSL_REQUEST));
    s.setTimeout(5000, () => s.destroy(new Error("no answer from postgres")));
    s.once("data", (d) => {
      resolve(d.toString("latin1", 0, 1));
      s.end();
    });
    s.once("error", reject);
  });
}

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
async function sh(ex: DockerExecutor, script: string): Promise<{ exitCode: number; out: string[] }> {
  const out: string[] = [];
  const r = await ex.exec({ argv: ["bash", "-c", script], env: { PATH }, cwd: ex.paths.workspace, signal: new AbortController().signal, onLine: (l) => out.push(l) });
  return { exitCode: r.exitCode, out };
}

const PG = { image: "postgres:15", env: { POSTGRES_PASSWORD: "slipway" } };
const PG_HEALTH = "--health-cmd pg_isready --health-interval 1s --health-timeout 3s --health-retries 30";

if (reachable !== null) {
  void it("Docker executor tests", { skip: `no Docker daemon reachable at ${describeDocker(docker)}: ${reachable}` }, () => undefined);
} else {
  after(async () => {
    await removeLabelled(docker, { [RUN_LABEL]: RUN });
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });

  runExecutorContract("docker", async () => {
    const ex = await executor("contract");
    return { executor: ex, cleanup: () => ex.teardown() };
  });

  void describe("docker job containers and services", { timeout: 180_000 }, () => {
    void it("puts the workspace where GitHub does and sets the container environment", async () => {
      const ex = await executor("layout", { repo: "demo" });
      try {
        await ex.prepare();
        assert.equal(ex.paths.workspace, "/__w/demo/demo");
        assert.equal(ex.paths.temp, "/__w/_temp");
        const r = await sh(ex, 'echo "$HOME $GITHUB_ACTIONS $CI"; pwd; /__e/node20/bin/node -e "console.log(typeof process.version)"');
        assert.deepEqual(r.out, ["/github/home true true", "/__w/demo/demo", "string"]);
        assert.equal(ex.containerEnv.HOME, "/github/home");
        assert.match(ex.containerEnv.PATH ?? "", /\/usr\/bin/);
      } finally {
        await ex.teardown();
      }
    });

    void it("waits for healthy services, reaches them by id on the job network and through published ports", async () => {
      const run = `${RUN}-svc`;
      const ex = await executor("services", {
        runId: run,
        container: { image: IMAGE, volumes: ["/cache"] },
        services: { postgres: { ...PG, ports: ["5432"], options: PG_HEALTH } },
      });
      try {
        await ex.prepare();
        const svc = ex.services.postgres;
        assert.ok(svc, "job.services.postgres is set");
        assert.equal(svc.network, ex.containerContext.network);
        const health = (await docker.getContainer(svc.id).inspect()).State.Health?.Status;
        assert.equal(health, "healthy", "prepare returned only once the service was healthy");
        const hostPort = Number(svc.ports["5432"]);
        assert.ok(hostPort > 0, `a host port was published: ${JSON.stringify(svc.ports)}`);
        assert.equal(await postgresHello(hostPort), "N");
        const r = await sh(ex, 'exec 3<>/dev/tcp/postgres/5432; printf "\\x00\\x00\\x00\\x08\\x04\\xd2\\x16\\x2f" >&3; read -r -n 1 c <&3; echo "got $c"');
        assert.deepEqual(r.out, ["got N"]);
        assert.match((await ex.serviceLogs()).postgres ?? "", /ready to accept connections/, "service logs are kept");
        assert.ok((await labelled(run)).volumes >= 1, "the anonymous volume carries the run label");
      } finally {
        await ex.teardown();
      }
      assert.deepEqual(await labelled(run), { containers: 0, networks: 0, volumes: 0 });
    });

    void it("services for a job without a container: loopback-only ports, stop() removes everything", async () => {
      const run = `${RUN}-host-svc`;
      const started = await startServices({ runId: run, jobKey: "svc-only", docker, log: () => undefined, services: { db: { ...PG, ports: ["127.0.0.1::5432"], options: PG_HEALTH } } });
      try {
        const port = Number(started.context.db?.ports["5432"]);
        assert.ok(port > 0);
        assert.equal(await postgresHello(port), "N");
        assert.equal(started.context.db?.network, started.network.name);
        const binding = (await docker.getContainer(started.context.db?.id ?? "").inspect()).NetworkSettings.Ports["5432/tcp"];
        assert.deepEqual(binding?.map((b) => b.HostIp), ["127.0.0.1"]);
      } finally {
        await started.stop();
        await started.stop();
      }
      assert.deepEqual(await labelled(run), { containers: 0, networks: 0, volumes: 0 });
    });

    void it("a service that never becomes healthy fails with its health output, leaving nothing", async () => {
      const run = `${RUN}-unhealthy`;
      const lines: string[] = [];
      const t0 = Date.now();
      await assert.rejects(
        startServices({ runId: run, jobKey: "bad", docker, log: (l) => lines.push(l), services: { sick: { ...PG, options: "--health-cmd 'echo boom-from-health; false' --health-interval 1s --health-retries 2 --health-timeout 2s" } } }),
        (e: Error) => {
          assert.match(e.message, /service 'sick' did not become healthy/);
          assert.match(e.message, /boom-from-health/);
          return true;
        },
      );
      assert.ok(Date.now() - t0 < 60_000);
      assert.deepEqual(await labelled(run), { containers: 0, networks: 0, volumes: 0 });
    });

    void it("a missing image fails prepare with the image's name; teardown leaves nothing", async () => {
      const run = `${RUN}-missing`;
      const image = "127.0.0.1:9/slipway/missing:never";
      const ex = await executor("missing", { runId: run, container: { image } });
      await assert.rejects(ex.prepare(), (e: Error) => {
        assert.ok(e instanceof ImageUnavailableError, e.message);
        assert.match(e.message, /image '127\.0\.0\.1:9\/slipway\/missing:never' is not on this machine and could not be pulled: .+; build it with `npm run images`/);
        return true;
      });
      await ex.teardown();
      await ex.teardown();
      assert.deepEqual(await labelled(run), { containers: 0, networks: 0, volumes: 0 });
    });

    void it("an unreachable DOCKER_HOST is a clear error", async () => {
      await assert.rejects(connectDocker({ DOCKER_HOST: "tcp://127.0.0.1:9" }), (e: Error) => {
        assert.ok(e instanceof DockerUnavailableError);
        assert.match(e.message, /^Docker is not running or not reachable at tcp:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/);
        return true;
      });
      const lines: string[] = [];
      const ex = await executor("nodaemon", { docker: dockerClient({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }) }, lines);
      await assert.rejects(ex.prepare(), /Docker is not running or not reachable at unix:\/\/\/nonexistent\/docker\.sock: no socket/);
      await ex.teardown();
    });

    void it("gc removes what dead runs left and keeps what live runs use", async () => {
      const dead = `${RUN}-gc-dead`;
      const alive = `${RUN}-gc-alive`;
      const make = (run: string) => docker.createNetwork({ Name: `slipway_${run}`, Labels: { [RUN_LABEL]: run } }) as Promise<Docker.Network>;
      await Promise.all([make(dead), make(alive), docker.createVolume({ Name: `slipway_${dead}_v`, Labels: { [RUN_LABEL]: dead } })]);
      try {
        await collectGarbage(docker, (id) => !id.startsWith(RUN) || id === alive);
        assert.deepEqual(await labelled(dead), { containers: 0, networks: 0, volumes: 0 });
        assert.equal((await labelled(alive)).networks, 1);
      } finally {
        await removeLabelled(docker, { [RUN_LABEL]: alive });
      }
    });
  });
}
