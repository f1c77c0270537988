/**
 * What every ServerStore must do (repositories, tokens, secrets, variables, the trigger queue, schedule
 * ticks) plus the run features the server relies on (attempts, filters, pagination).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConflictError } from "../../src/common/errors.ts";
import type { ServerStore } from "../../src/store/server-store.ts";
import type { Owner, Store } from "../../src/store/store.ts";
import { newJob, newRun } from "./records.ts";

const ME: Owner = { pid: 4242, host: "host-a" };

export function runServerStoreContract(name: string, make: () => Promise<{ store: Store & ServerStore; cleanup: () => Promise<void> }>): void {
  const withStore = (fn: (s: Store & ServerStore) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h.store);
    } finally {
      await h.cleanup();
    }
  };

  void describe(`ServerStore contract: ${name}`, () => {
    void it("registers repositories once, found by name in any case", withStore(async (s) => {
      const r = await s.addRepo({ fullName: "Acme/App", url: "/src/app", defaultBranch: "main", webhookSecret: "sealed" });
      assert.equal((await s.getRepo("acme/app"))?.id, r.id);
      await assert.rejects(s.addRepo({ fullName: "Acme/App", url: "/x", defaultBranch: "main", webhookSecret: null }), ConflictError);
      assert.deepEqual((await s.listRepos()).map((x) => x.fullName), ["Acme/App"]);
    }));

    void it("finds tokens by hash until revoked", withStore(async (s) => {
      assert.equal(await s.countTokens(), 0);
      const t = await s.addToken({ name: "admin", hash: "h1", scope: "admin" });
      assert.equal((await s.findToken("h1"))?.scope, "admin");
      assert.equal(await s.findToken("h2"), null);
      await s.revokeToken(t.id);
      assert.equal(await s.findToken("h1"), null);
      assert.equal(await s.countTokens(), 1);
    }));

    void it("keeps secrets and variables per scope, says whether a set created or replaced", withStore(async (s) => {
      assert.equal(await s.setSecret("acme/app", "A", "v1"), true);
      assert.equal(await s.setSecret("acme/app", "A", "v2"), false);
      assert.equal(await s.setSecret("", "A", "global"), true);
      assert.deepEqual((await s.listSecrets("acme/app")).map((x) => [x.name, x.value]), [["A", "v2"]]);
      assert.deepEqual((await s.listSecrets("")).map((x) => x.value), ["global"]);
      assert.equal(await s.deleteSecret("acme/app", "A"), true);
      assert.equal(await s.deleteSecret("acme/app", "A"), false);
      assert.equal(await s.setVariable("acme/app", "V", "1"), true);
      assert.deepEqual((await s.listVariables("acme/app")).map((x) => x.value), ["1"]);
      assert.deepEqual(await s.listVariables("other/repo"), []);
    }));

    void it("queues triggers once per delivery key and keeps them pending until finished", withStore(async (s) => {
      const a = await s.enqueueTrigger({ repo: "acme/app", event: "push", deliveryKey: "github:1", data: { ref: "refs/heads/main" } });
      const again = await s.enqueueTrigger({ repo: "acme/app", event: "push", deliveryKey: "github:1", data: { other: true } });
      assert.equal(again.duplicate, true);
      assert.equal(again.trigger.id, a.trigger.id);
      const b = await s.enqueueTrigger({ repo: "acme/app", event: "workflow_dispatch", deliveryKey: null, data: {} });
      const c = await s.enqueueTrigger({ repo: "acme/app", event: "workflow_dispatch", deliveryKey: null, data: {} });
      assert.equal(c.duplicate, false);
      assert.deepEqual((await s.pendingTriggers()).map((t) => t.id), [a.trigger.id, b.trigger.id, c.trigger.id]);
      await s.finishTrigger(b.trigger.id, "1 run(s)");
      assert.deepEqual((await s.pendingTriggers()).map((t) => t.id), [a.trigger.id, c.trigger.id]);
      assert.deepEqual((await s.getTrigger(a.trigger.id))?.data, { ref: "refs/heads/main" });
      assert.equal((await s.getTrigger(b.trigger.id))?.note, "1 run(s)");
    }));

    void it("claims a schedule tick once, and never one older than the last", withStore(async (s) => {
      assert.equal(await s.claimTick("k", "2026-01-01T00:05:00.000Z"), true);
      assert.equal(await s.claimTick("k", "2026-01-01T00:05:00.000Z"), false);
      assert.equal(await s.claimTick("k", "2026-01-01T00:00:00.000Z"), false);
      assert.equal(await s.claimTick("k", "2026-01-01T00:10:00.000Z"), true);
      assert.equal(await s.lastTick("k"), "2026-01-01T00:10:00.000Z");
      assert.equal(await s.lastTick("other"), null);
    }));

    void it("keeps settings", withStore(async (s) => {
      assert.equal(await s.getSetting("x"), null);
      await s.setSetting("x", "1");
      await s.setSetting("x", "2");
      assert.equal(await s.getSetting("x"), "2");
    }));

    void it("filters, counts and pages runs; jobs carry their attempt", withStore(async (s) => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await s.createRun(newRun({ repo: "acme/app", ref: i % 2 ? "refs/heads/dev" : "refs/heads/main", triggerId: 7 + (i % 2) }), ME);
        ids.push(r.id);
      }
      assert.equal(await s.countRuns({ repo: "acme/app" }), 5);
      assert.equal(await s.countRuns({ ref: "refs/heads/dev" }), 2);
      assert.deepEqual((await s.listRuns({ triggerId: 8 })).map((r) => r.id), [ids[3], ids[1]]);
      assert.deepEqual((await s.listRuns({ limit: 2, offset: 2 })).map((r) => r.id), [ids[2], ids[1]]);
      const first = ids[0] as number;
      await s.updateRun(first, { status: "completed", result: "failure" });
      assert.deepEqual((await s.listRuns({ result: "failure" })).map((r) => r.id), [first]);
      const again = await s.updateRun(first, { status: "queued", result: null, runAttempt: 2 });
      assert.equal(again.runAttempt, 2);
      assert.equal(again.triggerId, 7);
      const j1 = await s.createJob(newJob(first, "build"));
      const j2 = await s.createJob(newJob(first, "build@2", { attempt: 2 }));
      assert.deepEqual((await s.listJobs(first)).map((j) => [j.id, j.attempt]), [[j1.id, 1], [j2.id, 2]]);
    }));
  });
}
