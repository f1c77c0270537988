/** Every route the server answers, in one place. */
import type { App } from "./app.ts";
import type { Router } from "./http/router.ts";
import { artifactRoutes } from "./api/artifacts.ts";
import { dispatchRoutes } from "./api/dispatch.ts";
import { logRoutes } from "./api/logs.ts";
import { repoRoutes } from "./api/repos.ts";
import { runRoutes } from "./api/runs.ts";
import { secretRoutes } from "./api/secrets.ts";
import { tokenRoutes } from "./api/tokens.ts";
import { userRoutes } from "./api/users.ts";
import { teamRoutes } from "./api/teams.ts";
import { roleRoutes } from "./api/roles.ts";
import { auditRoutes } from "./api/audit.ts";
import { environmentRoutes } from "./api/environments.ts";
import { deploymentRoutes } from "./api/deployments.ts";
import { reviewRoutes } from "./api/reviews.ts";
import { protectionRoutes } from "./api/protection.ts";
import { notificationRoutes } from "./api/notifications.ts";
import { badgeRoutes } from "./badge.ts";
import { hookRoutes } from "./hooks.ts";
import type { SealedBoxKey } from "./secrets/sealed-box-key.ts";
import { staticRoutes } from "./static.ts";

export function routes(app: App, r: Router, sealed: SealedBoxKey): void {
  r.add("GET", "/metrics", "public", async () => ({ status: 200, type: app.metrics.contentType, text: await app.metrics.text() }));
  r.add("GET", "/healthz", "public", async () => ({ status: 200, json: { ok: true } }));
  repoRoutes(app, r);
  runRoutes(app, r);
  logRoutes(app, r);
  artifactRoutes(app, r);
  dispatchRoutes(app, r);
  secretRoutes(app, r, sealed);
  tokenRoutes(app, r);
  userRoutes(app, r);
  teamRoutes(app, r);
  roleRoutes(app, r);
  auditRoutes(app, r);
  environmentRoutes(app, r);
  deploymentRoutes(app, r);
  reviewRoutes(app, r);
  protectionRoutes(app, r);
  notificationRoutes(app, r);
  hookRoutes(app, r);
  badgeRoutes(app, r);
  staticRoutes(r);
}
