import { readFileSync } from "node:fs";

/** Reads test/fixtures/protocol/<name> as JSON. */
export function fixture<T>(name: string): T {
  const url = new URL(`../fixtures/protocol/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as T;
}
