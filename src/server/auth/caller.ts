/**
 * Who is calling: the user behind a token, and what it may do on each repository. Every role check goes
 * through `require` or `requireSiteAdmin`, so a refusal always names what was missing.
 */
import { ForbiddenError } from "../../common/errors.ts";
import type { ServerStore, TokenRecord, TokenScope } from "../../store/server-store.ts";
import { atLeast, lowerRole, scopeCap, type Role } from "./roles.ts";

export interface Caller {
  /** The user's name (a run's token: the token's name). */
  name: string;
  userId: number | null;
  tokenId: number;
  scope: TokenScope;
  /** A run's GITHUB_TOKEN: the one repository it may touch. */
  boundRepo: string | null;
  /** A site administrator acting with an admin-scope token: may manage users, teams and repositories. */
  siteAdmin: boolean;
  /** The caller's role on OWNER/NAME after the token's scope narrows it; null: none. */
  roleOn(repo: string): Promise<Role | null>;
  /** Throws ForbiddenError naming the missing role. */
  require(repo: string, role: Role): Promise<void>;
  /**
   * Throws ForbiddenError unless the caller is a site administrator whose token's scope allows `role`
   * (global secrets need what a repository's need: maintainer; users and teams need admin).
   */
  requireSiteAdmin(role?: Role): Promise<void>;
}

export async function callerOf(store: ServerStore, token: TokenRecord): Promise<Caller> {
  const user = token.userId === null ? null : await store.users.getUser(token.userId);
  // A token made before users existed (no user, not a run's) acts as the admin it was.
  const siteAdminUser = token.repo === null && (user?.siteAdmin ?? (token.userId === null && token.scope === "admin"));
  const cap = scopeCap(token.scope);
  const roleOn = async (repo: string): Promise<Role | null> => {
    if (token.repo !== null) return token.repo.toLowerCase() === repo.toLowerCase() ? lowerRole(cap, "developer") : null;
    if (siteAdminUser) return cap;
    if (!user) return null;
    const role = await store.users.roleOf(user.id, repo);
    return role === null ? null : lowerRole(role, cap);
  };
  return {
    name: user?.name ?? token.name,
    userId: user?.id ?? null,
    tokenId: token.id,
    scope: token.scope,
    boundRepo: token.repo,
    siteAdmin: siteAdminUser && token.scope === "admin",
    roleOn,
    async require(repo, role) {
      const have = await roleOn(repo);
      if (atLeast(have, role)) return;
      throw new ForbiddenError(`Must have ${role} role on ${repo} (${have ? `you have ${have}` : "you have no role there"})`);
    },
    async requireSiteAdmin(role = "admin") {
      if (!siteAdminUser) throw new ForbiddenError("Must be a site administrator");
      if (!atLeast(cap, role)) throw new ForbiddenError(`Must be a site administrator using a token whose scope allows ${role} (this token has ${token.scope} scope, which allows ${cap})`);
    },
  };
}
