import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { deliveryKey, hmacHex, normalizeEvent, verifyDelivery } from "../../src/server/webhooks/index.ts";
import type { Forge, NormalizedEvent } from "../../src/server/webhooks/index.ts";

interface Fixture {
  description: string;
  forge: Forge;
  headers: Record<string, string>;
  payload?: unknown;
  rawBody?: string;
  bodyAs?: "buffer";
  secrets: Record<string, string>;
  expect:
    | { ok: true; forge: Forge; event: string; deliveryId: string; repository: string }
    | { ok: false; status: 400 | 401; reasonIncludes: string; detailIncludes?: string };
  normalized?: Omit<NormalizedEvent, "payload">;
  payloadIncludes?: Record<string, unknown>;
}

const dir = join(import.meta.dirname, "../fixtures/webhooks");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** Every key in `want` is in `got` with an equal value; nested objects are compared the same way. */
function assertIncludes(got: unknown, want: unknown, path: string): void {
  if (want !== null && typeof want === "object" && !Array.isArray(want)) {
    assert.ok(got !== null && typeof got === "object", `${path} should be an object`);
    for (const [k, v] of Object.entries(want)) assertIncludes((got as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(got, want, path);
}

void test("at least 25 webhook fixtures", () => assert.ok(files.length >= 25, `${files.length} fixtures`));

for (const file of files) {
  const f = JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture;
  void test(`${file}: ${f.description}`, () => {
    const text = f.rawBody ?? JSON.stringify(f.payload);
    const body = f.bodyAs === "buffer" ? Buffer.from(text, "utf8") : text;
    const asked: string[] = [];
    const secretFor = (name: string): string | null => {
      asked.push(name);
      return f.secrets[name] ?? null;
    };
    const v = verifyDelivery({ forge: f.forge, headers: f.headers, body }, secretFor);
    if (!f.expect.ok) {
      assert.equal(v.ok, false, "should be refused");
      if (v.ok) return;
      assert.equal(v.status, f.expect.status, v.reason);
      assert.ok(v.reason.includes(f.expect.reasonIncludes), `reason: ${v.reason}`);
      if (f.expect.detailIncludes) assert.ok(v.detail?.includes(f.expect.detailIncludes), `detail: ${v.detail}`);
      assert.ok(!("payload" in v), "a refused delivery hands out no payload");
      return;
    }
    assert.equal(v.ok, true, v.ok ? "" : `refused: ${v.status} ${v.reason} (${v.detail ?? ""})`);
    if (!v.ok) return;
    assert.deepEqual({ forge: v.forge, event: v.event, deliveryId: v.deliveryId, repository: v.repository }, {
      forge: f.expect.forge, event: f.expect.event, deliveryId: f.expect.deliveryId, repository: f.expect.repository,
    });
    assert.deepEqual(asked, [f.expect.repository], "the secret is looked up by payload.repository.full_name");
    assert.deepEqual(v.payload, JSON.parse(text));
    if (f.normalized) {
      const before = structuredClone(v.payload);
      const { payload, ...facts } = normalizeEvent(v);
      assert.deepEqual(facts, f.normalized);
      assert.deepEqual(v.payload, before, "normalizeEvent leaves the verified payload alone");
      if (f.payloadIncludes) assertIncludes(payload, f.payloadIncludes, "payload");
    }
  });
}

void test("hmacHex matches GitHub's documented test vector", () => {
  assert.equal(
    hmacHex("It's a Secret to Everybody", Buffer.from("Hello, World!")),
    "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
  );
});

void test("unknown repository, missing secret and wrong secret give the caller the same reason", () => {
  const payload = JSON.stringify({ repository: { full_name: "octo/app" } });
  const headers = { "X-GitHub-Event": "push", "X-GitHub-Delivery": "d1", "X-Hub-Signature-256": `sha256=${hmacHex("wrong", Buffer.from(payload))}` };
  const reasons = [() => null, () => "", () => "right"].map((secretFor) => {
    const v = verifyDelivery({ forge: "github", headers, body: payload }, secretFor);
    assert.equal(v.ok, false);
    return v.ok ? "" : `${v.status} ${v.reason}`;
  });
  assert.equal(new Set(reasons).size, 1, reasons.join(" | "));
});

void test("deliveryKey namespaces ids by forge", () => {
  assert.equal(deliveryKey("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958"), "github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
  assert.notEqual(deliveryKey("gitea", "x"), deliveryKey("forgejo", "x"));
  assert.equal(deliveryKey("gitea", " x "), deliveryKey("gitea", "x"));
});
