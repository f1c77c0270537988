/** The README's first quick-start command (`npm start` = `slipway server --example`) on a fresh data directory. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { settledRuns, startTestServer, waitFor } from "../helpers/server.ts";

void it("starts a server with the example repository registered, its first run done, and prints the dashboard's address", async () => {
  // The admin token comes from SLIPWAY_ADMIN_TOKEN here; printing a generated one is tested in cli-client.
  const s = await startTestServer({ args: ["--example"] });
  try {
    await waitFor("the dashboard's address", async () => s.output().includes(`dashboard: ${s.url}/`));
    const [run] = await settledRuns(s, "example/hello", 1);
    assert.equal(run.conclusion, "success");
    assert.equal(run.event, "push");
    const jobs = (await s.json(`/api/v3/repos/example/hello/actions/runs/${run.id}/jobs`)).jobs;
    assert.deepEqual(jobs.map((j: any) => j.name).sort(), ["lint", "report", "test (1)", "test (2)"]);
    const page = await fetch(`${s.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  } finally {
    await s.stop();
  }
});
