/**
 * Where a delivery goes, looked up when it is sent (not when it is queued), so fixing a channel's URL or
 * setting a missing repository secret also fixes the deliveries still waiting for it.
 */
import type { DeliveryRecord } from "../../store/notification-store.ts";
import type { App } from "../app.ts";
import { GLOBAL_SCOPE, secretAad } from "../secrets/scoped.ts";
import { canonicalSecretName } from "../secrets/secret-name.ts";
import { openChannel } from "./channel-seal.ts";

export interface Target {
  url: string;
  /** Signs the body when set (generic webhooks). */
  secret: string | null;
}

/** Why there is no target; `final`: trying again cannot help. */
export interface NoTarget {
  error: string;
  final: boolean;
}

export async function resolveTarget(app: App, d: DeliveryRecord): Promise<Target | NoTarget> {
  if (d.source === "api") {
    const c = await app.store.notifications.getChannel(d.repo, d.channel);
    if (!c) return { error: "the channel was deleted", final: true };
    return { url: openChannel(app.box, c.repo, c.name, "url", c.url), secret: c.secret === null || c.kind !== "webhook" ? null : openChannel(app.box, c.repo, c.name, "secret", c.secret) };
  }
  const urlSecret = typeof d.target?.urlSecret === "string" ? d.target.urlSecret : "";
  const url = await repoSecret(app, d.repo, urlSecret);
  if (url === null) return { error: `the repository secret ${urlSecret} (url_secret of channel ${d.channel} in .slipway.yml) is not set`, final: false };
  const signing = typeof d.target?.signingSecret === "string" ? d.target.signingSecret : null;
  if (signing === null) return { url: url.trim(), secret: null };
  const secret = await repoSecret(app, d.repo, signing);
  if (secret === null) return { error: `the repository secret ${signing} (signing_secret of channel ${d.channel} in .slipway.yml) is not set`, final: false };
  return { url: url.trim(), secret };
}

/** The repository's secret, or the global one of that name, as a job would see it. */
async function repoSecret(app: App, repo: string, rawName: string): Promise<string | null> {
  const name = canonicalSecretName(rawName);
  for (const scope of [repo, GLOBAL_SCOPE]) {
    const s = (await app.store.listSecrets(scope)).find((x) => x.name === name);
    if (s) return app.box.open(s.value, secretAad(scope, name));
  }
  return null;
}
