/** Serves the dashboard Vite built (dist/dashboard): no CDN, nothing from outside. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Router } from "./http/router.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** dist/dashboard, found from the bundle (dist/, dist/chunks/) or from the sources (src/server/). */
export function dashboardDir(): string | null {
  if (process.env.SLIPWAY_DASHBOARD_DIR) return process.env.SLIPWAY_DASHBOARD_DIR;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    for (const c of [path.join(dir, "dashboard"), path.join(dir, "dist", "dashboard")]) if (existsSync(path.join(c, "index.html"))) return c;
    dir = path.dirname(dir);
  }
  return null;
}

export function staticRoutes(r: Router): void {
  const root = dashboardDir();
  const serve = async (rel: string) => {
    if (!root) return { status: 503, type: "text/plain; charset=utf-8", text: "the dashboard is not built: run `npm run build`" };
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) return { status: 404, text: "Not Found" };
    try {
      const body = await readFile(file);
      const immutable = rel.startsWith("assets/");
      return { status: 200, type: TYPES[path.extname(file)] ?? "application/octet-stream", body, headers: { "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache" } };
    } catch {
      return { status: 404, text: "Not Found" };
    }
  };
  r.add("GET", "/", "public", () => serve("index.html"));
  // A notification's one-time approval link; the dashboard turns the path into its own route.
  r.add("GET", "/approve/:token", "public", () => serve("index.html"));
  r.add("GET", "/assets/:file", "public", ({ params }) => serve(`assets/${params.file}`));
  r.add("GET", "/favicon.svg", "public", () => serve("favicon.svg"));
}
