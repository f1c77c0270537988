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

/** GitHub's repository permissions as its collaborator endpoints name them, and the role each becomes. */
export const PERMISSION_ROLES: Readonly<Record<string, Role>> = { pull: "viewer", triage: "viewer", push: "developer", maintain: "maintainer", admin: "admin" };

/** The role as GitHub's "get repository permissions for a user" answers it: `permission` and `role_name`. */
export function githubPermissionOf(role: Role | null): { permission: "admin" | "write" | "read" | "none"; role_name: string } {
  switch (role) {
    case null:
      return { permission: "none", role_name: "none" };
    case "viewer":
      return { permission: "read", role_name: "read" };
    case "developer":
      return { permission: "write", role_name: "write" };
    case "maintainer":
      return { permission: "write", role_name: "maintain" };
    case "admin":
      return { permission: "admin", role_name: "admin" };
  }
}
