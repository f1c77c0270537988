/** With no daemon at DOCKER_HOST, a docker action fails at once with a message saying where it looked. */
import { it } from "node:test";
import assert from "node:assert/strict";
import { DockerUnavailableError } from "../../src/run/executors/docker/client.ts";
import { runDockerAction } from "../../src/run/actions/docker/index.ts";

void it("a daemon that does not answer gives DockerUnavailableError naming the address", async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = "unix:///nonexistent/slipway-test.sock";
  try {
    const run = runDockerAction({
      image: "docker://debian:bookworm",
      actionDir: null,
      args: [],
      env: {},
      hostWorkspace: "/nonexistent/ws",
      hostTemp: "/nonexistent/tmp",
      eventPath: "/nonexistent/event.json",
      labels: {},
      onLine: () => undefined,
      signal: new AbortController().signal,
      log: () => undefined,
    });
    await assert.rejects(run, (e: Error) => e instanceof DockerUnavailableError && e.message.includes("/nonexistent/slipway-test.sock"));
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
});
