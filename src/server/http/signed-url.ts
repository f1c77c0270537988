/**
 * Short-lived signed links, as GitHub's log downloads are: the API answers 302 to a URL that works
 * without the Authorization header (clients drop it on redirects) and expires after a minute.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNED_URL_TTL_MS = 60_000;

export class UrlSigner {
  constructor(private readonly key: Buffer) {}

  sign(pathname: string, now = Date.now()): string {
    const exp = String(now + SIGNED_URL_TTL_MS);
    return `${pathname}?exp=${exp}&sig=${this.mac(pathname, exp)}`;
  }

  verify(pathname: string, exp: string | null, sig: string | null, now = Date.now()): boolean {
    if (!exp || !sig || !/^\d+$/.test(exp) || Number(exp) < now) return false;
    const want = Buffer.from(this.mac(pathname, exp));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private mac(pathname: string, exp: string): string {
    return createHmac("sha256", this.key).update(`${pathname}\n${exp}`).digest("base64url");
  }
}
