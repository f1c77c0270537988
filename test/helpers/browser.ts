/** Debian's Chromium through playwright-core, signed in to a test server's dashboard. */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { ADMIN_TOKEN, type TestServer } from "./server.ts";

export const CHROMIUM = "/usr/bin/chromium";

/** For `describe(..., { skip })`: a reason when there is no Chromium, else false. */
export const noChromium = existsSync(CHROMIUM) ? false : "Chromium is not installed (scripts/setup-machine.sh installs it)";

export async function signedInPage(server: TestServer): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 880 }, acceptDownloads: true });
  await page.goto(`${server.url}/#/signin`);
  await page.getByTestId("signin-token").fill(ADMIN_TOKEN);
  await page.getByTestId("signin-submit").click();
  // Signing in checks the token with the server, then leaves the sign-in page: a navigation made before
  // that would be overtaken by it.
  await page.waitForURL((u) => !u.hash.startsWith("#/signin"));
  return { browser, page };
}
