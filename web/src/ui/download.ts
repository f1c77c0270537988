// Downloads that need the token: a plain <a href> cannot send the Authorization header, so the file
// is fetched (following the server's redirect) and handed to the browser as a blob.
import { authFetch, checked } from "../api.ts";

export async function downloadWithToken(url: string, filename: string): Promise<void> {
  const res = await checked(await authFetch(sameOrigin(url)));
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL only has to live until the browser reads it.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * API URLs in answers are built from the server's configured address, which may differ from the one
 * the browser used (a proxy, localhost). The token must not leave this origin, so keep only the path.
 */
export function sameOrigin(url: string): string {
  const u = new URL(url, location.href);
  return u.origin === location.origin ? u.href : `${u.pathname}${u.search}`;
}
