/**
 * Secrets encrypted at rest with AES-256-GCM. The associated data names the secret's scope and name, so
 * a sealed value moved to another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { InternalError } from "../../common/errors.ts";
import { loadOrCreateKey } from "./key-file.ts";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value does not open: wrong key, tampered value or wrong associated data. */
export class SecretDecryptError extends InternalError {}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Opens the box with the key in `keyFile`, creating the key when the file is missing. */
  static async open(keyFile: string): Promise<SecretBox> {
    return new SecretBox(await loadOrCreateKey(keyFile));
  }

  /** Encrypts `plaintext` bound to `aad` (e.g. "repo:owner/name:SECRET_NAME") as "v1:<iv>:<ciphertext+tag>". */
  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${iv.toString("base64")}:${body.toString("base64")}`;
  }

  /** Decrypts a value made by `seal` with the same `aad`; throws SecretDecryptError otherwise. */
  open(sealed: string, aad: string): string {
    const [version, ivText, bodyText, ...rest] = sealed.split(":");
    if (version !== VERSION || ivText === undefined || bodyText === undefined || rest.length > 0) {
      throw new SecretDecryptError("sealed secret is not in the v1 format");
    }
    const iv = strictBase64(ivText);
    const body = strictBase64(bodyText);
    if (iv?.length !== IV_BYTES || !body || body.length < TAG_BYTES) throw new SecretDecryptError("sealed secret is malformed");
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretDecryptError("secret does not open: wrong key, tampered value or wrong scope/name");
    }
  }
}

/** Decodes base64 only when it re-encodes to the same text: Node's decoder silently skips stray characters. */
function strictBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : null;
}
