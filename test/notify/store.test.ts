/** The notification store's promises on SQLite: one delivery per event and channel, "fixed", single-use links. */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openSqliteStore } from "../../src/store/sqlite/open.ts";
import type { ServerStore } from "../../src/store/server-store.ts";

void describe("notification store (sqlite)", () => {
  let dir: string;
  let store: ServerStore & { close(): Promise<void> };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-nstore-"));
    store = await openSqliteStore(join(dir, "slipway.db"));
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

  void it("keeps one delivery per event, key and channel, and survives a reopen", async () => {
    const d = { guid: "g1", repo: "acme/app", channel: "Hook", source: "api" as const, target: null, kind: "webhook" as const, event: "run.failed", eventKey: "run:1:1", body: "{}" };
    const first = await store.notifications.enqueueDelivery(d, t(0));
    const again = await store.notifications.enqueueDelivery({ ...d, guid: "g2", channel: "hook", repo: "ACME/app" }, t(1));
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.delivery.guid, "g1");
    assert.equal((await store.notifications.enqueueDelivery({ ...d, guid: "g3", event: "run.fixed" }, t(1))).created, true);
    assert.deepEqual((await store.notifications.dueDeliveries(t(5), 10, 5)).map((x) => x.guid), ["g1", "g3"]);
    assert.equal(await store.notifications.nextDueAfter(t(5)), null);
    const done = await store.notifications.recordAttempt({ deliveryId: first.delivery.id, at: t(6), statusCode: 200, error: null, durationMs: 12 }, { status: "delivered", nextAt: t(6), error: null });
    assert.equal(done.status, "delivered");
    // A late outcome for a delivered delivery changes nothing.
    const late = await store.notifications.recordAttempt({ deliveryId: first.delivery.id, at: t(7), statusCode: 500, error: "HTTP 500", durationMs: 1 }, { status: "pending", nextAt: t(9), error: "HTTP 500" });
    assert.equal(late.status, "delivered");
    assert.equal((await store.notifications.listAttempts(first.delivery.id)).length, 1);
    const reopened = await openSqliteStore(join(dir, "slipway.db"));
    assert.deepEqual((await reopened.notifications.dueDeliveries(t(8), 10, 5)).map((x) => x.guid), ["g3"]);
    await reopened.close();
  });

  void it("swaps a workflow's last result per ref, which is what 'fixed' compares with", async () => {
    const o = { repo: "acme/app", workflowFile: ".github/workflows/ci.yml", ref: "refs/heads/main", runAttempt: 1 };
    assert.equal(await store.notifications.swapOutcome({ ...o, result: "failure", runId: 1 }, t(0)), null);
    assert.equal(await store.notifications.swapOutcome({ ...o, result: "success", runId: 2 }, t(1)), "failure");
    assert.equal(await store.notifications.swapOutcome({ ...o, result: "success", runId: 3 }, t(2)), "success");
    assert.equal(await store.notifications.swapOutcome({ ...o, ref: "refs/heads/dev", result: "success", runId: 4 }, t(3)), null);
  });

  void it("claims an approval link once, gives it back on request, and retires a review's links", async () => {
    const link = { repo: "acme/app", reviewId: 9, runId: 1, runAttempt: 1, environment: "production", expiresAt: t(100) };
    await store.notifications.addApprovalLink({ ...link, hash: "h-approve", decision: "approve" }, t(0));
    await store.notifications.addApprovalLink({ ...link, hash: "h-reject", decision: "reject" }, t(0));
    assert.equal(await store.notifications.claimApprovalLink("h-approve", "carol", t(1)), true);
    assert.equal(await store.notifications.claimApprovalLink("h-approve", "dave", t(2)), false);
    await store.notifications.releaseApprovalLink("h-approve");
    assert.equal(await store.notifications.claimApprovalLink("h-approve", "dave", t(3)), true);
    await store.notifications.retireApprovalLinks(9, t(4));
    assert.equal(await store.notifications.claimApprovalLink("h-reject", "carol", t(5)), false);
    assert.equal((await store.notifications.getApprovalLink("h-approve"))?.usedBy, "dave");
    await store.notifications.addApprovalLink({ ...link, reviewId: 10, hash: "h-old", decision: "approve" }, t(0));
    assert.equal(await store.notifications.claimApprovalLink("h-old", "carol", t(101)), false, "expired");
  });

  void it("deleting a channel removes its rules and gives up on its pending deliveries", async () => {
    await store.notifications.createChannel({ repo: "acme/x", name: "ops", kind: "slack", url: "sealed", secret: null });
    await store.notifications.createChannel({ repo: "acme/x", name: "dev", kind: "slack", url: "sealed", secret: null });
    await store.notifications.setRules("acme/x", [{ channel: "ops", events: ["run.failed"], branches: null, workflows: null }, { channel: "dev", events: ["run.fixed"], branches: ["main"], workflows: null }]);
    await store.notifications.enqueueDelivery({ guid: "x1", repo: "acme/x", channel: "ops", source: "api", target: null, kind: "slack", event: "run.failed", eventKey: "run:5:1", body: "{}" }, t(0));
    assert.deepEqual(await store.notifications.deleteChannel("acme/x", "OPS"), { rulesRemoved: 1 });
    assert.deepEqual(await store.notifications.getRules("acme/x"), [{ channel: "dev", events: ["run.fixed"], branches: ["main"], workflows: null }]);
    assert.equal((await store.notifications.getDelivery("x1"))?.status, "failed");
    assert.equal(await store.notifications.deleteChannel("acme/x", "ops"), null);
    await assert.rejects(store.notifications.createChannel({ repo: "acme/x", name: "DEV", kind: "webhook", url: "s", secret: null }), /already exists/);
  });
});
