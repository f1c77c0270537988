/** The generic webhook's signature: `sha256=` and the hex HMAC-SHA256 of the raw body, as GitHub signs. */
import { createHmac } from "node:crypto";

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}
