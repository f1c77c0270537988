/**
 * Deployment records in GitHub's shape (read-only: Slipway writes them from its own runs, and they are
 * never rewritten), and the per-environment overview the deployments page shows.
 */
import { NotFoundError } from "../../common/errors.ts";
import type { App } from "../app.ts";
import type { Router } from "../http/router.ts";
import { pageOf } from "../http/pages.ts";
import { deploymentShape, deploymentStatusShape } from "../deploy/shapes.ts";
import { repoOf } from "./lookup.ts";

const DEPLOYMENTS = "/api/v3/repos/:owner/:repo/deployments";

export function deploymentRoutes(app: App, r: Router): void {
  r.add("GET", DEPLOYMENTS, "viewer", async ({ params, url }) => {
    const repo = await repoOf(app, params);
    const page = pageOf(url);
    const q = url.searchParams;
    const list = await app.store.environments.listDeployments(repo.fullName, {
      environment: q.get("environment") ?? undefined,
      sha: q.get("sha") ?? undefined,
      ref: refParam(q.get("ref")),
      limit: page.perPage,
      offset: page.offset,
    });
    return { status: 200, json: list.map((d) => deploymentShape(d, app.baseUrl())) };
  });
  const deploymentOf = async (params: Record<string, string>) => {
    const repo = await repoOf(app, params);
    const d = await app.store.environments.getDeployment(Number(params.id));
    if (!d || d.repo.toLowerCase() !== repo.fullName.toLowerCase()) throw new NotFoundError("Not Found");
    return d;
  };
  r.add("GET", `${DEPLOYMENTS}/:id`, "viewer", async ({ params }) => ({ status: 200, json: deploymentShape(await deploymentOf(params), app.baseUrl()) }));
  r.add("GET", `${DEPLOYMENTS}/:id/statuses`, "viewer", async ({ params }) => {
    const d = await deploymentOf(params);
    const statuses = (await app.store.environments.listDeploymentStatuses(d.id)).reverse();
    return { status: 200, json: statuses.map((s) => deploymentStatusShape(s, d, app.baseUrl())) };
  });
  r.add("GET", "/api/slipway/repos/:owner/:repo/environments/overview", "viewer", async ({ params }) => {
    const repo = await repoOf(app, params);
    const out = [];
    for (const env of await app.store.environments.listEnvironments(repo.fullName)) {
      const history = await app.store.environments.listDeployments(repo.fullName, { environment: env.name, limit: 50 });
      const current = history.find((d) => d.state === "success") ?? null;
      out.push({ environment: env.name, current: current && deploymentShape(current, app.baseUrl()), history: history.map((d) => deploymentShape(d, app.baseUrl())) });
    }
    return { status: 200, json: out };
  });
}

/** GitHub's `ref` filter takes a branch, tag or sha; Slipway stores full refs. */
function refParam(ref: string | null): string | undefined {
  if (!ref) return undefined;
  return ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
}
