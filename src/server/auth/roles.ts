/**
 * Per-repository roles, lowest first. Viewers read; developers dispatch, re-run and cancel; maintainers
 * manage secrets, variables, environments, rules and notifications; admins everything, roles included.
 * `site-admin` is not a repository role: it guards what spans repositories (users, teams, repositories).
 */
import type { TokenScope } from "../../store/server-store.ts";
import type { Role } from "../../store/users-store.ts";

export type { Role };

export const ROLES: readonly Role[] = ["viewer", "developer", "maintainer", "admin"];

export function roleRank(r: Role): number {
  return ROLES.indexOf(r);
}

export function atLeast(have: Role | null, need: Role): boolean {
  return have !== null && roleRank(have) >= roleRank(need);
}

/** The highest role a token's scope lets it use, whatever its user may do. */
export function scopeCap(scope: TokenScope): Role {
  return scope === "read" ? "viewer" : scope === "write" ? "maintainer" : "admin";
}

export function lowerRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}
