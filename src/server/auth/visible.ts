/** What a caller may see across repositories: lists that span them show only these. */
import type { RepoRecord, ServerStore } from "../../store/server-store.ts";
import type { Caller } from "./caller.ts";
import type { Role } from "./roles.ts";

/** The caller's role on each registered repository where it has one, by full name. */
export async function rolesByRepo(store: ServerStore, caller: Caller, repos?: RepoRecord[]): Promise<Record<string, Role>> {
  const out: Record<string, Role> = {};
  for (const repo of repos ?? (await store.listRepos())) {
    const role = await caller.roleOn(repo.fullName);
    if (role !== null) out[repo.fullName] = role;
  }
  return out;
}

/** The repositories the caller may view; null when that is every one (no filter needed). */
export async function viewableRepos(store: ServerStore, caller: Caller): Promise<string[] | null> {
  const all = await store.listRepos();
  const names = Object.keys(await rolesByRepo(store, caller, all));
  return names.length === all.length ? null : names;
}
