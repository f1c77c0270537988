/** GitHub-style downloads: the API answers 302 to a signed link, and the link's route checks the signature. */
import { UnauthenticatedError } from "../../common/errors.ts";
import type { App } from "../app.ts";

export function signedRedirect(app: App, pathname: string) {
  return { status: 302, headers: { location: `${app.baseUrl()}${app.signer.sign(pathname)}` } };
}

export function requireSignature(app: App, url: URL): void {
  if (!app.signer.verify(url.pathname, url.searchParams.get("exp"), url.searchParams.get("sig"))) throw new UnauthenticatedError("this download link is invalid or has expired (links last one minute)");
}
