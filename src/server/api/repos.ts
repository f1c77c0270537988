/** Registering repositories, and `notify` for plain Git servers (a post-receive hook). */
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../common/errors.ts";
import type { RepoRecord } from "../../store/server-store.ts";
import type { App } from "../app.ts";
import { field, readJsonObject } from "../http/body.ts";
import type { Router } from "../http/router.ts";
import { repoOf } from "./lookup.ts";
import { grantRole } from "./roles.ts";
import { audit } from "../audit.ts";
import type { Caller } from "../auth/caller.ts";
import { rolesByRepo } from "../auth/visible.ts";
import { redactUrl } from "../repos/git.ts";
import { repositoryShape } from "./shapes.ts";

export function repoRoutes(app: App, r: Router): void {
  r.add("GET", "/api/slipway/repos", "user", async ({ caller }) => {
    const roles = await rolesByRepo(app.store, caller as Caller);
    const repos = (await app.store.listRepos()).filter((x) => roles[x.fullName] !== undefined);
    return { status: 200, json: { total_count: repos.length, repositories: repos.map((x) => repositoryShape(x, app.baseUrl())) } };
  });
  r.add("POST", "/api/slipway/repos", "site-admin", async ({ req, caller }) => {
    const me = caller as Caller;
    const body = await readJsonObject(req);
    const repo = await registerRepo(app, field(body, "full_name", true), field(body, "url", true), field(body, "webhook_secret"));
    await audit(app, me, "repo.create", repo.fullName, repo.fullName, { url: redactUrl(repo.url) });
    // The creator keeps admin on it should it stop being a site administrator.
    const creator = me.userId === null ? null : await app.store.users.getUser(me.userId);
    if (creator) await grantRole(app, me, repo, { type: "user", id: creator.id, name: creator.name }, "admin");
    return { status: 201, json: repositoryShape(repo, app.baseUrl()) };
  });
  r.add("GET", "/api/v3/repos/:owner/:repo", "viewer", async ({ params }) => ({ status: 200, json: repositoryShape(await repoOf(app, params), app.baseUrl()) }));
  r.add("POST", "/api/slipway/repos/:owner/:repo/notify", "developer", async ({ params, req, caller }) => {
    const repo = await repoOf(app, params);
    const body = await readJsonObject(req);
    const ref = field(body, "ref", true);
    const before = field(body, "before", true);
    const after = field(body, "after", true);
    for (const [k, v] of [["before", before], ["after", after]]) if (!/^[0-9a-f]{40}$/.test(v as string)) throw new InputError(`${k} must be a 40-digit commit sha, got '${v}'`);
    if (!ref.startsWith("refs/")) throw new InputError(`ref must be a full ref such as refs/heads/main, got '${ref}'`);
    const deleted = /^0+$/.test(after);
    if (!deleted) await app.mirrors.fetchCommit(repo.fullName, repo.url, after);
    const message = deleted ? "" : await app.mirrors.commitMessage(repo.fullName, after);
    const actor = caller?.name ?? "git";
    const headCommit = deleted ? null : { id: after, message: message.trim(), timestamp: new Date().toISOString(), author: { name: actor, email: "" }, committer: { name: actor, email: "" } };
    const { trigger, duplicate } = await app.queue.enqueue({
      repo: repo.fullName,
      event: "push",
      deliveryKey: `notify:${repo.fullName}:${ref}:${before}:${after}`,
      data: {
        payload: { ref, before, after, created: /^0+$/.test(before), deleted, forced: false, base_ref: null, head_commit: headCommit, commits: headCommit ? [headCommit] : [], pusher: { name: actor }, repository: repositoryShape(repo, app.baseUrl()), sender: { login: actor } },
        sha: deleted ? undefined : after,
        ref,
        before,
        actor,
      },
    });
    return { status: 202, json: { message: duplicate ? "already notified: no new run" : "queued", trigger: trigger.id } };
  });
}

export async function registerRepo(app: App, fullName: string, url: string, webhookSecret: string | undefined): Promise<RepoRecord> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(fullName)) throw new InputError(`full_name '${fullName}' must be OWNER/NAME`);
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  if (local && (!path.isAbsolute(url) || !existsSync(url))) throw new InputError(`url '${url}' is neither an absolute path to a Git repository on this machine nor an https URL`);
  if (!local && !/^(https?|file|ssh|git):\/\//i.test(url)) throw new InputError(`url '${url}': only https://, http://, ssh://, git://, file:// or a local path`);
  if (await app.store.getRepo(fullName)) throw new InputError(`repository ${fullName} is already registered`);
  let defaultBranch: string;
  try {
    defaultBranch = await app.mirrors.ensure(fullName, url);
  } catch (e) {
    throw new InputError(`cannot clone ${redactUrl(url)}: ${(e as Error).message.split("\n").slice(-1)[0]}`);
  }
  return app.store.addRepo({ fullName, url, defaultBranch, webhookSecret: webhookSecret ? app.box.seal(webhookSecret, `webhook:${fullName}`) : null });
}
