/**
 * The secrets key lives in its own file beside the database, never in it, so a copied or leaked
 * database alone reveals no secret.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, stat, unlink, writeFile, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InputError } from "../../common/errors.ts";

export const KEY_BYTES = 32;

/** Thrown when the key file exists but cannot be trusted; the server refuses to start. */
export class KeyFileError extends InputError {}

/** Reads the key at `keyFile`, creating it (mode 0600) when missing. */
export async function loadOrCreateKey(keyFile: string): Promise<Buffer> {
  const existing = await readKey(keyFile);
  if (existing) return existing;
  await createKey(keyFile);
  // Read back rather than trust our own bytes: a racing process may have published its key first.
  const created = await readKey(keyFile);
  if (!created) throw new KeyFileError(`secret key file ${keyFile} vanished right after it was created`);
  return created;
}

async function readKey(keyFile: string): Promise<Buffer | null> {
  let info;
  try {
    info = await stat(keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  if (!info.isFile()) throw new KeyFileError(`secret key file ${keyFile} is not a regular file`);
  // Windows has no POSIX modes to check.
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
    throw new KeyFileError(`secret key file ${keyFile} has mode ${mode}; it must be readable by its owner only (chmod 600 ${keyFile})`);
  }
  const key = await readFile(keyFile);
  if (key.length !== KEY_BYTES) {
    throw new KeyFileError(`secret key file ${keyFile} holds ${key.length} bytes, expected ${KEY_BYTES}; it is damaged or not a Slipway key (restore it from a backup)`);
  }
  return key;
}

/** Writes a fresh key to a temporary file, then publishes it in one step so no reader sees half a key. */
async function createKey(keyFile: string): Promise<void> {
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const temp = `${keyFile}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.chmod(0o600); // the umask may only remove bits, but be explicit about the result
    await writeFile(handle, randomBytes(KEY_BYTES));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // A hard link publishes atomically like rename, but never replaces a key another process just made.
    await link(temp, keyFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await unlink(temp);
  }
}
