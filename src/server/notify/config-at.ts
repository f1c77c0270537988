/**
 * The notification rules and channels a commit's `.slipway.yml` declares, read from the repository's
 * mirror (the commit is there: a run or deployment used it). A file with mistakes still yields its
 * valid rules; the mistakes go to the server's log (the run itself already failed on them).
 */
import { formatDiagnostic } from "../../common/diagnostic.ts";
import { parseRepoConfig, REPO_CONFIG_FILE } from "../../workflow/repo-config.ts";
import type { NotificationsConfig } from "../../workflow/repo-config-notifications.ts";
import type { App } from "../app.ts";
import { gitAsync } from "../repos/git.ts";

const KEEP = 32;
const cache = new Map<string, NotificationsConfig>();

export async function notificationsAt(app: App, repo: string, sha: string): Promise<NotificationsConfig> {
  const key = `${repo.toLowerCase()}@${sha}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = await fileAt(app.mirrors.mirrorDir(repo), sha);
  let config: NotificationsConfig = {};
  if (text !== null) {
    const parsed = parseRepoConfig(text);
    const errors = parsed.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) app.log(`notifications: ${repo}@${sha.slice(0, 7)}: ${errors.map(formatDiagnostic).join("; ")}`);
    config = parsed.config.notifications;
  }
  cache.set(key, config);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return config;
}

async function fileAt(mirror: string, sha: string): Promise<string | null> {
  if (!/^[0-9a-f]{40}$/i.test(sha)) return null;
  const listed = await gitAsync(["ls-tree", "--name-only", sha, "--", REPO_CONFIG_FILE], mirror);
  if (listed.trim() === "") return null;
  return gitAsync(["cat-file", "blob", `${sha}:${REPO_CONFIG_FILE}`], mirror);
}
