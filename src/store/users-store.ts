/**
 * People and what they may do: users, teams, and per-repository roles given to a user or a team.
 * A token belongs to a user (`TokenRecord.userId`); its scope can only narrow the user's roles.
 */
/** Lowest first: see `server/auth/roles.ts` for what each may do. */
export type Role = "viewer" | "developer" | "maintainer" | "admin";

export interface UserRecord {
  id: number;
  name: string;
  siteAdmin: boolean;
  createdAt: string;
}

export interface UserStore {
  /** Rejects with ConflictError when the name is taken. */
  addUser(name: string, siteAdmin: boolean): Promise<UserRecord>;
  findUser(name: string): Promise<UserRecord | null>;
  getUser(id: number): Promise<UserRecord | null>;
  /** The highest role the user has on OWNER/NAME, directly or through a team; null: none. */
  roleOf(userId: number, repo: string): Promise<Role | null>;
}
