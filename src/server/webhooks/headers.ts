/** Header lookup for webhook deliveries: names are case-insensitive, and each forge has its own names. */
import type { Forge } from "./types.ts";

export type HeaderGet = (name: string) => string | undefined;

export function headerGetter(headers: Record<string, string | undefined>): HeaderGet {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower.set(k.toLowerCase(), v);
  return (name) => lower.get(name.toLowerCase());
}

/** The forge's own prefixes first: Forgejo also sends Gitea's and GitHub's headers, Gitea also GitHub's. */
const PREFIXES: Record<Forge, string[]> = {
  github: ["x-github-"],
  gitea: ["x-gitea-", "x-github-"],
  forgejo: ["x-forgejo-", "x-gitea-", "x-github-"],
};

/** The first of the forge's `<prefix><suffix>` headers that is present, with the name it came from. */
export function forgeHeader(get: HeaderGet, forge: Forge, suffix: string): { name: string; value: string } | undefined {
  for (const prefix of PREFIXES[forge]) {
    const value = get(prefix + suffix);
    if (value !== undefined) return { name: prefix + suffix, value };
  }
  return undefined;
}

/** Display name of the forge's own header, for reasons ("X-Gitea-Event"). */
export function ownHeaderName(forge: Forge, suffix: string): string {
  const prefix = { github: "X-GitHub-", gitea: "X-Gitea-", forgejo: "X-Forgejo-" }[forge];
  return prefix + suffix.charAt(0).toUpperCase() + suffix.slice(1);
}
