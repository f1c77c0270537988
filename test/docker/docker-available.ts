/** Docker tests need a daemon; .ci/run starts one (npm run images). Skipping says why. */
import { spawnSync } from "node:child_process";

export function dockerAvailable(): string | false {
  const r = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 10_000 });
  return r.status === 0 ? false : `no Docker daemon answers (${(r.stderr || r.error?.message || "").trim().split("\n")[0]}); run npm run images`;
}
