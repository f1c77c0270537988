import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { canonicalSecretName, validSecretName } from "../../../src/server/secrets/secret-name.ts";

interface Case { name: string; valid: boolean; error?: string }
const cases = JSON.parse(readFileSync(new URL("../../fixtures/server/secrets/names.json", import.meta.url), "utf8")) as Case[];

for (const c of cases) {
  void test(`secret name ${JSON.stringify(c.name)} is ${c.valid ? "valid" : "refused"}`, () => {
    const message = validSecretName(c.name);
    if (c.valid) assert.equal(message, null);
    else assert.match(message ?? "", new RegExp(c.error ?? "."));
  });
}

void test("secret names compare case-insensitively", () => {
  assert.equal(canonicalSecretName("api_Token"), canonicalSecretName("API_TOKEN"));
});
