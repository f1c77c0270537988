import type { Migration } from "../migrations.ts";

/** Branch protection rules (required checks) and what the trigger queue decided for each commit. */
export const V6_PROTECTION: Migration = {
  version: 6,
  name: "branch protection and filtered workflows",
  sql: "",
};
