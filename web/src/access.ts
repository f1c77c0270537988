// What the signed-in user may do, from whoami's per-repository roles. Buttons the role does not allow
// are disabled with the missing role in their title; the server still decides, and its 403 message is
// shown when it refuses anyway.
import { get, getToken } from "./api.ts";
import type { Role } from "./gov-types.ts";
import type { WhoAmI } from "./types.ts";

const RANK: Record<Role, number> = { viewer: 0, developer: 1, maintainer: 2, admin: 3 };

let cached: { token: string | null; who: Promise<WhoAmI | null> } | null = null;

/** whoami for the current token, asked once per token; null when it cannot be read. */
export function whoami(): Promise<WhoAmI | null> {
  const token = getToken();
  if (!cached || cached.token !== token) {
    const who = token ? get<WhoAmI>("/api/slipway/whoami").catch(() => null) : Promise.resolve(null);
    cached = { token, who };
  }
  return cached.who;
}

export function forgetWho(): void {
  cached = null;
}

export function isSiteAdmin(who: WhoAmI | null): boolean {
  const w = who as (WhoAmI & { site_admin?: boolean }) | null;
  return !!(w?.siteAdmin ?? w?.site_admin);
}

/** The user's role on OWNER/NAME; undefined when the server does not report roles. */
export function roleOn(who: WhoAmI | null, repo: string): Role | null | undefined {
  if (!who?.roles) return undefined;
  const want = repo.toLowerCase();
  for (const [name, role] of Object.entries(who.roles)) if (name.toLowerCase() === want) return role;
  return null;
}

/** Without roles in whoami (an older server) everyone is allowed and the server's answer decides. */
export function allows(who: WhoAmI | null, repo: string, need: Role): boolean {
  if (isSiteAdmin(who)) return true;
  const have = roleOn(who, repo);
  if (have === undefined) return true;
  return have !== null && RANK[have] >= RANK[need];
}

export function deniedText(who: WhoAmI | null, repo: string, need: Role): string {
  const have = roleOn(who, repo);
  return `Needs the ${need} role on ${repo} (you have ${have ? `${have}` : "no role there"})`;
}

type Control = HTMLButtonElement | HTMLFieldSetElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * Disables the controls once whoami says the role is missing, and marks them (`data-denied`) so a
 * test or a stylesheet can tell "not allowed" from "not applicable".
 */
export function guard(repo: string, need: Role, ...controls: Control[]): void {
  void whoami().then((who) => {
    if (allows(who, repo, need)) return;
    const why = deniedText(who, repo, need);
    for (const c of controls) {
      c.disabled = true;
      c.title = why;
      c.dataset["denied"] = need;
    }
  });
}

/** For buttons whose enabled state also depends on other things (a run being done, say). */
export async function mayOn(repo: string, need: Role): Promise<boolean> {
  return allows(await whoami(), repo, need);
}

/** For what spans repositories (registering one): site administrators only, once whoami says so. */
export function guardSiteAdmin(...controls: Control[]): void {
  void whoami().then((who) => {
    // A server without roles does not report site administrators: leave the decision to it.
    if (!who || who.roles === undefined || isSiteAdmin(who)) return;
    for (const c of controls) {
      c.disabled = true;
      c.title = "Needs a site administrator";
      c.dataset["denied"] = "site-admin";
    }
  });
}
