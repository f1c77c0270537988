/** Who may review an environment: its users, and the members of its teams. */
import type { Reviewer } from "../../store/environment-store.ts";
import type { Caller } from "../auth/caller.ts";
import type { App } from "../app.ts";

export function reviewerNames(reviewers: Reviewer[]): string {
  return reviewers.map((r) => (r.type === "Team" ? `@${r.name}` : r.name)).join(", ") || "nobody";
}

export async function isReviewer(app: App, reviewers: Reviewer[], caller: Caller): Promise<boolean> {
  if (caller.userId === null) return false;
  if (reviewers.some((r) => r.type === "User" && r.name.toLowerCase() === caller.name.toLowerCase())) return true;
  const teams = new Set((await app.store.users.teamsOf(caller.userId)).map((t) => t.name.toLowerCase()));
  return reviewers.some((r) => r.type === "Team" && teams.has(r.name.toLowerCase()));
}
