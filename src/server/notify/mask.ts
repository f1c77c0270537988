/**
 * A channel URL as the API and the audit log show it: scheme and host only. A Slack incoming webhook's
 * path is its credential, and a generic webhook's may be too.
 */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return "***";
  }
}

/** Removes the URL (and its path) from a message that might quote it, such as a network error. */
export function withoutUrl(message: string, url: string): string {
  let out = message.split(url).join(maskUrl(url));
  try {
    const { pathname } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname).join("/***");
  } catch {
    // Not a URL: nothing more to hide.
  }
  return out;
}
