/** Small readers for untyped webhook JSON. */

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Drops undefined fields so results compare and serialize cleanly. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Gitea and Forgejo's activity words that GitHub spells differently; the rest are the same. */
const GITEA_ACTIONS: Record<string, string> = {
  synchronized: "synchronize",
  // Gitea reports "labels changed" without saying which way; GitHub's nearest words.
  label_updated: "labeled",
  label_cleared: "unlabeled",
};

export function githubAction(forge: string, action: unknown): string | undefined {
  const a = str(action);
  if (a === undefined || forge === "github") return a;
  return GITEA_ACTIONS[a] ?? a;
}
