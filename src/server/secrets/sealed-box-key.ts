/**
 * The key pair behind GitHub's `secrets/public-key`: clients encrypt a secret with libsodium's sealed box
 * for the public key, and only the server can open it. The private key is kept in the settings table,
 * itself sealed with the server's key file, so the database alone opens nothing.
 */
import { createHash } from "node:crypto";
import sodium from "libsodium-wrappers";
import { InputError } from "../../common/errors.ts";
import type { ServerStore } from "../../store/server-store.ts";
import type { SecretBox } from "./secret-box.ts";

const SETTING = "actions-secret-keypair";

export class SealedBoxKey {
  private constructor(private readonly publicKey: Uint8Array, private readonly privateKey: Uint8Array) {}

  static async load(store: ServerStore, box: SecretBox): Promise<SealedBoxKey> {
    await sodium.ready;
    const saved = await store.getSetting(SETTING);
    if (saved) {
      const { pk, sk } = JSON.parse(box.open(saved, SETTING)) as { pk: string; sk: string };
      return new SealedBoxKey(Buffer.from(pk, "base64"), Buffer.from(sk, "base64"));
    }
    const pair = sodium.crypto_box_keypair();
    const value = JSON.stringify({ pk: Buffer.from(pair.publicKey).toString("base64"), sk: Buffer.from(pair.privateKey).toString("base64") });
    await store.setSetting(SETTING, box.seal(value, SETTING));
    return new SealedBoxKey(pair.publicKey, pair.privateKey);
  }

  get key(): string {
    return Buffer.from(this.publicKey).toString("base64");
  }

  get keyId(): string {
    return createHash("sha256").update(this.publicKey).digest("hex").slice(0, 20);
  }

  open(encryptedValue: string, keyId: string | undefined): string {
    if (keyId !== undefined && keyId !== this.keyId) throw new InputError(`key_id ${keyId} is not the current public key (${this.keyId}); fetch secrets/public-key again`);
    try {
      return Buffer.from(sodium.crypto_box_seal_open(Buffer.from(encryptedValue, "base64"), this.publicKey, this.privateKey)).toString("utf8");
    } catch {
      throw new InputError("encrypted_value does not open with the public key: encrypt it with a libsodium sealed box for secrets/public-key");
    }
  }
}
