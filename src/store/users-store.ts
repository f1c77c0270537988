/**
 * People and what they may do: users, teams, and per-repository roles given to a user or a team.
 * A token belongs to a user (`TokenRecord.userId`); its scope can only narrow the user's roles.
 */
import type { TokenRecord } from "./server-store.ts";

/** Lowest first: see `server/auth/roles.ts` for what each may do. */
export type Role = "viewer" | "developer" | "maintainer" | "admin";

export interface UserRecord {
  id: number;
  name: string;
  siteAdmin: boolean;
  createdAt: string;
}

export interface TeamRecord {
  id: number;
  name: string;
  createdAt: string;
}

/** Who a role is given to. */
export interface Principal {
  type: "user" | "team";
  id: number;
}

/** A role given on a repository, with the name of the user or team it is given to. */
export interface RoleGrant extends Principal {
  repo: string;
  name: string;
  role: Role;
}

export interface UserStore {
  /** Rejects with ConflictError when the name is taken (names ignore case). */
  addUser(name: string, siteAdmin: boolean): Promise<UserRecord>;
  findUser(name: string): Promise<UserRecord | null>;
  getUser(id: number): Promise<UserRecord | null>;
  /** By name. */
  listUsers(): Promise<UserRecord[]>;

  /** Rejects with ConflictError when the name is taken (names ignore case). */
  addTeam(name: string): Promise<TeamRecord>;
  findTeam(name: string): Promise<TeamRecord | null>;
  /** By name. */
  listTeams(): Promise<TeamRecord[]>;
  /** Returns whether the user was not a member before. */
  addMember(teamId: number, userId: number): Promise<boolean>;
  /** Returns whether the user was a member. */
  removeMember(teamId: number, userId: number): Promise<boolean>;
  /** By name. */
  members(teamId: number): Promise<UserRecord[]>;
  /** The teams a user is in, by name. */
  teamsOf(userId: number): Promise<TeamRecord[]>;

  /** Gives (or changes) a principal's role on OWNER/NAME; returns the role it had there, or null. */
  setRole(repo: string, who: Principal, role: Role): Promise<Role | null>;
  /** Returns whether the principal had a role there. */
  removeRole(repo: string, who: Principal): Promise<boolean>;
  /** Every role given on OWNER/NAME: users first, then teams, each by name. */
  listRoles(repo: string): Promise<RoleGrant[]>;
  /** The highest role the user has on OWNER/NAME, directly or through a team; null: none. */
  roleOf(userId: number, repo: string): Promise<Role | null>;
  /** The highest role the user has on each repository where it has one, directly or through a team. */
  rolesOf(userId: number): Promise<Record<string, Role>>;

  /** The user's tokens that are not revoked, oldest first. */
  tokensOf(userId: number): Promise<TokenRecord[]>;
}
