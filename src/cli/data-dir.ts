/** Where Slipway keeps its database, caches and job folders. */
import os from "node:os";
import path from "node:path";
import { openSqliteStore } from "../store/sqlite/open.ts";
import { isOwnerAlive } from "../store/owner.ts";
import type { Store } from "../store/store.ts";
import { gcAfterInterrupted } from "./gc.ts";

export function dataDir(flag: unknown): string {
  if (typeof flag === "string" && flag) return path.resolve(flag);
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(xdg, "slipway");
}

/** Opens the store and marks runs left behind by a killed Slipway as interrupted. */
export async function openStore(dir: string): Promise<Store> {
  const store = await openSqliteStore(path.join(dir, "slipway.db"));
  await gcAfterInterrupted(await store.recoverInterrupted(isOwnerAlive));
  return store;
}
