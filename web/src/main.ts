// Boot: hash router, top bar, and the page lifecycle (each page owns an AbortSignal for its fetches).
import { forgetWho, isSiteAdmin, whoami } from "./access.ts";
import { getToken } from "./api.ts";
import { goToSignIn } from "./auth.ts";
import { mountApprove } from "./pages/approve.ts";
import { mountAudit } from "./pages/audit.ts";
import { mountDeployments } from "./pages/deployments.ts";
import { mountDispatch } from "./pages/dispatch.ts";
import { mountEnvironment } from "./pages/environment.ts";
import { mountEnvironments } from "./pages/environments.ts";
import { mountJob } from "./pages/job.ts";
import { mountNotifications } from "./pages/notifications.ts";
import type { PageContext, PageHandle } from "./pages/page.ts";
import { mountRepo } from "./pages/repo.ts";
import { mountRepos } from "./pages/repos.ts";
import { mountRun } from "./pages/run.ts";
import { mountRuns } from "./pages/runs.ts";
import { mountSignIn } from "./pages/signin.ts";
import { parseHash, type Route } from "./routes.ts";
import { clear, h } from "./ui/dom.ts";
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
    case "environments":
      return mountEnvironments(ctx, route);
    case "environment":
      return mountEnvironment(ctx, route);
    case "deployments":
      return mountDeployments(ctx, route);
    case "notifications":
      return mountNotifications(ctx, route);
    case "audit":
      return mountAudit(ctx, route);
    case "approve":
      return mountApprove(ctx, route);
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

const REPO_PAGES = new Set<Route["page"]>(["repos", "repo", "dispatch", "environments", "environment", "deployments", "notifications"]);

function markNav(route: Route): void {
  const section = REPO_PAGES.has(route.page) || (route.page === "audit" && route.owner) ? "repos" : route.page === "audit" ? "audit" : route.page === "signin" || route.page === "approve" ? "" : "runs";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("[data-nav]")) a.classList.toggle("active", a.dataset["nav"] === section);
}

async function refreshWho(): Promise<void> {
  const who = document.getElementById("who") as HTMLElement;
  const audit = document.querySelector<HTMLElement>("[data-nav=audit]");
  who.replaceChildren();
  forgetWho();
  if (!getToken()) return;
  // A bad token is handled by the 401 path; anything else just leaves the corner empty.
  const me = await whoami();
  if (!me) return;
  clear(who, h("span", { class: "who-name", title: `token scope: ${me.scope}`, "data-testid": "who-name" }, me.name), isSiteAdmin(me) && h("span", { class: "chip" }, "site admin"), h("a", { href: "#/signin" }, "Switch token"));
  // The global audit log is for site administrators; a server without roles shows it to everyone.
  if (audit) audit.hidden = me.roles !== undefined && !isSiteAdmin(me);
}

/** A notification's approval link is a real path (`/approve/TOKEN`); the dashboard routes by hash. */
function pathToHash(): void {
  const m = /^\/approve\/([^/]+)\/?$/.exec(location.pathname);
  if (m) history.replaceState(null, "", `/#/approve/${m[1]}`);
}

pathToHash();
window.addEventListener("hashchange", render);
tickClocks();
render();
void refreshWho();
