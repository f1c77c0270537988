/**
 * What every EnvironmentStore must do: environments created once and updated in place, reviews decided
 * once, deployments whose status history is only appended to, and older successes made inactive.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServerStore } from "../../src/store/server-store.ts";
import type { NewDeployment } from "../../src/store/environment-store.ts";

const RULES = { waitTimer: 0, preventSelfReview: false, reviewers: [], branchPolicy: null, adminBypass: true };

const deployment = (over: Partial<NewDeployment> = {}): NewDeployment => ({
  repo: "acme/app", environment: "production", sha: "a".repeat(40), ref: "refs/heads/main", task: "deploy", workflow: ".github/workflows/d.yml",
  runId: 1, runAttempt: 1, job: "deploy", creator: "alice", url: null, description: null, ...over,
});

export function runEnvironmentStoreContract(name: string, make: () => Promise<{ store: ServerStore; cleanup: () => Promise<void> }>): void {
  const withStore = (fn: (s: ServerStore) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h.store);
    } finally {
      await h.cleanup();
    }
  };

  void describe(`EnvironmentStore contract: ${name}`, () => {
    void it("creates an environment once, finds it in any case, and replaces its rules in place", withStore(async (s) => {
      const e = s.environments;
      const made = await e.ensureEnvironment("acme/app", "Production");
      assert.deepEqual([made.waitTimer, made.reviewers, made.branchPolicy, made.adminBypass], [0, [], null, true]);
      assert.equal((await e.ensureEnvironment("acme/app", "production")).id, made.id);
      const { env, created } = await e.putEnvironment("acme/app", "production", { ...RULES, waitTimer: 5, reviewers: [{ type: "Team", name: "ops" }], branchPolicy: { protectedBranches: false, patterns: [{ name: "main", type: "branch" }] } });
      assert.equal(created, false);
      assert.equal(env.id, made.id);
      assert.deepEqual((await e.getEnvironment("acme/app", "PRODUCTION"))?.reviewers, [{ type: "Team", name: "ops" }]);
      assert.equal((await e.putEnvironment("acme/app", "staging", RULES)).created, true);
      assert.deepEqual((await e.listEnvironments("acme/app")).map((x) => x.name), ["Production", "staging"]);
      assert.equal(await e.deleteEnvironment("acme/app", "staging"), true);
      assert.equal(await e.getEnvironment("acme/app", "staging"), null);
    }));

    void it("opens one waiting review per run attempt and environment, the first decision stands, and a later job waits anew", withStore(async (s) => {
      const e = s.environments;
      const a = await e.openReview("acme/app", 7, 1, "production");
      const again = await e.openReview("acme/app", 7, 1, "production");
      assert.equal(again.id, a.id);
      assert.equal(again.requestedAt, a.requestedAt, "reopening keeps when it was requested: the wait timer counts from there");
      assert.notEqual((await e.openReview("acme/app", 7, 2, "production")).id, a.id, "another attempt is another review");
      assert.equal(await e.decideReview(a.id, { state: "approved", reviewer: "carol", comment: "ok", bypass: false }), true);
      assert.equal(await e.decideReview(a.id, { state: "rejected", reviewer: "dave", comment: null, bypass: false }), false);
      const r = await e.getReview(7, 1, "production");
      assert.deepEqual([r?.state, r?.reviewer, r?.comment], ["approved", "carol", "ok"]);
      assert.deepEqual((await e.listReviews({ runId: 7, state: "waiting" })).map((x) => x.runAttempt), [2]);
      const later = await e.openReview("acme/app", 7, 1, "production");
      assert.notEqual(later.id, a.id, "a decided review releases only the jobs that waited for it");
      assert.equal((await e.getReview(7, 1, "production"))?.id, later.id);
      assert.equal((await e.getReviewById(a.id))?.state, "approved");
    }));

    void it("appends deployment statuses, sets the url once, and a newer success makes older ones inactive", withStore(async (s) => {
      const e = s.environments;
      const first = await e.createDeployment(deployment(), "alice");
      assert.equal(first.state, "queued");
      for (const state of ["in_progress", "success"] as const) await e.addDeploymentStatus({ deploymentId: first.id, state, description: null, environmentUrl: null, logUrl: null, creator: "alice" });
      await e.setDeploymentUrl(first.id, "https://one");
      await e.setDeploymentUrl(first.id, "https://two");
      assert.equal((await e.getDeployment(first.id))?.url, "https://one");
      const other = await e.createDeployment(deployment({ environment: "staging", runId: 2 }), "bob");
      await e.addDeploymentStatus({ deploymentId: other.id, state: "success", description: null, environmentUrl: null, logUrl: null, creator: "bob" });
      assert.equal((await e.getDeployment(first.id))?.state, "success", "another environment's success changes nothing");
      const second = await e.createDeployment(deployment({ runId: 3, sha: "b".repeat(40) }), "alice");
      await e.addDeploymentStatus({ deploymentId: second.id, state: "success", description: null, environmentUrl: null, logUrl: null, creator: "alice" });
      assert.deepEqual((await e.listDeploymentStatuses(first.id)).map((x) => x.state), ["queued", "in_progress", "success", "inactive"]);
      assert.deepEqual((await e.listDeployments("acme/app", { environment: "production" })).map((d) => [d.id, d.state]), [[second.id, "success"], [first.id, "inactive"]]);
      assert.deepEqual((await e.listDeployments("acme/app", { runId: 2 })).map((d) => d.environment), ["staging"]);
    }));
  });
}
