import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { HostExecutor } from "../../src/run/executors/host.ts";
import { runExecutorContract } from "./contract.ts";

runExecutorContract("host", async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), "slipway-host-exec-"));
  const executor = new HostExecutor({
    workspace: path.join(root, "workspace"),
    temp: path.join(root, "temp"),
    toolCache: path.join(root, "toolcache"),
    hostRoot: root,
    hostWorkspace: path.join(root, "workspace"),
    hostTemp: path.join(root, "temp"),
  });
  return {
    executor,
    cleanup: async () => {
      await executor.teardown();
      await rm(root, { recursive: true, force: true });
    },
  };
});
