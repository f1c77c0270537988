/** How a docker action's image reference is read and how its mounts and environment are laid out (no daemon needed). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { parseImageRef, type ImageRef } from "../../src/run/actions/docker/image-ref.ts";
import { actionLayout, type LayoutInput } from "../../src/run/actions/docker/layout.ts";

const load = async <T>(name: string): Promise<T> => JSON.parse(await readFile(new URL(`../fixtures/docker-actions/${name}`, import.meta.url), "utf8")) as T;
const refs = await load<Array<{ image: string; expect: ImageRef }>>("image-refs.json");
const layouts = await load<Array<{ name: string; input: LayoutInput; expect: { env: Record<string, string>; binds: string[] } }>>("layout.json");

void describe("docker action image references", () => {
  for (const c of refs) void it(c.image, () => assert.deepEqual(parseImageRef(c.image), c.expect));
});

void describe("docker action layout", () => {
  for (const c of layouts) {
    void it(c.name, () => {
      const got = actionLayout(c.input);
      assert.deepEqual(got.env, c.expect.env);
      assert.deepEqual(got.binds, c.expect.binds);
    });
  }
});
