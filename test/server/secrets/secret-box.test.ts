import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox, SecretDecryptError } from "../../../src/server/secrets/secret-box.ts";
import { KeyFileError } from "../../../src/server/secrets/key-file.ts";

const AAD = "repo:owner/name:API_TOKEN";
const posix = process.platform !== "win32";

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "slipway-secrets-"));
}

async function freshBox(): Promise<SecretBox> {
  return SecretBox.open(join(await freshDir(), "secret.key"));
}

/** Flips one bit of a base64 field and re-encodes it, so the format stays valid and only the bytes change. */
function flip(sealed: string, field: 1 | 2): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[field] ?? "", "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[field] = bytes.toString("base64");
  return parts.join(":");
}

void test("a sealed value opens with the same key and aad", async () => {
  const box = await freshBox();
  for (const text of ["hunter2", "", "multi\nline ✓ ünïcode", "x".repeat(50_000)]) {
    const sealed = box.seal(text, AAD);
    assert.match(sealed, /^v1:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
    assert.ok(!sealed.includes(text) || text === "");
    assert.equal(box.open(sealed, AAD), text);
  }
});

void test("every seal uses a fresh iv", async () => {
  const box = await freshBox();
  const a = box.seal("same", AAD).split(":");
  const b = box.seal("same", AAD).split(":");
  assert.notEqual(a[1], b[1]);
  assert.notEqual(a[2], b[2]);
  assert.equal(Buffer.from(a[1] ?? "", "base64").length, 12);
});

void test("a tampered ciphertext, iv or aad does not open", async () => {
  const box = await freshBox();
  const sealed = box.seal("hunter2", AAD);
  assert.throws(() => box.open(flip(sealed, 2), AAD), SecretDecryptError);
  assert.throws(() => box.open(flip(sealed, 1), AAD), SecretDecryptError);
  assert.throws(() => box.open(sealed, "repo:owner/name:OTHER_NAME"), SecretDecryptError);
  assert.throws(() => box.open(sealed, "repo:owner/other:API_TOKEN"), SecretDecryptError);
});

void test("a malformed sealed value does not open", async () => {
  const box = await freshBox();
  const [, iv, body] = box.seal("hunter2", AAD).split(":");
  for (const bad of ["", "hunter2", `v2:${iv}:${body}`, `v1:${iv}`, `v1:${iv}:${body}:x`, `v1:${iv}:${body}!`, `v1:AAAA:${body}`, `v1:${iv}:AAAA`]) {
    assert.throws(() => box.open(bad, AAD), SecretDecryptError, bad);
  }
});

void test("a value sealed under another key does not open", async () => {
  const sealed = (await freshBox()).seal("hunter2", AAD);
  const other = await freshBox();
  assert.throws(() => other.open(sealed, AAD), SecretDecryptError);
});

void test("the key file is created 0600, holds 32 bytes and is reused", async () => {
  const dir = await freshDir();
  const keyFile = join(dir, "data", "secret.key");
  const sealed = (await SecretBox.open(keyFile)).seal("hunter2", AAD);
  const info = await stat(keyFile);
  if (posix) assert.equal(info.mode & 0o777, 0o600);
  const key = await readFile(keyFile);
  assert.equal(key.length, 32);
  assert.equal((await SecretBox.open(keyFile)).open(sealed, AAD), "hunter2");
  assert.deepEqual(await readFile(keyFile), key);
  assert.deepEqual(await readdir(join(dir, "data")), ["secret.key"], "no temporary file is left behind");
});

void test("boxes opened at once share one key", async () => {
  const keyFile = join(await freshDir(), "secret.key");
  const boxes = await Promise.all([1, 2, 3, 4].map(() => SecretBox.open(keyFile)));
  const sealed = boxes[0]!.seal("hunter2", AAD);
  for (const box of boxes) assert.equal(box.open(sealed, AAD), "hunter2");
});

void test("a key file readable by others is refused", { skip: !posix }, async () => {
  const keyFile = join(await freshDir(), "secret.key");
  await SecretBox.open(keyFile);
  await chmod(keyFile, 0o644);
  await assert.rejects(SecretBox.open(keyFile), (err: unknown) => err instanceof KeyFileError && /0644.*chmod 600/.test(err.message));
});

void test("a key file of the wrong size is refused", async () => {
  const keyFile = join(await freshDir(), "secret.key");
  await writeFile(keyFile, Buffer.alloc(16), { mode: 0o600 });
  await assert.rejects(SecretBox.open(keyFile), (err: unknown) => err instanceof KeyFileError && /16 bytes, expected 32/.test(err.message));
  await writeFile(keyFile, Buffer.alloc(33), { mode: 0o600 });
  await assert.rejects(SecretBox.open(keyFile), KeyFileError);
});
