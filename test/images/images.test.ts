/**
 * The stand-in images of scripts/images: built without a registry, they must behave like the
 * official ones for what workflows do with them — services reached by name over a network with
 * a password, a published port reached from the host, and the right language versions.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const id = crypto.randomBytes(4).toString("hex");
// Everything this file creates carries this label, so `after` can remove it all.
const label = `org.slipway.test=images-${id}`;
const net = `slipway-images-${id}`;
const pg = `pg-${id}`;
const redis = `redis-${id}`;

type Result = { code: number; out: string; err: string };

function run(cmd: string, args: string[]): Result {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: (r.stdout ?? "").trim(), err: (r.stderr ?? "").trim() };
}

function docker(...args: string[]): string {
  const r = run("docker", args);
  assert.equal(r.code, 0, `docker ${args.join(" ")} failed: ${r.err}`);
  return r.out;
}

/** Runs a throwaway container on the test network and returns what it printed. */
function oneShot(image: string, ...cmd: string[]): Result {
  return run("docker", ["run", "--rm", "--label", label, "--network", net, image, ...cmd]);
}

async function waitFor(what: string, ok: () => boolean, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`timed out after ${seconds} s waiting for ${what}`);
}

function ensureHostPgIsready(): void {
  if (run("sh", ["-c", "command -v pg_isready"]).code === 0) return;
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "postgresql-client"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

before(() => {
  // Both are idempotent: seconds when the engine is up and the images are current.
  execFileSync("bash", [path.join(root, "scripts/docker-setup.sh")], { stdio: "inherit" });
  execFileSync("bash", [path.join(root, "scripts/images/build.sh")], { stdio: "inherit" });
  docker("network", "create", "--label", label, net);
  docker(
    "run", "-d", "--label", label, "--network", net, "--name", pg,
    "-e", "POSTGRES_PASSWORD=s3cret", "-e", "POSTGRES_USER=app", "-e", "POSTGRES_DB=appdb",
    "-p", "127.0.0.1::5432", "postgres:13-alpine",
  );
  docker("run", "-d", "--label", label, "--network", net, "--name", redis, "redis:7-alpine");
});

after(() => {
  const containers = run("docker", ["ps", "-aq", "--filter", `label=${label}`]).out.split("\n").filter(Boolean);
  if (containers.length > 0) run("docker", ["rm", "-f", "-v", ...containers]);
  const networks = run("docker", ["network", "ls", "-q", "--filter", `label=${label}`]).out.split("\n").filter(Boolean);
  if (networks.length > 0) run("docker", ["network", "rm", ...networks]);
});

void test("every stand-in is tagged with its official name and labelled", () => {
  for (const tag of ["postgres:13-alpine", "postgres:15", "redis:7-alpine", "redis:7", "debian:bookworm", "ubuntu:22.04", "node:20", "python:3.11"]) {
    const standIn = docker("image", "inspect", "--format", '{{ index .Config.Labels "org.slipway.stand-in" }}', tag);
    // An official image pulled earlier is kept, and is the real thing; only ours carry the label.
    if (standIn === "true") {
      assert.equal(docker("image", "inspect", "--format", '{{ index .Config.Labels "org.slipway.stands-for" }}', tag), tag);
    }
  }
});

void test("postgres: initialises with the env, runs as postgres, answers another container with the password", async () => {
  await waitFor("pg_isready inside the service", () => run("docker", ["exec", pg, "pg_isready", "-U", "app", "-d", "appdb"]).code === 0);
  assert.equal(docker("exec", pg, "ps", "-o", "user=", "-p", "1"), "postgres");

  const url = (password: string) => `postgresql://app:${password}@${pg}:5432/appdb`;
  const good = oneShot("postgres:15", "psql", url("s3cret"), "-tAc", "SELECT current_user || ' ' || current_database() || ' ' || 1");
  assert.equal(good.code, 0, good.err);
  assert.equal(good.out, "app appdb 1");

  const bad = oneShot("postgres:15", "psql", url("wrong"), "-tAc", "SELECT 1");
  assert.notEqual(bad.code, 0, "a wrong password must be refused from another host");
  assert.match(bad.err, /password authentication failed/);
});

void test("postgres: a published port is reachable from the host", async () => {
  ensureHostPgIsready();
  const mapping = docker("port", pg, "5432/tcp").split("\n")[0] ?? "";
  const port = mapping.slice(mapping.lastIndexOf(":") + 1);
  assert.match(port, /^\d+$/, `unexpected port mapping ${mapping}`);
  await waitFor("pg_isready from the host", () => run("pg_isready", ["-h", "127.0.0.1", "-p", port, "-t", "2"]).code === 0, 30);
});

void test("redis: answers PING from another container by name", async () => {
  let last: Result = { code: -1, out: "", err: "" };
  await waitFor("redis PONG", () => {
    last = oneShot("redis:7", "redis-cli", "-h", redis, "ping");
    return last.out === "PONG";
  }, 30);
  assert.equal(last.out, "PONG");
  assert.equal(docker("exec", redis, "ps", "-o", "user=", "-p", "1"), "redis");
});

const versions: Array<{ image: string; cmd: string[]; expect: RegExp }> = [
  { image: "node:20", cmd: ["node", "--version"], expect: /^v20\.\d+\.\d+$/ },
  { image: "node:20", cmd: ["-e", "console.log(require('os').platform())"], expect: /^linux$/ },
  { image: "node:20", cmd: ["npm", "--version"], expect: /^\d+\.\d+\.\d+$/ },
  { image: "python:3.11", cmd: ["python", "--version"], expect: /^Python 3\.11\.\d+$/ },
  { image: "python:3.11", cmd: ["python3", "-c", "import sys; print(sys.version_info[:2])"], expect: /^\(3, 11\)$/ },
  { image: "python:3.11", cmd: ["pip", "--version"], expect: /python 3\.11/ },
  { image: "ubuntu:22.04", cmd: ["bash", "-c", "true && echo ok"], expect: /^ok$/ },
  { image: "debian:bookworm", cmd: ["bash", "-c", "true && echo ok"], expect: /^ok$/ },
];

for (const { image, cmd, expect } of versions) {
  void test(`${image}: ${cmd.join(" ")}`, () => {
    const r = oneShot(image, ...cmd);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, expect);
  });
}

void test("postgres: docker stop ends the server promptly (PID 1 handles the stop signal)", () => {
  const started = Date.now();
  docker("stop", "-t", "20", pg);
  assert.ok(Date.now() - started < 10_000, `docker stop took ${Date.now() - started} ms`);
  assert.equal(docker("inspect", "--format", "{{.State.ExitCode}}", pg), "0");
});
