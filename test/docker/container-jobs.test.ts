/**
 * Jobs in containers: `container:` with env and volumes reaching a service by name, GITHUB_* files and
 * workflow commands working inside, a JavaScript action run by the mounted Node, and a runs-on label
 * mapped to an image with -P or .slipway.yml (and images: aliases).
 */
import { after, test } from "node:test";
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { gitRepo, slipway, tmpDir } from "../helpers/cli.ts";
import { dockerAvailable } from "./docker-available.ts";

const skip = dockerAvailable();
// A named volume is the user's, as on GitHub: it outlives the job, so the test removes its own.
after(() => void spawnSync("docker", ["volume", "rm", "-f", "slipway-test-cache"]));

const CONTAINER_JOB = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: debian:bookworm
      env: { FROM_CONTAINER: yes }
      volumes: [ "slipway-test-cache:/cache" ]
      options: --hostname builder
    services:
      cache:
        image: redis:7
    outputs:
      where: \${{ steps.probe.outputs.where }}
    steps:
      - uses: actions/checkout@v4
      - id: probe
        run: |
          echo "where=$(hostname):$GITHUB_WORKSPACE" >> "$GITHUB_OUTPUT"
          echo "LATER=set-in-container" >> "$GITHUB_ENV"
          echo "::notice title=probe::inside \$FROM_CONTAINER"
          test -f README.md
          redis-cli -h cache ping
          echo "service=\${{ job.services.cache.network == job.container.network }}"
      - run: test "$LATER" = set-in-container && echo later-ok
      - uses: ./.github/actions/hello
`;

const JS_ACTION = `name: hello
runs:
  using: node20
  main: index.js
`;

test("a container job: checkout, services by name, command files, a JavaScript action", { skip }, () => {
  const repo = gitRepo({ ".github/workflows/ci.yml": CONTAINER_JOB, "README.md": "x", ".github/actions/hello/action.yml": JS_ACTION, ".github/actions/hello/index.js": "console.log('node ' + process.version + ' in ' + process.cwd())" });
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir(), "--json"], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr.slice(-4000));
  assert.match(r.json.runs[0].jobs[0].outputs.where, /^builder:\/__w\//);
  assert.match(r.stderr, /PONG/);
  assert.match(r.stderr, /service=true/);
  assert.match(r.stderr, /later-ok/);
  assert.match(r.stderr, /Notice: probe: inside yes/);
  assert.match(r.stderr, /node v20\.\d+\.\d+ in \/__w\//);
});

test("a runs-on label mapped to an image with -P, and .slipway.yml platforms and images", { skip }, () => {
  const wf = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: cat /etc/os-release | head -1 && python3 --version && echo "host=$(hostname)"
  b:
    runs-on: custom-box
    steps:
      - run: echo "in custom-box"
`;
  const repo = gitRepo({ ".github/workflows/ci.yml": wf, ".slipway.yml": "platforms:\n  custom-box: my-alias:1\nimages:\n  my-alias:1: debian:bookworm\n" });
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir(), "-P", "ubuntu-latest=python:3.11", "--json"], { timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr.slice(-4000));
  assert.match(r.stderr, /Python 3\.11/);
  assert.match(r.stderr, /in custom-box/);
  assert.deepEqual(r.json.runs[0].jobs.map((j: { result: string }) => j.result), ["success", "success"]);
});

test("a broken .slipway.yml is bad input with a position", () => {
  const repo = gitRepo({ ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n", ".slipway.yml": "platforms:\n  custom-box: [1, 2]\n" });
  const r = slipway(["run", "-C", repo, "--data-dir", tmpDir()]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\.slipway\.yml:2:15: error: platforms\.custom-box must be a non-empty string/);
});
