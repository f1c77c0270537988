// Boot: hash router, top bar, and the page lifecycle (each page owns an AbortSignal for its fetches).
import { get, getToken } from "./api.ts";
import { goToSignIn } from "./auth.ts";
import { mountDispatch } from "./pages/dispatch.ts";
import { mountJob } from "./pages/job.ts";
import type { PageContext, PageHandle } from "./pages/page.ts";
import { mountRepo } from "./pages/repo.ts";
import { mountRepos } from "./pages/repos.ts";
import { mountRun } from "./pages/run.ts";
import { mountRuns } from "./pages/runs.ts";
import { mountSignIn } from "./pages/signin.ts";
import { parseHash, type Route } from "./routes.ts";
import type { WhoAmI } from "./types.ts";
import { h } from "./ui/dom.ts";
import { tickClocks } from "./ui/format.ts";

const app = document.getElementById("app") as HTMLElement;
let current: { key: string; handle: PageHandle | void; controller: AbortController } | null = null;

function mount(route: Route, ctx: PageContext): PageHandle | void {
  switch (route.page) {
    case "runs":
      return mountRuns(ctx, route.query);
    case "run":
      return mountRun(ctx, route);
    case "job":
      return mountJob(ctx, route);
    case "dispatch":
      return mountDispatch(ctx, route);
    case "repos":
      return mountRepos(ctx);
    case "repo":
      return mountRepo(ctx, route);
    case "signin":
      return mountSignIn(ctx, refreshWho);
    case "notfound":
      ctx.root.append(h("div", { class: "empty" }, h("h1", null, "Page not found"), h("p", null, h("a", { href: "#/" }, "Back to runs"))));
  }
}

function render(): void {
  const { route, key } = parseHash(location.hash);
  if (route.page !== "signin" && !getToken()) {
    goToSignIn();
    return;
  }
  markNav(route);
  if (current && current.key === key) {
    current.handle?.update?.(route);
    return;
  }
  current?.controller.abort();
  const controller = new AbortController();
  const root = h("div", { class: `page page-${route.page}` });
  app.replaceChildren(root);
  window.scrollTo(0, 0);
  current = { key, controller, handle: mount(route, { root, signal: controller.signal }) };
}

function markNav(route: Route): void {
  const section = route.page === "repos" || route.page === "repo" || route.page === "dispatch" ? "repos" : route.page === "signin" ? "" : "runs";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("[data-nav]")) a.classList.toggle("active", a.dataset["nav"] === section);
}

async function refreshWho(): Promise<void> {
  const who = document.getElementById("who") as HTMLElement;
  who.replaceChildren();
  if (!getToken()) return;
  try {
    const me = await get<WhoAmI>("/api/slipway/whoami");
    who.append(h("span", { class: "who-name", title: `scope: ${me.scope}` }, me.name), h("span", { class: "chip" }, me.scope), h("a", { href: "#/signin" }, "Switch token"));
  } catch {
    // A bad token is handled by the 401 path; anything else just leaves the corner empty.
  }
}

window.addEventListener("hashchange", render);
tickClocks();
render();
void refreshWho();
