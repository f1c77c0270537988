// Sign-in: the token is checked against whoami before it is kept.
import { ApiError, get, getToken, setToken } from "../api.ts";
import { takeReturnHash } from "../auth.ts";
import type { WhoAmI } from "../types.ts";
import { errorText, h, notice } from "../ui/dom.ts";
import type { PageContext } from "./page.ts";

export function mountSignIn(ctx: PageContext, onSignedIn: () => Promise<void>): void {
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "off", required: true, placeholder: "slp_…", "data-testid": "signin-token" });
  const slot = h("div");
  const form = h(
    "form",
    { class: "card signin" },
    h("h1", null, "Sign in to Slipway"),
    h("p", { class: "muted" }, "Paste an API token. It is kept in this browser only."),
    h("label", { for: "token" }, "Token"),
    input,
    slot,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn primary", "data-testid": "signin-submit" }, "Sign in")),
  );
  const previous = getToken();
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void signIn(input.value.trim());
  });

  async function signIn(token: string): Promise<void> {
    slot.replaceChildren();
    if (!token) return;
    setToken(token);
    try {
      await get<WhoAmI>("/api/slipway/whoami", ctx.signal);
    } catch (e) {
      setToken(previous);
      slot.append(notice("error", e instanceof ApiError && e.status === 401 ? "This token was not accepted." : errorText(e), "signin-error"));
      return;
    }
    await onSignedIn();
    location.hash = takeReturnHash();
  }

  ctx.root.append(form);
  input.focus();
}
